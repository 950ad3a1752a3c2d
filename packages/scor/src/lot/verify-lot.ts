import { unzipSync } from 'fflate';
import { DEFAULT_LOCALE, type Locale } from '@s3404/form/errors';
import { scorIssue, type ScorIssue } from '../errors/scor-error.js';
import type { ScorErrorCode, ScorMessageParams } from '../errors/messages.js';
import { toHex, webSha256, type Sha256 } from '../internal/sha256.js';
import { checksumList, LOT_ENTRIES, LotManifestSchema, type LotManifest } from './manifest.js';

/** Options of {@link verifyLot} (SCOR-2). @public */
export interface VerifyLotOptions {
  /**
   * Checks the manifest's seal (`manifest.json.p7s`, a detached CMS), e.g.
   * with `@s3404/seal`'s `verifySealedContent`. Without it a seal present
   * is reported `not-checked`.
   */
  readonly verifySignature?: (manifest: Uint8Array, signature: Uint8Array) => Promise<boolean>;
  /** Largest total of the files once extracted. Default 4 GiB. */
  readonly maxBytes?: number;
  readonly sha256?: Sha256;
  readonly locale?: Locale;
}

/** What {@link verifyLot} found (SCOR-2). @public */
export interface LotVerification {
  /** The container opens, its manifest is valid, every file matches it and nothing else is there. */
  readonly valid: boolean;
  readonly manifest: LotManifest | null;
  readonly signature: 'absent' | 'verified' | 'invalid' | 'not-checked';
  readonly problems: readonly ScorIssue[];
}

const SAFE_NAME = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._/-]{1,200}$/;

/**
 * Checks a lot container written by {@link sdkZipCodec} (SCOR-2): it
 * opens, its entry names are safe, `manifest.json` is a valid version-1
 * manifest, every file it lists is there with the same SHA-256 and size,
 * `SHA256SUMS` agrees, no file is unlisted, and — when asked — the
 * manifest's seal verifies. It never throws for a bad container: the
 * problems say what is wrong. Runtime-agnostic.
 *
 * `import { verifyLot } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const v = await verifyLot(zipBytes)
 * if (!v.valid) for (const p of v.problems) console.error(p.code, p.message)
 * ```
 * @throws TypeError when `container` is not a Uint8Array.
 * @public
 */
export async function verifyLot(container: Uint8Array, options: VerifyLotOptions = {}): Promise<LotVerification> {
  if (!(container instanceof Uint8Array)) throw new TypeError('verifyLot: expected the container as a Uint8Array');
  const locale = options.locale ?? DEFAULT_LOCALE;
  const sha256 = options.sha256 ?? webSha256;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024 * 1024;
  const problems: ScorIssue[] = [];
  const add = (code: ScorErrorCode, params: ScorMessageParams = {}, path: readonly (string | number)[] = []): void => {
    if (problems.length < 200) problems.push(scorIssue(code, path, { params, locale }));
  };
  const done = (manifest: LotManifest | null, signature: LotVerification['signature'] = 'absent'): LotVerification => ({ valid: problems.length === 0, manifest, signature, problems });

  let entries: Record<string, Uint8Array>;
  let total = 0;
  let unsafe: string | undefined;
  try {
    entries = unzipSync(container, {
      filter: (f) => {
        total += f.originalSize;
        if (!SAFE_NAME.test(f.name)) unsafe ??= f.name;
        return total <= maxBytes && SAFE_NAME.test(f.name);
      },
    });
  } catch (e) {
    add('ERR_LOT_CONTAINER_INVALID', { detail: e instanceof Error ? e.message.slice(0, 120) : 'zip' });
    return done(null);
  }
  if (total > maxBytes) add('ERR_LOT_CONTAINER_INVALID', { detail: `> ${maxBytes} bytes once extracted` });
  if (unsafe !== undefined) add('ERR_LOT_CONTAINER_INVALID', { detail: `unsafe entry name ${JSON.stringify(unsafe.slice(0, 80))}` });
  if (problems.length > 0) return done(null);

  const manifestBytes = entries[LOT_ENTRIES.manifest];
  if (manifestBytes === undefined) {
    add('ERR_LOT_MANIFEST_INVALID', { detail: `${LOT_ENTRIES.manifest} absent` });
    return done(null);
  }
  let manifest: LotManifest;
  try {
    const parsed = LotManifestSchema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes)));
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      add('ERR_LOT_MANIFEST_INVALID', { detail: `${first.path.join('.')} : ${first.message}`.slice(0, 200) });
      return done(null);
    }
    manifest = parsed.data;
  } catch (e) {
    add('ERR_LOT_MANIFEST_INVALID', { detail: e instanceof Error ? e.message.slice(0, 120) : 'JSON' });
    return done(null);
  }

  const listed = manifest.invoices.flatMap((inv) => inv.files);
  const names = new Set<string>();
  let bytes = 0;
  for (const f of listed) {
    if (names.has(f.name)) add('ERR_LOT_MANIFEST_INVALID', { detail: `${f.name} listed twice` });
    names.add(f.name);
    bytes += f.bytes;
    const data = entries[f.name];
    if (data === undefined) {
      add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: 'absent' });
      continue;
    }
    if (data.length !== f.bytes) add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: `${data.length} bytes, ${f.bytes} listed` });
    else if (toHex(await sha256(data)) !== f.sha256) add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: 'SHA-256' });
  }
  const t = manifest.totals;
  if (t.invoices !== manifest.invoices.length || t.files !== listed.length || t.bytes !== bytes) add('ERR_LOT_MANIFEST_INVALID', { detail: 'totals' });
  const known = new Set<string>([LOT_ENTRIES.manifest, LOT_ENTRIES.checksums, LOT_ENTRIES.signature]);
  for (const name of Object.keys(entries)) if (!names.has(name) && !known.has(name)) add('ERR_LOT_MANIFEST_MISMATCH', { file: name, detail: 'not listed' });
  const sums = entries[LOT_ENTRIES.checksums];
  const expectedSums = checksumList(listed);
  if (sums === undefined || sums.length !== expectedSums.length || !sums.every((b, i) => b === expectedSums[i])) add('ERR_LOT_MANIFEST_MISMATCH', { file: LOT_ENTRIES.checksums });

  const sig = entries[LOT_ENTRIES.signature];
  if (sig === undefined) return done(manifest, 'absent');
  if (options.verifySignature === undefined) return done(manifest, 'not-checked');
  let ok = false;
  try {
    ok = await options.verifySignature(manifestBytes, sig);
  } catch {
    ok = false; // a verifier failing on a hostile signature means "not verified"
  }
  if (!ok) add('ERR_LOT_MANIFEST_MISMATCH', { file: LOT_ENTRIES.signature, detail: 'signature' });
  return done(manifest, ok ? 'verified' : 'invalid');
}

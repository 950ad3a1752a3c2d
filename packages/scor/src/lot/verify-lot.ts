import { unzipSync } from 'fflate';
import { resolveLocale, toHex, type ContentVerifier, type Locale, type MessageParams, type Sha256, type SignatureCheck } from '@s3404/core';
import { scorIssue, type ScorIssue } from '../errors/scor-error.js';
import { SCOR_ERRORS, type ScorErrorCode } from '../errors/scor-errors.js';
import { describeSchemaIssue } from '../internal/describe.js';
import { resolveDigest } from '../internal/sha256.js';
import { checksumList, LOT_ENTRIES, LotManifestSchema, type LotManifest } from './manifest.js';

/** Options of {@link verifyLot} (SCOR-2). @public */
export interface VerifyLotOptions {
  /**
   * Checks the manifest's signature (`manifest.json.p7s`, a detached CMS),
   * e.g. `createContentVerifier({ trustAnchors })` of `@s3404/seal`. Without
   * it a signature present is reported `unchecked`.
   */
  readonly verifier?: ContentVerifier;
  /** Largest total of the files once extracted. Default 4 GiB. */
  readonly maxBytes?: number;
  /** SHA-256, e.g. `nodeSha256` of `@s3404/core/node`. Default: Web Crypto. */
  readonly sha256?: Sha256;
  /** Language of the issues. Default `'fr'`; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * What {@link verifyLot} found (SCOR-2): a verdict (`docs/conventions.md` §5).
 *
 * @public
 */
export interface LotVerification {
  /** The container opens, its manifest is valid, every file matches it, nothing else is there, and a signature checked is valid. */
  readonly ok: boolean;
  /** Every problem found (at most 200). */
  readonly issues: readonly ScorIssue[];
  readonly manifest: LotManifest | null;
  /** The manifest's signature: `none` (not signed), `unchecked` (no verifier given), `valid` or `invalid`. */
  readonly signature: SignatureCheck;
}

const SAFE_NAME = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._/-]{1,200}$/;
const NONE: SignatureCheck = Object.freeze({ status: 'none' });
const UNCHECKED: SignatureCheck = Object.freeze({ status: 'unchecked' });

/**
 * Checks a lot container written by {@link sdkZipCodec} (SCOR-2): it
 * opens, its entry names are safe, `manifest.json` is a valid version-1
 * manifest, every file it lists is there with the same SHA-256 and size,
 * `SHA256SUMS` agrees, no file is unlisted, and — when a verifier is given —
 * the manifest's signature verifies. It never throws for a bad container:
 * the issues say what is wrong. Runtime-agnostic.
 *
 * `import { verifyLot } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const v = await verifyLot(zipBytes, { verifier: createContentVerifier({ trustAnchors: [caDer] }) })
 * if (!v.ok) for (const i of v.issues) console.error(i.code, i.message)
 * v.signature.status // 'valid', 'invalid', 'unchecked' or 'none'
 * ```
 * @throws TypeError when `container` is not a Uint8Array, or an option has the wrong type.
 * @public
 */
export async function verifyLot(container: Uint8Array, options: VerifyLotOptions = {}): Promise<LotVerification> {
  if (!(container instanceof Uint8Array)) throw new TypeError('verifyLot: expected the container as a Uint8Array');
  if (options.verifier !== undefined && (options.verifier === null || typeof options.verifier.verify !== 'function')) {
    throw new TypeError('verifyLot: options.verifier must be a ContentVerifier (see createContentVerifier of @s3404/seal)');
  }
  const locale = resolveLocale(options.locale);
  const sha256 = resolveDigest(options.sha256, 'verifyLot');
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024 * 1024;
  const issues: ScorIssue[] = [];
  const add = (code: ScorErrorCode, params: MessageParams = {}, path: readonly (string | number)[] = []): void => {
    if (issues.length < 200) issues.push(scorIssue(code, path, { params, locale }));
  };
  const done = (manifest: LotManifest | null, signature: SignatureCheck = NONE): LotVerification => ({ ok: issues.length === 0, issues, manifest, signature });

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
    // fflate's message (English, data about the bytes) is kept as it is.
    add('ERR_LOT_CONTAINER_INVALID', { detail: e instanceof Error ? e.message.slice(0, 120) : 'zip' });
    return done(null);
  }
  if (total > maxBytes)
    add('ERR_LOT_CONTAINER_INVALID', { detail: { fr: `plus de ${maxBytes} octets une fois extrait`, en: `more than ${maxBytes} bytes once extracted` } });
  if (unsafe !== undefined) {
    const name = JSON.stringify(unsafe.slice(0, 80));
    add('ERR_LOT_CONTAINER_INVALID', { detail: { fr: `nom d'entrée dangereux ${name}`, en: `unsafe entry name ${name}` } });
  }
  if (issues.length > 0) return done(null);

  const manifestBytes = entries[LOT_ENTRIES.manifest];
  if (manifestBytes === undefined) {
    add('ERR_LOT_MANIFEST_INVALID', { detail: { fr: `${LOT_ENTRIES.manifest} absent`, en: `${LOT_ENTRIES.manifest} missing` } });
    return done(null);
  }
  let manifest: LotManifest;
  try {
    const parsed = LotManifestSchema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes)));
    if (!parsed.success) {
      add('ERR_LOT_MANIFEST_INVALID', { detail: describeSchemaIssue(parsed.error.issues[0]!) });
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
    if (names.has(f.name)) add('ERR_LOT_MANIFEST_INVALID', { detail: { fr: `${f.name} listé deux fois`, en: `${f.name} listed twice` } });
    names.add(f.name);
    bytes += f.bytes;
    const data = entries[f.name];
    if (data === undefined) {
      add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: 'absent' });
      continue;
    }
    if (data.length !== f.bytes) add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: 'size', bytes: data.length, listed: f.bytes });
    else if (toHex(await sha256(data)) !== f.sha256) add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: 'SHA-256' });
  }
  const t = manifest.totals;
  if (t.invoices !== manifest.invoices.length || t.files !== listed.length || t.bytes !== bytes)
    add('ERR_LOT_MANIFEST_INVALID', { detail: { fr: 'totaux', en: 'totals' } });
  const known = new Set<string>([LOT_ENTRIES.manifest, LOT_ENTRIES.checksums, LOT_ENTRIES.signature]);
  for (const name of Object.keys(entries)) if (!names.has(name) && !known.has(name)) add('ERR_LOT_MANIFEST_MISMATCH', { file: name, detail: 'not listed' });
  const sums = entries[LOT_ENTRIES.checksums];
  const expectedSums = checksumList(listed);
  if (sums === undefined || sums.length !== expectedSums.length || !sums.every((b, i) => b === expectedSums[i]))
    add('ERR_LOT_MANIFEST_MISMATCH', { file: LOT_ENTRIES.checksums });

  const sig = entries[LOT_ENTRIES.signature];
  if (sig === undefined) return done(manifest, NONE);
  if (options.verifier === undefined) return done(manifest, UNCHECKED);
  const check = await checkSignature(options.verifier, manifestBytes, sig, locale);
  if (check.status !== 'valid') add('ERR_LOT_MANIFEST_MISMATCH', { file: LOT_ENTRIES.signature, detail: 'signature' });
  return done(manifest, check);
}

/** The verifier's answer; a verifier that throws on a hostile signature means "invalid", with a fixed message. */
async function checkSignature(verifier: ContentVerifier, manifest: Uint8Array, signature: Uint8Array, locale: Locale): Promise<SignatureCheck> {
  const invalid = (): SignatureCheck => {
    const params = { file: LOT_ENTRIES.signature, detail: 'signature' };
    return { status: 'invalid', code: 'ERR_LOT_MANIFEST_MISMATCH', message: SCOR_ERRORS.message('ERR_LOT_MANIFEST_MISMATCH', params, locale) };
  };
  try {
    const check = await verifier.verify(manifest, signature);
    return check?.status === 'valid' || check?.status === 'invalid' ? check : invalid();
  } catch {
    return invalid();
  }
}

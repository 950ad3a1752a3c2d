import { resolveLocale, type ContentVerifier, type Locale, type LocalizedText, type MessageParams, type SignatureCheck } from '@s3404/core';
import { scorIssue, type ScorIssue } from '../errors/scor-error.js';
import { SCOR_ERRORS, type ScorErrorCode } from '../errors/scor-errors.js';
import { checksumList, LOT_ENTRIES, LotManifestSchema, type LotManifest } from '../lot/manifest.js';
import type { LotVerification, VerifyLotOptions } from '../lot/lot-verification.js';
import { describeSchemaIssue } from './describe.js';

/** Entry names a lot may hold: relative, no `.` or `..` segment, a plain alphabet. */
export const SAFE_NAME = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._/-]{1,200}$/;
const NONE: SignatureCheck = Object.freeze({ status: 'none' });
const UNCHECKED: SignatureCheck = Object.freeze({ status: 'unchecked' });

/** The options of a verification, checked once (SCOR-2): what `verifyLot` and `verifyLotFile` share. */
export interface ResolvedVerifyOptions {
  readonly locale: Locale;
  readonly maxBytes: number;
  readonly verifier: ContentVerifier | undefined;
}

/** @throws TypeError naming `who` for an option of the wrong type. */
export function resolveVerifyOptions(options: Omit<VerifyLotOptions, 'sha256'>, who: string): ResolvedVerifyOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options must be an object`);
  if (options.verifier !== undefined && (options.verifier === null || typeof options.verifier.verify !== 'function')) {
    throw new TypeError(`${who}: options.verifier must be a ContentVerifier (see createContentVerifier of @s3404/seal)`);
  }
  return { locale: resolveLocale(options.locale), maxBytes: options.maxBytes ?? 4 * 1024 * 1024 * 1024, verifier: options.verifier };
}

/** One entry of an opened container: its length, its SHA-256 (hex, computed when asked), and its bytes when kept. */
export interface OpenedEntry {
  readonly length: number;
  readonly sha256: () => Promise<string>;
  /** Kept at least for `manifest.json`, `SHA256SUMS` and `manifest.json.p7s`. */
  readonly bytes: Uint8Array | undefined;
}

/**
 * An opened container (SCOR-2): its entries by name — a plain object filled
 * in central-directory order, a later entry of the same name replacing the
 * first, as fflate's `unzipSync` does — the total of the sizes its directory
 * announces, and the first unsafe name; or why it does not open.
 */
export type OpenedLot =
  | { readonly ok: true; readonly entries: Record<string, OpenedEntry>; readonly total: number; readonly unsafe: string | undefined }
  | { readonly ok: false; readonly detail: string | LocalizedText };

/**
 * Judges an opened container (SCOR-2): sizes and names first, then the
 * manifest, every file it lists (size, then SHA-256), the totals, unlisted
 * files, `SHA256SUMS`, and the signature. The same verdict whether the
 * container was opened in memory or read from a file.
 */
export async function judgeLot(opened: OpenedLot, resolved: ResolvedVerifyOptions): Promise<LotVerification> {
  const { locale, maxBytes } = resolved;
  const issues: ScorIssue[] = [];
  const add = (code: ScorErrorCode, params: MessageParams = {}, path: readonly (string | number)[] = []): void => {
    if (issues.length < 200) issues.push(scorIssue(code, path, { params, locale }));
  };
  const done = (manifest: LotManifest | null, signature: SignatureCheck = NONE): LotVerification => ({ ok: issues.length === 0, issues, manifest, signature });

  if (!opened.ok) {
    add('ERR_LOT_CONTAINER_INVALID', { detail: opened.detail });
    return done(null);
  }
  const { entries, total, unsafe } = opened;
  if (total > maxBytes)
    add('ERR_LOT_CONTAINER_INVALID', { detail: { fr: `plus de ${maxBytes} octets une fois extrait`, en: `more than ${maxBytes} bytes once extracted` } });
  if (unsafe !== undefined) {
    const name = JSON.stringify(unsafe.slice(0, 80));
    add('ERR_LOT_CONTAINER_INVALID', { detail: { fr: `nom d'entrée dangereux ${name}`, en: `unsafe entry name ${name}` } });
  }
  if (issues.length > 0) return done(null);

  const manifestBytes = entries[LOT_ENTRIES.manifest]?.bytes;
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
    const entry = entries[f.name];
    if (entry === undefined) {
      add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: 'absent' });
      continue;
    }
    if (entry.length !== f.bytes) add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: 'size', bytes: entry.length, listed: f.bytes });
    else if ((await entry.sha256()) !== f.sha256) add('ERR_LOT_MANIFEST_MISMATCH', { file: f.name, detail: 'SHA-256' });
  }
  const t = manifest.totals;
  if (t.invoices !== manifest.invoices.length || t.files !== listed.length || t.bytes !== bytes)
    add('ERR_LOT_MANIFEST_INVALID', { detail: { fr: 'totaux', en: 'totals' } });
  const known = new Set<string>([LOT_ENTRIES.manifest, LOT_ENTRIES.checksums, LOT_ENTRIES.signature]);
  for (const name of Object.keys(entries)) if (!names.has(name) && !known.has(name)) add('ERR_LOT_MANIFEST_MISMATCH', { file: name, detail: 'not listed' });
  const sums = entries[LOT_ENTRIES.checksums]?.bytes;
  const expectedSums = checksumList(listed);
  if (sums === undefined || sums.length !== expectedSums.length || !sums.every((b, i) => b === expectedSums[i]))
    add('ERR_LOT_MANIFEST_MISMATCH', { file: LOT_ENTRIES.checksums });

  const sig = entries[LOT_ENTRIES.signature]?.bytes;
  if (sig === undefined) return done(manifest, NONE);
  if (resolved.verifier === undefined) return done(manifest, UNCHECKED);
  const check = await checkSignature(resolved.verifier, manifestBytes, sig, locale);
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

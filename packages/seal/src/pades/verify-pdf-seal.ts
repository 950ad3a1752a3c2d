import { readClock, resolveClock, resolveLocale, toHex, type Clock, type Issue, type Locale, type LocalizedText } from '@s3404/core';
import { isDict, isName, isNumber, PdfString, type PdfDict } from '@s3404/core/pdf';
import { FormError } from '@s3404/form';
import { openPdfFile, type PdfFile, type RevisionSection } from '@s3404/form/pdf';
import { SEAL_ERRORS, type SealErrorCode } from '../errors/seal-errors.js';
import type { CryptoProvider } from '../web-crypto.js';
import { TrustStore, checkSealKeyUsage } from '../internal/chain.js';
import { checkSignedData, describeSigner } from '../internal/check-signed-data.js';
import { parseSignedData } from '../internal/cms-parse.js';
import { resolveCrypto, digest } from '../internal/crypto.js';
import { DerError, TAG, children, readOid, readRoot, whole } from '../internal/der.js';
import { Failure } from '../internal/failure.js';
import { OID } from '../internal/oids.js';
import { verifyTimeStampToken } from '../timestamp/verify-time-stamp-token.js';
import type { RevisionKind } from './classify-revision.js';
import { revisionReports, type RevisionReport } from './describe-revisions.js';
import { findSignatures } from './find-signatures.js';
import { OID_SIGNATURE_TIMESTAMP } from './pades-cms.js';
import type { PadesLevel } from './seal-pdf.js';

/** The three-valued verdict of a signature (ETSI EN 319 102-1 §5.1.3). @public */
export type PdfSignatureStatus = 'passed' | 'failed' | 'indeterminate';

/** One revision added after a signature, and what it did (SIG-5). @public */
export interface LaterRevision {
  readonly revision: number;
  readonly kind: RevisionKind;
  /** For `other`: what gave it away (technical, English). */
  readonly detail?: string;
  /** For `sdk-signature`: the slot signed and the sealed record it came from. */
  readonly slot?: string;
  readonly recordId?: string;
}

/** The verdict on one signature of the PDF (SIG-3, SIG-5). @public */
export interface PdfSignatureVerdict {
  /** The signature field's name. */
  readonly field: string;
  /** The revision the signature covers (1-based); 0 when its `/ByteRange` names none. */
  readonly revision: number;
  readonly status: PdfSignatureStatus;
  /** The ETSI EN 319 102-1 sub-indication when not passed: `HASH_FAILURE`, `SIG_CRYPTO_FAILURE`, `FORMAT_FAILURE`, `NO_CERTIFICATE_CHAIN_FOUND`, `OUT_OF_BOUNDS_NO_POE`, … */
  readonly subIndication?: string;
  /** The coded reason when not passed, and its message. */
  readonly code?: string;
  readonly message?: string;
  /** The PAdES baseline level the signature reaches (`/SubFilter /ETSI.CAdES.detached` with signing-certificate-v2). */
  readonly level?: PadesLevel;
  readonly signer?: { readonly subject: string; readonly serialNumber: string; readonly anchor: string };
  /** The claimed signing time (`/M`), ISO 8601 UTC. */
  readonly signingTime?: string;
  /** The signature time-stamp (B-T): genTime and the TSA's subject. */
  readonly timestamp?: { readonly genTime: string; readonly tsaSubject: string };
  /** `/ByteRange` as written. */
  readonly byteRange?: readonly number[];
  /** The signature covers the whole file (no revision after it). */
  readonly coversWholeDocument: boolean;
  /** Revisions added after it, classified. */
  readonly laterRevisions: readonly LaterRevision[];
}

/** The verdict of {@link verifyPdfSeal} (SIG-3, SIG-5, conventions §5). @public */
export interface PdfSealVerdict {
  /** `status === 'passed'`. */
  readonly ok: boolean;
  readonly issues: readonly Issue[];
  /** `passed` when every signature passed and nothing but signatures and validation data was added after any of them. */
  readonly status: PdfSignatureStatus;
  readonly signatures: readonly PdfSignatureVerdict[];
  /**
   * Every revision: 1 is `original`, later ones classified against the one
   * before; a bordereau's handwritten signatures placed by this SDK are
   * `sdk-signature`, with the slot and the sealed record's id.
   */
  readonly revisions: readonly RevisionReport[];
}

/** Options of {@link verifyPdfSeal} (SIG-3). @public */
export interface VerifyPdfSealOptions {
  /** Trust anchors of the seal certificates (DER). */
  readonly trustAnchors: readonly Uint8Array[];
  /** Trust anchors of the time-stamping authorities (DER). Default: `trustAnchors`. */
  readonly tsaTrustAnchors?: readonly Uint8Array[];
  /** Validation clock of signatures without a time-stamp. Default: the system clock. */
  readonly now?: Clock;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

const SUB_INDICATION: Partial<Record<SealErrorCode, readonly [PdfSignatureStatus, string]>> = {
  ERR_SEAL_DIGEST_MISMATCH: ['failed', 'HASH_FAILURE'],
  ERR_SEAL_SIGNATURE_INVALID: ['failed', 'SIG_CRYPTO_FAILURE'],
  ERR_CERT_MISMATCH: ['failed', 'FORMAT_FAILURE'],
  ERR_SEAL_SIGNED_ATTRIBUTES: ['failed', 'FORMAT_FAILURE'],
  ERR_SEAL_MALFORMED: ['failed', 'FORMAT_FAILURE'],
  ERR_SEAL_CONTENT_TYPE: ['failed', 'FORMAT_FAILURE'],
  ERR_CERT_UNTRUSTED: ['indeterminate', 'NO_CERTIFICATE_CHAIN_FOUND'],
  ERR_CERT_NOT_FOUND: ['indeterminate', 'NO_SIGNING_CERTIFICATE_FOUND'],
  ERR_CERT_INVALID: ['indeterminate', 'CERTIFICATE_CHAIN_GENERAL_FAILURE'],
  ERR_CERT_KEY_USAGE: ['indeterminate', 'CHAIN_CONSTRAINTS_FAILURE'],
  ERR_CERT_EXPIRED: ['indeterminate', 'OUT_OF_BOUNDS_NO_POE'],
  ERR_CERT_NOT_YET_VALID: ['indeterminate', 'NOT_YET_VALID'],
  ERR_SEAL_ALGORITHM_REFUSED: ['indeterminate', 'CRYPTO_CONSTRAINTS_FAILURE'],
  ERR_SEAL_KEY_TOO_WEAK: ['indeterminate', 'CRYPTO_CONSTRAINTS_FAILURE'],
};

/**
 * Verifies every signature of a PDF and everything added after it (SIG-3,
 * SIG-5; ETSI EN 319 102-1, EN 319 142-1), as pyHanko and EU DSS do:
 *
 * - the `/ByteRange` covers its whole revision except exactly the
 *   `/Contents` hex string of its own signature dictionary (signature
 *   wrapping, moved or empty ranges are refused);
 * - the CMS (detached), its signed attributes (content-type,
 *   message-digest of the covered bytes, signing-certificate-v2), its
 *   signature and the chain to the trust anchors — at the time-stamp's
 *   genTime when there is one, else now;
 * - the signature time-stamp (B-T) verifies and is over this signature;
 * - every revision after it is found and classified: validation data
 *   (`dss`), new signature fields (`signature`), or anything else
 *   (`other`: a redefined page, annotation, font or content — incremental
 *   saving and shadow attacks), which fails the signature
 *   (`ERR_PDF_MODIFIED_AFTER_SEAL`); bytes after the last `%%EOF` too.
 *
 * The verdict is three-valued with ETSI sub-indications. Never throws for
 * a bad file: an unreadable PDF is a failed verdict with its code.
 *
 * `import { verifyPdfSeal } from '@s3404/seal/pdf'`
 *
 * @example
 * ```ts
 * const verdict = await verifyPdfSeal(pdf, { trustAnchors: [caDer] })
 * if (!verdict.ok) for (const s of verdict.signatures) console.log(s.field, s.status, s.subIndication, s.message)
 * ```
 * @throws TypeError without trust anchors.
 * @public
 */
export async function verifyPdfSeal(pdf: Uint8Array, options: VerifyPdfSealOptions): Promise<PdfSealVerdict> {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    throw new TypeError('verifyPdfSeal: options.trustAnchors must list at least one DER certificate');
  }
  if (!(pdf instanceof Uint8Array)) throw new TypeError('verifyPdfSeal: the PDF must be a Uint8Array');
  const locale = resolveLocale(options.locale);
  const now = resolveClock(options.now, 'verifyPdfSeal');
  const crypto = resolveCrypto(options.crypto);
  let file: PdfFile;
  try {
    file = openPdfFile(pdf, locale);
  } catch (e) {
    if (!(e instanceof FormError)) throw e;
    return { ok: false, status: 'failed', issues: [{ code: e.code, path: [], message: e.message }], signatures: [], revisions: [] };
  }
  const revisions = await revisionReports(pdf, file, locale);
  const store = new TrustStore(options.trustAnchors, crypto);
  const tsaTrust = options.tsaTrustAnchors ?? options.trustAnchors;
  const signatures: PdfSignatureVerdict[] = [];
  for (const found of findSignatures(file)) {
    signatures.push(await verifyOne(file, found.sigNum, found.field, revisions, { store, tsaTrust, crypto, locale, at: readClock(now, 'verifyPdfSeal') }));
  }
  const issues: Issue[] = [];
  const issue = (code: SealErrorCode, detail?: LocalizedText | string, path: (string | number)[] = []): void => {
    issues.push({ code, path, message: SEAL_ERRORS.message(code, detail === undefined ? {} : { detail }, locale) });
  };
  if (signatures.length === 0) issue('ERR_PDF_NO_SIGNATURE');
  signatures.forEach((s, i) => {
    if (s.status !== 'passed' && s.code !== undefined) issues.push({ code: s.code, path: ['signatures', i], message: s.message ?? s.code });
  });
  if (file.trailingBytes > 0) {
    issue('ERR_PDF_MODIFIED_AFTER_SEAL', {
      fr: `${file.trailingBytes} octets ajoutés après le dernier %%EOF`,
      en: `${file.trailingBytes} bytes appended after the last %%EOF`,
    });
  }
  const status: PdfSignatureStatus =
    signatures.length === 0 || file.trailingBytes > 0 || signatures.some((s) => s.status === 'failed')
      ? 'failed'
      : signatures.some((s) => s.status === 'indeterminate')
        ? 'indeterminate'
        : 'passed';
  return { ok: status === 'passed', status, issues, signatures, revisions };
}

interface VerifyContext {
  readonly store: TrustStore;
  readonly tsaTrust: readonly Uint8Array[];
  readonly crypto: CryptoProvider;
  readonly locale: Locale;
  readonly at: Date;
}

async function verifyOne(file: PdfFile, sigNum: number, field: string, revisions: readonly RevisionReport[], ctx: VerifyContext): Promise<PdfSignatureVerdict> {
  const { locale } = ctx;
  const bytes = file.bytes;
  const base = { field, revision: 0, coversWholeDocument: false, laterRevisions: [] as LaterRevision[] };
  const fail = (status: PdfSignatureStatus, sub: string, code: SealErrorCode, detail?: LocalizedText, extra: object = {}): PdfSignatureVerdict => ({
    ...base,
    ...extra,
    status,
    subIndication: sub,
    code,
    message: SEAL_ERRORS.message(code, detail === undefined ? {} : { detail }, locale),
  });
  const located = file.located(sigNum);
  const sig = located?.value;
  if (located === null || !isDict(sig))
    return fail('failed', 'FORMAT_FAILURE', 'ERR_PDF_SIGNATURE_INVALID', { fr: 'dictionnaire de signature absent', en: 'no signature dictionary' });
  // 1. The byte range: [0, a, b, c], the gap exactly this dictionary's /Contents, the end a revision's end.
  const br = sig.get('ByteRange');
  const contents = sig.get('Contents');
  if (!Array.isArray(br) || br.length !== 4 || !br.every((n) => isNumber(n) && Number.isInteger(n) && n >= 0) || !(contents instanceof PdfString)) {
    return fail('failed', 'FORMAT_FAILURE', 'ERR_PDF_BYTE_RANGE_INVALID', {
      fr: '/ByteRange ou /Contents absents ou mal formés',
      en: '/ByteRange or /Contents missing or malformed',
    });
  }
  const [r0, r1, r2, r3] = br as number[];
  const byteRange = [r0!, r1!, r2!, r3!];
  const revision = file.revisions.find((r) => coversRevision(bytes, r, r2! + r3!));
  const gapOk =
    r0 === 0 &&
    r1! > 0 &&
    r2! > r1! &&
    bytes[r1!] === 0x3c &&
    bytes[r2! - 1] === 0x3e &&
    isHexRun(bytes, r1! + 1, r2! - 1) &&
    (r2! - r1! - 2) / 2 === contents.bytes.length &&
    located.start <= r1! &&
    r2! <= located.end;
  if (!gapOk || revision === undefined) {
    return fail(
      'failed',
      'FORMAT_FAILURE',
      'ERR_PDF_BYTE_RANGE_INVALID',
      gapOk ? { fr: 'la fin ne tombe sur aucune révision', en: 'its end is no revision end' } : undefined,
      { byteRange },
    );
  }
  const laterRevisions: LaterRevision[] = revisions
    .filter((r) => r.index > revision.index)
    .map((r) => ({
      revision: r.index,
      kind: r.kind as RevisionKind,
      ...(r.detail === undefined ? {} : { detail: r.detail }),
      ...(r.slot === undefined ? {} : { slot: r.slot }),
      ...(r.recordId === undefined ? {} : { recordId: r.recordId }),
    }));
  const filled = { revision: revision.index, byteRange, coversWholeDocument: revision.index === file.revisions.length, laterRevisions };
  const m = sig.get('M');
  const claimed = m instanceof PdfString ? parsePdfDate(m.text()) : undefined;
  const signingTime = claimed === undefined ? {} : { signingTime: claimed.toISOString() };
  // 2. The CMS over the covered bytes.
  const cms = derPrefix(contents.bytes);
  if (cms === undefined) return fail('failed', 'FORMAT_FAILURE', 'ERR_SEAL_MALFORMED', undefined, { ...filled, ...signingTime });
  const subFilter = sig.get('SubFilter');
  const cades = isName(subFilter, 'ETSI.CAdES.detached');
  if (!cades && !isName(subFilter, 'adbe.pkcs7.detached')) {
    return fail(
      'failed',
      'FORMAT_FAILURE',
      'ERR_PDF_SIGNATURE_INVALID',
      { fr: '/SubFilter non pris en charge', en: 'unsupported /SubFilter' },
      { ...filled, ...signingTime },
    );
  }
  const covered = new Uint8Array(r1! + r3!);
  covered.set(bytes.subarray(0, r1!), 0);
  covered.set(bytes.subarray(r2!, r2! + r3!), r1!);
  let validationTime = ctx.at;
  let timestamp: PdfSignatureVerdict['timestamp'];
  try {
    const p = parseSignedData(cms, { detached: true });
    const token = unsignedTimestamp(cms);
    if (token !== undefined) {
      const t = await verifyTimeStampToken(token, {
        digest: await digest(ctx.crypto, 'SHA-256', p.signature),
        trust: ctx.tsaTrust,
        crypto: ctx.crypto,
        locale,
      });
      if (!t.ok) {
        const indeterminate = t.detail === 'chain' || t.detail === 'validity';
        return {
          ...fail(indeterminate ? 'indeterminate' : 'failed', indeterminate ? 'NO_POE' : 'TIMESTAMP_FAILURE', t.code),
          message: t.message,
          ...filled,
          ...signingTime,
        };
      }
      validationTime = t.genTime;
      timestamp = { genTime: t.genTime.toISOString(), tsaSubject: t.tsaSubject };
    }
    const check = await checkSignedData(cms, p, covered, ctx.store, ctx.crypto, { eContentType: OID.data, checkUsage: checkSealKeyUsage, at: validationTime });
    const signer = describeSigner(check, toHex).signer;
    const level: PadesLevel | undefined =
      !cades || p.attributes.has(OID.signingTime) ? undefined : timestamp === undefined ? 'B-B' : hasDss(file) ? 'B-LT' : 'B-T';
    const modified = laterRevisions.find((r) => r.kind === 'other' || r.kind === 'sdk-signature');
    const extra = { ...filled, ...signingTime, signer, ...(level === undefined ? {} : { level }), ...(timestamp === undefined ? {} : { timestamp }) };
    if (modified !== undefined) {
      const what =
        modified.kind === 'sdk-signature'
          ? {
              fr: `révision ${modified.revision} : signature manuscrite ${modified.slot ?? ''} dessinée après le scellement`,
              en: `revision ${modified.revision}: handwritten signature ${modified.slot ?? ''} drawn after the seal`,
            }
          : { fr: `révision ${modified.revision} : ${modified.detail ?? ''}`, en: `revision ${modified.revision}: ${modified.detail ?? ''}` };
      return fail('failed', 'FORMAT_FAILURE', 'ERR_PDF_MODIFIED_AFTER_SEAL', what, extra);
    }
    return { ...base, ...extra, status: 'passed' };
  } catch (e) {
    const code: SealErrorCode | undefined = e instanceof Failure ? e.code : e instanceof DerError ? 'ERR_SEAL_MALFORMED' : undefined;
    if (code === undefined) throw e;
    const [status, sub] = SUB_INDICATION[code] ?? ['failed', 'FORMAT_FAILURE'];
    return fail(status, sub, code, undefined, { ...filled, ...signingTime, ...(timestamp === undefined ? {} : { timestamp }) });
  }
}

/** `end` is the revision's end, give or take the end of line after its `%%EOF`. */
function coversRevision(bytes: Uint8Array, r: RevisionSection, end: number): boolean {
  if (end === r.end) return true;
  if (end > r.end || end < r.end - 2) return false;
  for (let p = end; p < r.end; p++) if (bytes[p] !== 0x0a && bytes[p] !== 0x0d) return false;
  return end >= r.xrefOffset;
}

function isHexRun(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** The DER value at the start of `/Contents` (the rest is zero padding), or `undefined`. */
function derPrefix(bytes: Uint8Array): Uint8Array | undefined {
  try {
    if (bytes[0] !== TAG.SEQUENCE) return undefined;
    let len = bytes[1]!;
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 4) return undefined;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i]!;
      head = 2 + n;
    }
    if (head + len > bytes.length) return undefined;
    for (let i = head + len; i < bytes.length; i++) if (bytes[i] !== 0) return undefined;
    return bytes.slice(0, head + len);
  } catch {
    return undefined;
  }
}

/** The signature time-stamp token among the SignerInfo's unsigned attributes (RFC 3161 Appendix A), if any. */
function unsignedTimestamp(cms: Uint8Array): Uint8Array | undefined {
  const root = readRoot(cms);
  const [, explicit] = children(cms, root);
  const [signedData] = children(cms, explicit!);
  const fields = children(cms, signedData!);
  const signerInfos = fields[fields.length - 1]!;
  const [signerInfo] = children(cms, signerInfos);
  const parts = children(cms, signerInfo!);
  const last = parts[parts.length - 1]!;
  if (last.tag !== 0xa1) return undefined;
  let token: Uint8Array | undefined;
  for (const attr of children(cms, last)) {
    const [type, values] = children(cms, attr);
    if (readOid(cms, type, 'attribute type') !== OID_SIGNATURE_TIMESTAMP) continue;
    const vals = children(cms, values!);
    if (token !== undefined || vals.length !== 1) throw new DerError('signature time-stamp attribute');
    token = whole(cms, vals[0]!);
  }
  return token;
}

function hasDss(file: PdfFile): boolean {
  const root = file.resolve(file.last.trailer.get('Root'));
  return isDict(root) && isDict(file.resolve((root as PdfDict).get('DSS')));
}

/** `D:YYYYMMDDHHmmSS` with an optional `Z` or `±HH'mm'` (ISO 32000-1 §7.9.4). */
function parsePdfDate(text: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(text);
  if (m === null) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', tz = 'Z'] = m;
  let offset = 0;
  if (tz !== 'Z') {
    const t = /([+-])(\d{2})'?(\d{2})/.exec(tz);
    if (t !== null) offset = (t[1] === '-' ? -1 : 1) * (Number(t[2]) * 60 + Number(t[3]));
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

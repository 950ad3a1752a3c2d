import {
  canonicalJson,
  fromBase64,
  bordereauIdProblem,
  normalizeBordereauId,
  readClock,
  resolveClock,
  resolveLocale,
  toHex,
  type Clock,
  type Issue,
  type Locale,
  type LocalizedText,
  type MessageParams,
} from '@s3404/core';
import { dayBordereauxDigest, type DayBordereau } from './accounting-day.js';
import { SealError } from './errors/seal-error.js';
import { SEAL_ERRORS, type SealErrorCode } from './errors/seal-errors.js';
import { resolveLimits, type CaptureLimits } from './limits.js';
import { RECORD_TYPE, RECORD_VERSION, SignatureRecordSchema, type Scope, type SignatureRecord } from './record-schema.js';
import type { CryptoProvider } from './web-crypto.js';
import { checkImage, strokesProblem } from './internal/check-capture.js';
import { TrustStore } from './internal/chain.js';
import { checkSignedData, describeSigner } from './internal/check-signed-data.js';
import { parseSignedData, singleAttribute, type ParsedSignedData } from './internal/cms-parse.js';
import { digest as digestOf, resolveCrypto } from './internal/crypto.js';
import { DerError, readTime } from './internal/der.js';
import { OID } from './internal/oids.js';
import { Failure } from './internal/failure.js';
import { roleScopeProblem } from './internal/record-rules.js';

/**
 * What the record must be bound to (SIG-4, SIG-10). Give what you are about
 * to sign: the bordereau and its content hash, and the line or the
 * accounting day (with every bordereau's content hash) when relevant. What is
 * not given is not checked; `Consumer.consume` requires the content binding.
 *
 * @public
 */
export interface RecordExpectation {
  /** The bordereau the signature will be applied to. */
  readonly bordereauId?: string;
  /**
   * The content hash of that bordereau as it is about to be signed
   * (`contentHash()` of `@s3404/form`, the PDF's `readSignatureSlots(pdf).contentHash`):
   * 64 lowercase hex digits. A bordereau or line record signed for other
   * content is refused with `ERR_RECORD_WRONG_CONTENT` (SIG-4). For an
   * accounting-day record, the `dayBordereaux` entry of `bordereauId` must
   * carry this hash (else `ERR_RECORD_DAY_SET_MISMATCH`).
   */
  readonly contentHash?: string;
  /** The practitioner line (1-based); the record must be a line record for it. */
  readonly line?: number;
  /** RPPS of that line's practitioner, checked against the record. */
  readonly practitionerRpps?: string;
  /** The expected scope kind. */
  readonly scope?: Scope['kind'];
  /** The accounting day `AAAA-MM-JJ` and establishment it validates. */
  readonly day?: string;
  readonly finess?: string;
  /**
   * Every bordereau of that day with its content hash: the record's digest
   * must cover exactly this set, each with this content (SIG-4, SIG-10), else
   * `ERR_RECORD_DAY_SET_MISMATCH`.
   */
  readonly dayBordereaux?: readonly DayBordereau[];
}

/** Options of {@link createVerifier} and {@link verifyRecord} (SIG-3). @public */
export interface VerifierOptions {
  /** The trust anchors (DER certificates), e.g. the establishment's CA. */
  readonly trustAnchors: readonly Uint8Array[];
  /** Verification clock (determinism): a signing time after it, plus the skew, is refused. Default: the system clock. */
  readonly now?: Clock;
  /** Tolerated clock difference, seconds. Default 300. */
  readonly clockSkewSeconds?: number;
  /** Capture limits (SIG-2). Default {@link CAPTURE_LIMITS}. */
  readonly limits?: Partial<CaptureLimits>;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of failure messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** A record that verified (SIG-3): `ok`, no issues, and what the seal proves. @public */
export interface VerifiedRecord {
  readonly ok: true;
  readonly issues: readonly [];
  readonly record: SignatureRecord;
  readonly recordId: string;
  /** SHA-256 of the sealed bytes, lowercase hex: the replay tombstone key (SIG-5). */
  readonly digest: string;
  /** The signing-time attribute, ISO 8601 UTC. */
  readonly signingTime: string;
  /** The seal certificate: subject, serial number (hex) and the anchor it chains to. */
  readonly signer: { readonly subject: string; readonly serialNumber: string; readonly anchor: string };
  /** e.g. `ECDSA P-256 SHA-256`. */
  readonly algorithm: string;
}

/**
 * A record or content that did not verify (SIG-3): a stable `code`, a fixed
 * `message` that reveals nothing about keys, certificates or content, and
 * the same as one {@link Issue} (path `[]`: the whole input).
 *
 * @public
 */
export interface RecordFailure {
  readonly ok: false;
  readonly code: SealErrorCode;
  readonly message: string;
  readonly issues: readonly [Issue];
  /**
   * The values of the message, only where they reveal nothing about keys or
   * content: a record of a format version no longer accepted
   * (`ERR_RECORD_INVALID`, `detail`). Absent otherwise.
   */
  readonly params?: MessageParams;
}

/**
 * The verdict on a sealed record (SIG-3, conventions §5): `{ ok: true, issues: [], record, … }`
 * or `{ ok: false, code, message, issues: [issue] }`.
 *
 * @public
 */
export type VerifyRecordResult = VerifiedRecord | RecordFailure;

/** A verifier bound to its trust anchors, with caches (SIG-3). @public */
export interface Verifier {
  /**
   * Verifies one sealed record and its binding to `expect` (SIG-3, SIG-4,
   * SIG-10). Never throws for a bad record: the verdict says why.
   * @throws {@link SealError} `ERR_BORDEREAU_ID_FORMAT` / `ERR_BORDEREAU_ID_CHECK` (kind `input`) when
   * `expect.bordereauId` is malformed — the caller's input, not a record of another bordereau.
   * @throws TypeError when `bytes` is not a `Uint8Array`, or `expect.contentHash` is not 64 lowercase hex digits.
   */
  verify(bytes: Uint8Array, options?: { readonly expect?: RecordExpectation }): Promise<VerifyRecordResult>;
}

/**
 * The verdict of a failure `code`, its fixed message in `locale` (SIG-3);
 * `params` only for what reveals nothing (a refused format version).
 */
export function verificationFailure(code: SealErrorCode, locale: Locale, params?: MessageParams): RecordFailure {
  const message = SEAL_ERRORS.message(code, params ?? {}, locale);
  return { ok: false, code, message, issues: [{ code, path: [], message }], ...(params === undefined ? {} : { params }) };
}

/** The message values a verdict may show: those of a refused format version only (nothing about keys or content). */
export function failureParams(e: unknown): MessageParams | undefined {
  return e instanceof Failure && e.reason === 'version' ? e.params : undefined;
}

/** Why a record of another format version is refused (SIG-2): records live minutes, none is migrated. */
const VERSION_REFUSED = (version: string): LocalizedText => ({
  fr: `version ${version} du format d'enregistrement plus acceptée, ${RECORD_VERSION} attendue : faites signer à nouveau`,
  en: `record format version ${version} no longer accepted, ${RECORD_VERSION} expected: capture the signature again`,
});

/** The failure code of an internal error, or `undefined` for an error that is not about the input. */
export function failureCode(e: unknown): SealErrorCode | undefined {
  return e instanceof Failure ? e.code : e instanceof DerError ? 'ERR_SEAL_MALFORMED' : undefined;
}

/**
 * Creates a verifier for sealed records (SIG-3, SIG-4, SIG-10). Reuse it: it
 * caches parsed certificates, public keys and chain checks.
 *
 * `import { createVerifier } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ trustAnchors: readPemCertificates(caPem) })
 * const verdict = await verifier.verify(p7m, { expect: { bordereauId } })
 * if (verdict.ok) pdf = await placeSignature(pdf, signaturePlacement(verdict.record, { bordereauId }))
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID` when a trust anchor is unreadable.
 * @throws TypeError without anchors, or with a `now` that is not a Clock.
 * @public
 */
export function createVerifier(options: VerifierOptions): Verifier {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    throw new TypeError('createVerifier: options.trustAnchors must list at least one DER certificate');
  }
  const locale = resolveLocale(options.locale);
  const crypto = resolveCrypto(options.crypto);
  let store: TrustStore;
  try {
    store = new TrustStore(options.trustAnchors, crypto);
  } catch (e) {
    if (e instanceof Failure) throw new SealError(e.code, { locale, cause: e });
    throw e;
  }
  const limits = resolveLimits(options.limits);
  const now = resolveClock(options.now, 'createVerifier');
  const skewMs = (options.clockSkewSeconds ?? 300) * 1000;
  return {
    async verify(bytes, verifyOptions = {}) {
      if (!(bytes instanceof Uint8Array)) throw new TypeError('verify: bytes must be a Uint8Array');
      // A malformed expected identifier is the caller's input, not a record of another bordereau (issue 14 #16).
      const expected = verifyOptions.expect?.bordereauId;
      if (expected !== undefined) {
        const problem = bordereauIdProblem(normalizeBordereauId(expected) ?? expected);
        if (problem !== null) throw new SealError(problem.code as SealErrorCode, { params: problem.params, locale });
      }
      const hash = verifyOptions.expect?.contentHash;
      if (hash !== undefined && (typeof hash !== 'string' || !CONTENT_HASH.test(hash))) {
        throw new TypeError('verify: expect.contentHash must be 64 lowercase hex digits (contentHash() of @s3404/form)');
      }
      try {
        return await verifyOne(bytes, { store, crypto, limits, now: readClock(now, 'createVerifier'), skewMs, expect: verifyOptions.expect ?? {} });
      } catch (e) {
        const code = failureCode(e);
        if (code === undefined) throw e;
        return verificationFailure(code, locale, failureParams(e));
      }
    },
  };
}

const CONTENT_HASH = /^[0-9a-f]{64}$/;

/**
 * Verifies one sealed record (SIG-3, SIG-4, SIG-10): structure, signed
 * attributes, digest, signature, certificate chain to the anchors, validity
 * at signing time, key usage, algorithm policy, record content and binding.
 * Never throws for a bad record: the verdict says why. Reuse a
 * {@link createVerifier} for many records.
 *
 * `import { verifyRecord } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const verdict = await verifyRecord(p7m, { trustAnchors: readPemCertificates(caPem), expect: { bordereauId } })
 * if (!verdict.ok) console.error(verdict.code, verdict.message)
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID` when a trust anchor is unreadable.
 * @throws TypeError without anchors, or when `bytes` is not a `Uint8Array`.
 * @public
 */
export async function verifyRecord(bytes: Uint8Array, options: VerifierOptions & { readonly expect?: RecordExpectation }): Promise<VerifyRecordResult> {
  return createVerifier(options).verify(bytes, { expect: options.expect ?? {} });
}

interface Context {
  readonly store: TrustStore;
  readonly crypto: CryptoProvider;
  readonly limits: CaptureLimits;
  readonly now: Date;
  readonly skewMs: number;
  readonly expect: RecordExpectation;
}

async function verifyOne(bytes: Uint8Array, ctx: Context): Promise<VerifiedRecord> {
  const { store, crypto } = ctx;
  if (bytes.length > ctx.limits.maxSealedBytes) throw new Failure('ERR_SEAL_TOO_LARGE');
  const p = parseSignedData(bytes);
  const check = await checkSignedData(bytes, p, p.content!, store, crypto);
  const { signingTime } = check;
  if (signingTime.getTime() > ctx.now.getTime() + ctx.skewMs) throw new Failure('ERR_SEAL_SIGNING_TIME', 'future');
  // The record.
  const record = readRecord(p, ctx);
  const captured = Date.parse(record.capturedAt);
  if (captured < Date.parse(record.context.issuedAt)) throw new Failure('ERR_CONTEXT_MISMATCH');
  if (captured > Date.parse(record.context.expiresAt)) throw new Failure('ERR_CONTEXT_EXPIRED');
  const sealedAt = signingTime.getTime();
  // Signing time has whole seconds: allow the skew on both sides of the capture window.
  if (sealedAt < captured - ctx.skewMs || sealedAt > Date.parse(record.context.expiresAt) + ctx.skewMs) throw new Failure('ERR_SEAL_SIGNING_TIME', 'capture');
  checkBinding(record, ctx.expect);
  return {
    ok: true,
    issues: [],
    record,
    recordId: record.id,
    digest: toHex(await digestOf(crypto, 'SHA-256', bytes)),
    signingTime: signingTime.toISOString(),
    ...describeSigner(check, toHex),
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readRecord(p: ParsedSignedData, ctx: Context): SignatureRecord {
  let json: unknown;
  let text: string;
  try {
    text = utf8.decode(p.content!);
    json = JSON.parse(text);
  } catch {
    throw new Failure('ERR_RECORD_INVALID', 'json');
  }
  const parsed = SignatureRecordSchema.safeParse(json);
  if (!parsed.success) {
    // A record of another format version (1.0: not bound to the content) is named as such.
    const { type, version } = (json ?? {}) as { readonly type?: unknown; readonly version?: unknown };
    if (type === RECORD_TYPE && typeof version === 'string' && version !== RECORD_VERSION && /^\d{1,3}\.\d{1,3}$/.test(version)) {
      throw new Failure('ERR_RECORD_INVALID', 'version', { detail: VERSION_REFUSED(version) });
    }
    throw new Failure('ERR_RECORD_INVALID', 'schema');
  }
  if (canonicalJson(parsed.data) !== text) throw new Failure('ERR_RECORD_INVALID', 'not canonical');
  const record = parsed.data;
  const png = fromBase64(record.image.data);
  if (png === null) throw new Failure('ERR_IMAGE_NOT_PNG');
  let size: ReturnType<typeof checkImage>;
  try {
    size = checkImage(png, ctx.limits);
  } finally {
    png.fill(0); // the decoded image is the SDK's own copy: wiped once checked (SIG-6)
  }
  if (size.width !== record.image.width || size.height !== record.image.height) throw new Failure('ERR_IMAGE_DIMENSIONS');
  if (record.strokes !== undefined && strokesProblem(record.strokes, size.width, size.height, ctx.limits) !== null) throw new Failure('ERR_STROKES_INVALID');
  const rule = roleScopeProblem(record);
  if (rule !== null) throw new Failure(rule.code);
  if (record.role === 'practitioner' && record.proofAgreement === undefined) throw new Failure('ERR_PROOF_AGREEMENT_MISSING');
  return record;
}

/**
 * The binding of the record to what the caller is about to sign (SIG-4,
 * SIG-10): scope, line, practitioner, day; then the bordereau and the content
 * it was signed for (a bordereau or line record: `ERR_RECORD_WRONG_CONTENT`),
 * or the exact set of the day's bordereaux with their content hashes.
 */
function checkBinding(record: SignatureRecord, expect: RecordExpectation): void {
  const scope = record.scope;
  if (expect.scope !== undefined && expect.scope !== scope.kind) throw new Failure('ERR_RECORD_WRONG_SCOPE');
  if (expect.line !== undefined) {
    if (scope.kind !== 'line') throw new Failure('ERR_RECORD_WRONG_SCOPE');
    if (scope.line !== expect.line) throw new Failure('ERR_RECORD_WRONG_LINE');
  }
  if (expect.practitionerRpps !== undefined && (scope.kind !== 'line' || scope.practitionerRpps !== expect.practitionerRpps)) {
    throw new Failure('ERR_RECORD_WRONG_PRACTITIONER');
  }
  if (expect.day !== undefined || expect.finess !== undefined || expect.dayBordereaux !== undefined) {
    if (scope.kind !== 'accounting-day') throw new Failure('ERR_RECORD_WRONG_SCOPE');
  }
  if (scope.kind === 'accounting-day') {
    if ((expect.day !== undefined && expect.day !== scope.day) || (expect.finess !== undefined && expect.finess !== scope.finess)) {
      throw new Failure('ERR_RECORD_WRONG_DAY');
    }
    if (expect.bordereauId !== undefined || expect.dayBordereaux !== undefined) {
      if (expect.dayBordereaux === undefined) throw new Failure('ERR_RECORD_DAY_SET_MISMATCH');
      let digest: string;
      try {
        digest = dayBordereauxDigest(expect.dayBordereaux);
      } catch {
        throw new Failure('ERR_RECORD_DAY_SET_MISMATCH');
      }
      if (digest !== scope.bordereaux.digest || expect.dayBordereaux.length !== scope.bordereaux.count) throw new Failure('ERR_RECORD_DAY_SET_MISMATCH');
      if (expect.bordereauId !== undefined) {
        const wanted = normalizeBordereauId(expect.bordereauId);
        const entry = wanted === null ? undefined : expect.dayBordereaux.find((b) => normalizeBordereauId(b.bordereauId) === wanted);
        if (entry === undefined) throw new Failure('ERR_RECORD_DAY_SET_MISMATCH');
        // The bordereau about to be signed must be in the set with the content the day was signed for.
        if (expect.contentHash !== undefined && entry.contentHash !== expect.contentHash) throw new Failure('ERR_RECORD_DAY_SET_MISMATCH');
      }
    }
    // A content hash names one bordereau's content: without its identifier it matches nothing of the day.
    if (expect.contentHash !== undefined && expect.bordereauId === undefined) throw new Failure('ERR_RECORD_DAY_SET_MISMATCH');
    return;
  }
  if (expect.bordereauId !== undefined && normalizeBordereauId(expect.bordereauId) !== scope.bordereauId) throw new Failure('ERR_RECORD_WRONG_BORDEREAU');
  // The same bordereau, other content (another amount, same identifier): refused (SIG-4).
  if (expect.contentHash !== undefined && expect.contentHash !== scope.contentHash) throw new Failure('ERR_RECORD_WRONG_CONTENT');
}

/**
 * Reads a sealed record **without judging its seal** (SIG-6): its structure,
 * signing-time attribute and record content (image decoded, schema,
 * canonical form), for a deposit whose trust is judged at consumption. Never
 * a substitute for {@link createVerifier}: nothing here proves who sealed it.
 * Internal to the package (`Consumer.deposit` with `verify: false`).
 */
export async function readUnverifiedRecord(
  bytes: Uint8Array,
  options: { readonly crypto?: CryptoProvider; readonly locale: Locale },
): Promise<
  { readonly ok: true; readonly recordId: string; readonly digest: string; readonly signingTime: string; readonly record: SignatureRecord } | RecordFailure
> {
  const crypto = resolveCrypto(options.crypto);
  const limits = resolveLimits(undefined);
  try {
    if (bytes.length > limits.maxSealedBytes) throw new Failure('ERR_SEAL_TOO_LARGE');
    const p = parseSignedData(bytes);
    if (p.content === undefined) throw new Failure('ERR_SEAL_MALFORMED', 'detached');
    let signingTime: Date;
    try {
      signingTime = readTime(bytes, singleAttribute(p, OID.signingTime), 'signing-time');
    } catch (e) {
      if (e instanceof DerError) throw new Failure('ERR_SEAL_SIGNED_ATTRIBUTES', 'signing-time');
      throw e;
    }
    const record = readRecord(p, { limits } as Context);
    return { ok: true, recordId: record.id, digest: toHex(await digestOf(crypto, 'SHA-256', bytes)), signingTime: signingTime.toISOString(), record };
  } catch (e) {
    const code = failureCode(e);
    if (code === undefined) throw e;
    return verificationFailure(code, options.locale, failureParams(e));
  }
}

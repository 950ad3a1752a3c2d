import { bytesEqual, resolveLocale, toHex, type Issue, type Locale, type LocalizedText } from '@s3404/core';
import { SEAL_ERRORS, type SealErrorCode } from '../errors/seal-errors.js';
import { SealError } from '../errors/seal-error.js';
import type { CryptoProvider } from '../web-crypto.js';
import { TrustStore } from '../internal/chain.js';
import { checkSignedData } from '../internal/check-signed-data.js';
import { parseSignedData, type ParsedSignedData } from '../internal/cms-parse.js';
import { resolveCrypto } from '../internal/crypto.js';
import { DerError } from '../internal/der.js';
import { Failure } from '../internal/failure.js';
import { OID } from '../internal/oids.js';
import { MAX_TSP_BYTES, checkTsaUsage } from './tsa-usage.js';
import { parseTstInfo, type TstInfo } from './tsp-der.js';

/** Options of {@link verifyTimeStampToken} (SIG-3, AUD-2). @public */
export interface VerifyTimeStampTokenOptions {
  /** The SHA-256 digest (32 bytes) the token must be for. */
  readonly digest: Uint8Array;
  /** The trust anchors (DER CA certificates) the TSA certificate must chain to. */
  readonly trust: readonly Uint8Array[];
  /** The instant at which the TSA certificate and its chain must be valid. Default: the token's genTime. */
  readonly at?: Date;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of failure messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * Which check a time-stamp token failed (SIG-3, AUD-2): `structure` (not a
 * DER TimeStampToken, too large, a malformed TSTInfo), `content-type` (not
 * a SignedData over id-ct-TSTInfo), `attributes` (signed attributes missing
 * or invalid, signingCertificateV2 absent), `imprint` (a token for another
 * digest, or not SHA-256), `algorithm` (a refused algorithm or weak key),
 * `signature`, `certificate` (the TSA certificate absent or unreadable),
 * `ess-cert-id` (it does not match the ESSCertIDv2), `eku` (no sole
 * timeStamping extended key usage), `chain` (no path to a trust anchor),
 * `validity` (a certificate outside its validity at the checked instant).
 * @public
 */
export type TimeStampInvalidDetail =
  | 'structure'
  | 'content-type'
  | 'attributes'
  | 'imprint'
  | 'algorithm'
  | 'signature'
  | 'certificate'
  | 'ess-cert-id'
  | 'eku'
  | 'chain'
  | 'validity';

/** A time-stamp token that verified (SIG-3, AUD-2): `ok`, no issues, and what it proves. @public */
export interface VerifiedTimeStamp {
  readonly ok: true;
  readonly issues: readonly [];
  /** When the TSA saw the digest (TSTInfo genTime, to the millisecond). */
  readonly genTime: Date;
  /** The token's serial number, hex. */
  readonly serialNumber: string;
  /** The TSA policy OID, dotted. */
  readonly policy: string;
  /** The TSA certificate's subject, e.g. `CN=Horodatage S3404 (développement), O=…, C=FR`. */
  readonly tsaSubject: string;
  /** The TSA certificate (DER). */
  readonly tsaCertificate: Uint8Array;
  /** The TSTInfo accuracy in milliseconds, when the token states one. */
  readonly accuracyMs?: number;
}

/** A time-stamp token that did not verify (SIG-3, AUD-2): `ERR_TIMESTAMP_INVALID`, the failed check, a fixed message. @public */
export interface TimeStampFailure {
  readonly ok: false;
  readonly code: 'ERR_TIMESTAMP_INVALID';
  /** Which check failed. */
  readonly detail: TimeStampInvalidDetail;
  readonly message: string;
  readonly issues: readonly [Issue];
}

/** The verdict of {@link verifyTimeStampToken} (SIG-3, AUD-2, conventions §5). @public */
export type VerifyTimeStampTokenResult = VerifiedTimeStamp | TimeStampFailure;

const DETAIL_TEXT: Readonly<Record<TimeStampInvalidDetail, LocalizedText>> = {
  structure: { fr: 'structure DER illisible', en: 'unreadable DER structure' },
  'content-type': { fr: 'pas un SignedData sur id-ct-TSTInfo', en: 'not a SignedData over id-ct-TSTInfo' },
  attributes: {
    fr: 'attributs signés absents ou invalides : content-type, message-digest, signing-certificate-v2',
    en: 'signed attributes missing or invalid: content-type, message-digest, signing-certificate-v2',
  },
  imprint: { fr: 'jeton émis pour une autre empreinte SHA-256', en: 'token issued for another SHA-256 digest' },
  algorithm: { fr: 'algorithme ou clé refusés', en: 'algorithm or key refused' },
  signature: { fr: "signature de l'autorité d'horodatage invalide", en: 'invalid signature of the time-stamping authority' },
  certificate: { fr: "certificat de l'autorité absent ou illisible", en: 'certificate of the authority missing or unreadable' },
  'ess-cert-id': {
    fr: "le certificat ne correspond pas à l'attribut signing-certificate-v2 (ESSCertIDv2)",
    en: 'the certificate does not match the signing-certificate-v2 attribute (ESSCertIDv2)',
  },
  eku: {
    fr: "le certificat n'a pas l'usage étendu timeStamping seul (RFC 3161 §2.3)",
    en: 'the certificate does not have timeStamping as its sole extended key usage (RFC 3161 §2.3)',
  },
  chain: { fr: 'le certificat ne remonte à aucune autorité de confiance', en: 'the certificate does not chain to a trust anchor' },
  validity: { fr: 'certificat hors de sa période de validité à la date vérifiée', en: 'certificate outside its validity period at the checked instant' },
};

const DETAIL_BY_CODE: Partial<Readonly<Record<SealErrorCode, TimeStampInvalidDetail>>> = {
  ERR_SEAL_MALFORMED: 'structure',
  ERR_SEAL_CONTENT_TYPE: 'content-type',
  ERR_SEAL_SIGNED_ATTRIBUTES: 'attributes',
  ERR_SEAL_DIGEST_MISMATCH: 'signature',
  ERR_SEAL_SIGNATURE_INVALID: 'signature',
  ERR_SEAL_ALGORITHM_REFUSED: 'algorithm',
  ERR_SEAL_KEY_TOO_WEAK: 'algorithm',
  ERR_CERT_NOT_FOUND: 'certificate',
  ERR_CERT_INVALID: 'certificate',
  ERR_CERT_MISMATCH: 'ess-cert-id',
  ERR_CERT_KEY_USAGE: 'eku',
  ERR_CERT_UNTRUSTED: 'chain',
  ERR_CERT_EXPIRED: 'validity',
  ERR_CERT_NOT_YET_VALID: 'validity',
};

/** A failed check of a token (internal). */
class TokenFailure extends Error {
  constructor(readonly detail: TimeStampInvalidDetail) {
    super(detail);
  }
}

function failure(detail: TimeStampInvalidDetail, locale: Locale): TimeStampFailure {
  const code = 'ERR_TIMESTAMP_INVALID';
  const message = SEAL_ERRORS.message(code, { detail: DETAIL_TEXT[detail] }, locale);
  return { ok: false, code, detail, message, issues: [{ code, path: [], message }] };
}

/**
 * Verifies an RFC 3161 TimeStampToken over a SHA-256 digest (SIG-3, AUD-2;
 * RFC 3161 §2.4.2, RFC 5816, RFC 5652): a SignedData over a TSTInfo v1 whose
 * messageImprint is `digest`, signed attributes contentType, messageDigest
 * and signingCertificateV2 matching the TSA certificate, a valid signature
 * (ECDSA or RSA ≥ 2048 with SHA-2), a TSA certificate whose only extended
 * key usage is timeStamping (RFC 3161 §2.3), and a chain to `trust` valid at
 * the genTime (or `at`). Tokens that identify their certificate only with
 * the SHA-1 signingCertificate (v1) are refused: configure the TSA for
 * ESSCertIDv2 (OpenSSL: `ess_cert_id_alg = sha256`). Never throws for a bad
 * token: the verdict says which check failed, with a fixed message.
 *
 * `import { verifyTimeStampToken } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const verdict = await verifyTimeStampToken(token, { digest, trust: [tsaRootDer] })
 * if (verdict.ok) console.log(verdict.genTime.toISOString(), verdict.tsaSubject)
 * else console.error(verdict.code, verdict.detail, verdict.message)   // ERR_TIMESTAMP_INVALID
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID` when a trust anchor is unreadable.
 * @throws TypeError without trust anchors, with a `digest` that is not 32 bytes, or an `at` that is not a valid Date.
 * @public
 */
export async function verifyTimeStampToken(token: Uint8Array, options: VerifyTimeStampTokenOptions): Promise<VerifyTimeStampTokenResult> {
  if (options === null || typeof options !== 'object') throw new TypeError('verifyTimeStampToken: options are required');
  if (!(options.digest instanceof Uint8Array) || options.digest.length !== 32) {
    throw new TypeError('verifyTimeStampToken: options.digest must be a SHA-256 digest (Uint8Array of 32 bytes)');
  }
  if (!Array.isArray(options.trust) || options.trust.length === 0 || !options.trust.every((c) => c instanceof Uint8Array)) {
    throw new TypeError('verifyTimeStampToken: options.trust must list at least one DER certificate');
  }
  if (options.at !== undefined && (!(options.at instanceof Date) || Number.isNaN(options.at.getTime()))) {
    throw new TypeError('verifyTimeStampToken: options.at must be a valid Date');
  }
  const locale = resolveLocale(options.locale);
  const crypto = resolveCrypto(options.crypto);
  let store: TrustStore;
  try {
    store = new TrustStore(options.trust, crypto);
  } catch (e) {
    if (e instanceof Failure) throw new SealError(e.code, { locale, cause: e });
    throw e;
  }
  if (!(token instanceof Uint8Array) || token.length > MAX_TSP_BYTES) return failure('structure', locale);
  try {
    // 1. The CMS envelope, and the TSTInfo it carries.
    const bytes = Uint8Array.from(token);
    const p: ParsedSignedData = parseSignedData(bytes);
    if (p.eContentType !== OID.tstInfo || p.content === undefined) throw new TokenFailure('content-type');
    let info: TstInfo;
    try {
      info = parseTstInfo(p.content);
    } catch (e) {
      if (e instanceof DerError) throw new TokenFailure('structure');
      throw e;
    }
    // 2. The imprint, before any costly check: a token for another digest proves nothing here.
    if (info.imprint.hashAlgorithm.oid !== OID.sha256 || !bytesEqual(info.imprint.hashedMessage, options.digest)) throw new TokenFailure('imprint');
    // 3. Signed attributes, ESSCertIDv2, signature, TSA usage, chain at genTime (or `at`).
    const check = await checkSignedData(bytes, p, p.content, store, crypto, {
      eContentType: OID.tstInfo,
      checkUsage: checkTsaUsage,
      at: options.at ?? info.genTime,
    });
    return {
      ok: true,
      issues: [],
      genTime: info.genTime,
      serialNumber: toHex(info.serialNumber),
      policy: info.policy,
      tsaSubject: check.cert.subjectText,
      tsaCertificate: Uint8Array.from(check.cert.der),
      ...(info.accuracyMs === undefined ? {} : { accuracyMs: info.accuracyMs }),
    };
  } catch (e) {
    if (e instanceof TokenFailure) return failure(e.detail, locale);
    if (e instanceof DerError) return failure('structure', locale);
    if (e instanceof Failure) return failure(DETAIL_BY_CODE[e.code] ?? 'structure', locale);
    throw e;
  }
}

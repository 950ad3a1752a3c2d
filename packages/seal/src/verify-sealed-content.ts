import { bytesEqual, readClock, resolveClock, resolveLocale, toHex, type Clock, type ContentVerifier, type Locale, type SignatureCheck } from '@s3404/core';
import { failureCode, verificationFailure, type RecordFailure } from './verify-record.js';
import type { CryptoProvider } from './web-crypto.js';
import { TrustStore, checkValidityAt } from './internal/chain.js';
import { checkSignedData, describeSigner } from './internal/check-signed-data.js';
import { parseSignedData } from './internal/cms-parse.js';
import { resolveCrypto } from './internal/crypto.js';

/** Options of {@link verifySealedContent} (SIG-3, AUD-2, AUD-4). @public */
export interface VerifyContentOptions {
  /** The trust anchors (DER certificates). */
  readonly trustAnchors: readonly Uint8Array[];
  /** The content of a detached signature. */
  readonly content?: Uint8Array;
  /** Verification clock: a signing time after it, plus the skew, is refused. Default: the system clock. */
  readonly now?: Clock;
  /**
   * The validation time (AUD-2): the seal certificate and its chain must be
   * valid at this instant too (`ERR_CERT_EXPIRED`, `ERR_CERT_NOT_YET_VALID`
   * otherwise), and a signing time after it, plus the skew, is refused —
   * e.g. the `genTime` of a verified time-stamp token over the signature,
   * which keeps it verifiable after the certificate expired. Default: none,
   * the chain is checked at the signing time only.
   */
  readonly at?: Date;
  /** Tolerated clock difference, seconds. Default 300. */
  readonly clockSkewSeconds?: number;
  /** Largest CMS accepted, bytes. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of failure messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** Sealed content that verified (SIG-3): `ok`, no issues, and what the seal proves. @public */
export interface VerifiedContent {
  readonly ok: true;
  readonly issues: readonly [];
  /** The signed bytes (the given content for a detached signature). */
  readonly content: Uint8Array;
  /** The signing-time attribute, ISO 8601 UTC. */
  readonly signingTime: string;
  /** The seal certificate: subject, serial number (hex) and the anchor it chains to. */
  readonly signer: { readonly subject: string; readonly serialNumber: string; readonly anchor: string };
  /** e.g. `ECDSA P-256 SHA-256`. */
  readonly algorithm: string;
}

/** The verdict of {@link verifySealedContent} (SIG-3, conventions §5). @public */
export type VerifyContentResult = VerifiedContent | RecordFailure;

/**
 * Verifies content signed by {@link createContentSigner} (SIG-3, AUD-2,
 * AUD-4): structure, signed attributes, digest, signature, chain to the
 * anchors at signing time, signing time not in the future. Never throws for
 * bad input: the verdict says why, with a fixed message.
 *
 * `import { verifySealedContent } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const verdict = await verifySealedContent(p7s, { trustAnchors: [caDer], content: manifestBytes })
 * if (verdict.ok) console.log(verdict.signer.subject, verdict.signingTime)
 * else console.error(verdict.code, verdict.message)
 * ```
 * @throws TypeError without trust anchors, or with a `content` that is not a `Uint8Array`.
 * @public
 */
export async function verifySealedContent(bytes: Uint8Array, options: VerifyContentOptions): Promise<VerifyContentResult> {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    throw new TypeError('verifySealedContent: options.trustAnchors must list at least one DER certificate');
  }
  const locale = resolveLocale(options.locale);
  const now = resolveClock(options.now, 'verifySealedContent');
  if (!(bytes instanceof Uint8Array)) return verificationFailure('ERR_SEAL_MALFORMED', locale);
  if (options.content !== undefined && !(options.content instanceof Uint8Array))
    throw new TypeError('verifySealedContent: options.content must be a Uint8Array');
  if (options.at !== undefined && (!(options.at instanceof Date) || Number.isNaN(options.at.getTime())))
    throw new TypeError('verifySealedContent: options.at must be a valid Date');
  if (bytes.length > (options.maxBytes ?? 1 << 20)) return verificationFailure('ERR_SEAL_TOO_LARGE', locale);
  const crypto = resolveCrypto(options.crypto);
  try {
    const store = new TrustStore(options.trustAnchors, crypto);
    const p = parseSignedData(bytes, { detached: true });
    let content: Uint8Array;
    if (p.content === undefined) {
      if (options.content === undefined) return verificationFailure('ERR_SEAL_CONTENT_TYPE', locale);
      content = options.content;
    } else {
      if (options.content !== undefined && !bytesEqual(options.content, p.content)) return verificationFailure('ERR_SEAL_DIGEST_MISMATCH', locale);
      content = p.content;
    }
    const check = await checkSignedData(bytes, p, content, store, crypto);
    const skewMs = (options.clockSkewSeconds ?? 300) * 1000;
    const at = readClock(now, 'verifySealedContent');
    if (check.signingTime.getTime() > at.getTime() + skewMs) return verificationFailure('ERR_SEAL_SIGNING_TIME', locale);
    if (options.at !== undefined) {
      // Validation at a proven instant (a time-stamp's genTime): the signature existed then.
      if (check.signingTime.getTime() > options.at.getTime() + skewMs) return verificationFailure('ERR_SEAL_SIGNING_TIME', locale);
      checkValidityAt(check.path, options.at);
    }
    return { ok: true, issues: [], content, signingTime: check.signingTime.toISOString(), ...describeSigner(check, toHex) };
  } catch (e) {
    const code = failureCode(e);
    if (code === undefined) throw e;
    return verificationFailure(code, locale);
  }
}

/** Options of {@link createContentVerifier} (SIG-3, AUD-2, AUD-4). @public */
export type ContentVerifierOptions = Omit<VerifyContentOptions, 'content'>;

/**
 * Core's `ContentVerifier` over trust anchors (SIG-3, AUD-2, AUD-4, SCOR-2):
 * checks a detached CMS signature made by {@link createContentSigner} —
 * structure, signed attributes, digest, signature, chain to the anchors at
 * signing time, and at the validation time `at` when the caller gives one
 * (e.g. a time-stamp token's genTime, AUD-2) — and answers with core's
 * `SignatureCheck`: `valid` with the signer's subject and signing time, or
 * `invalid` with a code and a fixed message. Never throws for a bad signature.
 *
 * `import { createContentVerifier } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const verifier = createContentVerifier({ trustAnchors: [caDer] })
 * const check = await verifier.verify(manifestBytes, p7s)   // { status: 'valid', signer, signedAt }
 * await verifier.verify(body, p7s, { at: new Date(genTime) }) // the chain valid at a time-stamp's genTime
 * const report = await log.verify({ verifier })            // @s3404/audit
 * ```
 * @throws TypeError without trust anchors.
 * @public
 */
export function createContentVerifier(options: ContentVerifierOptions): ContentVerifier {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    throw new TypeError('createContentVerifier: options.trustAnchors must list at least one DER certificate');
  }
  resolveClock(options.now, 'createContentVerifier');
  return {
    async verify(content, signature, verifyOptions): Promise<SignatureCheck & { readonly status: 'valid' | 'invalid' }> {
      if (!(content instanceof Uint8Array)) throw new TypeError('verify: content must be a Uint8Array');
      const at = verifyOptions?.at;
      const verdict = await verifySealedContent(signature, { ...options, content, ...(at === undefined ? {} : { at }) });
      return verdict.ok
        ? { status: 'valid', signer: verdict.signer.subject, signedAt: verdict.signingTime }
        : { status: 'invalid', code: verdict.code, message: verdict.message };
    },
  };
}

import type { ContentSigner, ContentVerifier, SignatureCheck } from '@s3404/core';
import type { Locale } from '@s3404/form/errors';
import { SealError } from './errors/seal-error.js';
import { sealMessage, type SealErrorCode } from './errors/messages.js';
import type { Signer } from './signer.js';
import type { RecordFailure } from './verify-record.js';
import { toHex } from './internal/base64.js';
import { TrustStore, checkValidityAt } from './internal/chain.js';
import { checkSignedData, describeSigner } from './internal/check-signed-data.js';
import { parseSignedData } from './internal/cms-parse.js';
import { resolveCrypto, type CryptoProvider } from './internal/crypto.js';
import { DerError } from './internal/der.js';
import { Failure } from './internal/failure.js';
import { prepareSealKey, signContent, type SealKey } from './internal/seal-key.js';

/** Options of {@link createContentSealer} (SIG-3, AUD-2, AUD-4). @public */
export interface ContentSealerOptions {
  /** The establishment's seal key: a {@link Signer}, a Web Crypto private key, or PKCS#8 DER bytes. */
  readonly key: Signer | CryptoKey | Uint8Array;
  /** Its certificate (DER). */
  readonly certificate: Uint8Array;
  /** Intermediate certificates (DER) to embed. */
  readonly chain?: readonly Uint8Array[];
  /** Signing-time clock (determinism). Default: system clock. */
  readonly now?: () => Date;
  readonly crypto?: CryptoProvider;
  readonly locale?: Locale;
}

/**
 * Seals arbitrary bytes with the establishment key as a CMS SignedData
 * (RFC 5652), attached or detached: audit checkpoints and export manifests
 * (AUD-2, AUD-4). `openssl cms -verify` checks what it produces.
 *
 * @public
 */
export interface ContentSealer {
  /** The seal certificate's subject, e.g. `CN=…, O=…`. */
  readonly subject: string;
  /**
   * Seals `content`. `detached: true` leaves the content out of the CMS
   * (the verifier is given it separately).
   */
  seal(content: Uint8Array, options?: { readonly detached?: boolean }): Promise<Uint8Array>;
}

/**
 * Creates a {@link ContentSealer} (SIG-3, AUD-2). Checks once that the
 * certificate allows signing and that the key matches it.
 *
 * @example
 * ```ts
 * const sealer = await createContentSealer({ key: readPemPrivateKey(keyPem), certificate: readPemCertificates(certPem)[0] })
 * const p7s = await sealer.seal(new TextEncoder().encode(body), { detached: true })
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID`, `ERR_CERT_KEY_USAGE`, `ERR_KEY_INVALID`, `ERR_KEY_MISMATCH`.
 * @public
 */
export async function createContentSealer(options: ContentSealerOptions): Promise<ContentSealer> {
  if (options === null || typeof options !== 'object') throw new TypeError('createContentSealer: options are required');
  const locale = options.locale ?? 'fr';
  const crypto = resolveCrypto(options.crypto);
  const key: SealKey = await prepareSealKey({ key: options.key, certificate: options.certificate, chain: options.chain, crypto, locale });
  const now = options.now ?? (() => new Date());
  return {
    subject: key.cert.subjectText,
    async seal(content, sealOptions = {}) {
      if (!(content instanceof Uint8Array)) throw new TypeError('seal: content must be a Uint8Array');
      const at = now();
      try {
        checkValidityAt([key.cert], at);
      } catch (e) {
        if (e instanceof Failure) throw new SealError(e.code, { locale });
        throw e;
      }
      return signContent(key, content, new Date(Math.floor(at.getTime() / 1000) * 1000), sealOptions.detached === true);
    },
  };
}

/** Options of {@link verifySealedContent} (SIG-3, AUD-2, AUD-4). @public */
export interface VerifyContentOptions {
  /** The trust anchors (DER certificates). */
  readonly trustAnchors: readonly Uint8Array[];
  /** The content of a detached signature. */
  readonly content?: Uint8Array;
  /** Verification clock: a signing time after it (plus the skew) is refused. */
  readonly now?: () => Date;
  /** Tolerated clock difference, seconds. Default 300. */
  readonly clockSkewSeconds?: number;
  /** Largest CMS accepted, bytes. Default 1 MiB. */
  readonly maxBytes?: number;
  readonly crypto?: CryptoProvider;
  readonly locale?: Locale;
}

/** Sealed content that verified (SIG-3). @public */
export interface VerifiedContent {
  readonly valid: true;
  /** The signed bytes (the given content for a detached signature). */
  readonly content: Uint8Array;
  readonly signingTime: string;
  readonly signer: { readonly subject: string; readonly serialNumber: string; readonly anchor: string };
  readonly algorithm: string;
}

/**
 * Verifies content sealed by {@link createContentSealer} (SIG-3, AUD-2):
 * structure, signed attributes, digest, signature, chain to the anchors at
 * signing time. Never throws for bad input: the result says why.
 *
 * @public
 */
export async function verifySealedContent(bytes: Uint8Array, options: VerifyContentOptions): Promise<VerifiedContent | RecordFailure> {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    throw new TypeError('verifySealedContent: options.trustAnchors must list at least one DER certificate');
  }
  const locale = options.locale ?? 'fr';
  const fail = (code: SealErrorCode): RecordFailure => ({ valid: false, code, message: sealMessage(code, {}, locale) });
  if (!(bytes instanceof Uint8Array)) return fail('ERR_SEAL_MALFORMED');
  if (options.content !== undefined && !(options.content instanceof Uint8Array)) throw new TypeError('verifySealedContent: options.content must be a Uint8Array');
  if (bytes.length > (options.maxBytes ?? 1 << 20)) return fail('ERR_SEAL_TOO_LARGE');
  const crypto = resolveCrypto(options.crypto);
  try {
    const store = new TrustStore(options.trustAnchors, crypto);
    const p = parseSignedData(bytes, { detached: true });
    let content: Uint8Array;
    if (p.content === undefined) {
      if (options.content === undefined) return fail('ERR_SEAL_CONTENT_TYPE');
      content = options.content;
    } else {
      if (options.content !== undefined && toHex(options.content) !== toHex(p.content)) return fail('ERR_SEAL_DIGEST_MISMATCH');
      content = p.content;
    }
    const check = await checkSignedData(bytes, p, content, store, crypto);
    const now = (options.now ?? (() => new Date()))();
    if (check.signingTime.getTime() > now.getTime() + (options.clockSkewSeconds ?? 300) * 1000) return fail('ERR_SEAL_SIGNING_TIME');
    return { valid: true, content, signingTime: check.signingTime.toISOString(), ...describeSigner(check, toHex) };
  } catch (e) {
    if (e instanceof Failure) return fail(e.code);
    if (e instanceof DerError) return fail('ERR_SEAL_MALFORMED');
    throw e;
  }
}

/**
 * The establishment's seal key as core's {@link ContentSigner} (SIG-3, AUD-2,
 * AUD-4, SCOR-2): `sign(content, { detached })` gives a CMS SignedData
 * (DER) that `openssl cms -verify` checks. Hand it to `createAuditLog`
 * (checkpoints), `exportEvents` (manifests) or `packLot` (lot manifests).
 *
 * `import { createContentSigner } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const signer = await createContentSigner({ key: readPemPrivateKey(keyPem), certificate: readPemCertificates(certPem)[0]! })
 * const log = createAuditLog({ store, signer })
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID`, `ERR_CERT_KEY_USAGE`, `ERR_KEY_INVALID`, `ERR_KEY_MISMATCH`.
 * @public
 */
export async function createContentSigner(options: ContentSealerOptions): Promise<ContentSigner> {
  const sealer = await createContentSealer(options);
  return { subject: sealer.subject, sign: (content, signOptions = {}) => sealer.seal(content, signOptions) };
}

/** Options of {@link createContentVerifier} (SIG-3, AUD-2, AUD-4). @public */
export type ContentVerifierOptions = Omit<VerifyContentOptions, 'content'>;

/**
 * Core's {@link ContentVerifier} over trust anchors (SIG-3, AUD-2, AUD-4):
 * checks a detached CMS signature made by {@link createContentSigner} —
 * structure, signed attributes, digest, signature, chain to the anchors at
 * signing time — and answers with a {@link SignatureCheck}. Never throws for
 * a bad signature.
 *
 * `import { createContentVerifier } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const verifier = createContentVerifier({ trustAnchors: [caDer] })
 * const report = await log.verify({ verifier })
 * ```
 * @throws TypeError without trust anchors.
 * @public
 */
export function createContentVerifier(options: ContentVerifierOptions): ContentVerifier {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    throw new TypeError('createContentVerifier: options.trustAnchors must list at least one DER certificate');
  }
  return {
    async verify(content, signature): Promise<SignatureCheck & { readonly status: 'valid' | 'invalid' }> {
      if (!(content instanceof Uint8Array)) throw new TypeError('verify: content must be a Uint8Array');
      const result = await verifySealedContent(signature, { ...options, content });
      return result.valid ? { status: 'valid', signer: result.signer.subject, signedAt: result.signingTime } : { status: 'invalid', code: result.code, message: result.message };
    },
  };
}

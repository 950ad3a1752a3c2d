import { readClock, resolveClock, resolveLocale, type Clock, type ContentSigner, type Locale } from '@s3404/core';
import { SealError } from './errors/seal-error.js';
import type { SigningKey } from './signing-key.js';
import type { CryptoProvider, WebCryptoKey } from './web-crypto.js';
import { checkValidityAt } from './internal/chain.js';
import { resolveCrypto } from './internal/crypto.js';
import { Failure } from './internal/failure.js';
import { prepareSealKey, signContent, signingTimeAt } from './internal/seal-key.js';

/** Options of {@link createContentSigner} (SIG-3, AUD-2, AUD-4, SCOR-2). @public */
export interface ContentSignerOptions {
  /** The establishment's seal key: a {@link SigningKey} (HSM, KMS), a Web Crypto private key, or PKCS#8 DER bytes. */
  readonly key: SigningKey | WebCryptoKey | Uint8Array;
  /** Its certificate (DER). */
  readonly certificate: Uint8Array;
  /** Intermediate certificates (DER) to embed. Default: none. */
  readonly chain?: readonly Uint8Array[];
  /** Signing-time clock (determinism). Default: the system clock. */
  readonly now?: Clock;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * The establishment's seal key as core's `ContentSigner` (SIG-3, AUD-2,
 * AUD-4, SCOR-2): `sign(content, { detached })` gives a CMS SignedData
 * (RFC 5652, DER), attached or detached, that `openssl cms -verify` checks
 * and {@link verifySealedContent} or {@link createContentVerifier} read
 * back. Hand it to `createAuditLog` (checkpoints), `exportEvents`
 * (manifests) or `packLot` (lot manifests). Checks once that the
 * certificate allows signing and that the key matches it; each `sign`
 * checks that the certificate is valid at that time.
 *
 * `import { createContentSigner } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const signer = await createContentSigner({ key: readPemPrivateKey(keyPem), certificate: readPemCertificates(certPem)[0]! })
 * const p7s = await signer.sign(new TextEncoder().encode(body), { detached: true })
 * const log = createAuditLog({ store, signer })   // @s3404/audit
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID`, `ERR_CERT_KEY_USAGE`, `ERR_KEY_INVALID`, `ERR_KEY_MISMATCH`;
 * from `sign`: `ERR_CERT_EXPIRED`, `ERR_CERT_NOT_YET_VALID`, `ERR_KEY_MISMATCH` (a vendor's key whose signature the
 * certificate does not verify: nothing is returned), `ERR_KEY_UNAVAILABLE` (its `sign` threw; its error as `cause`).
 * @throws TypeError for malformed options.
 * @public
 */
export async function createContentSigner(options: ContentSignerOptions): Promise<ContentSigner> {
  if (options === null || typeof options !== 'object') throw new TypeError('createContentSigner: options are required');
  const locale = resolveLocale(options.locale);
  const crypto = resolveCrypto(options.crypto);
  const now = resolveClock(options.now, 'createContentSigner');
  const key = await prepareSealKey({ key: options.key, certificate: options.certificate, chain: options.chain, crypto, locale });
  return {
    subject: key.cert.subjectText,
    async sign(content, signOptions = {}) {
      if (!(content instanceof Uint8Array)) throw new TypeError('sign: content must be a Uint8Array');
      const at = readClock(now, 'createContentSigner');
      try {
        checkValidityAt([key.cert], at);
      } catch (e) {
        if (e instanceof Failure) throw new SealError(e.code, { locale });
        throw e;
      }
      return signContent(key, content, signingTimeAt(at), signOptions.detached === true);
    },
  };
}

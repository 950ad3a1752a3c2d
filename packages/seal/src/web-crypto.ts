/**
 * The part of Web Crypto `@s3404/seal` uses, described structurally,
 * so that the package's types need neither the DOM library nor Node's: a
 * browser's `crypto`, Node's `globalThis.crypto` or `webcrypto` (from
 * `node:crypto`), Deno's and Bun's all fit, and so does an HSM bridge that
 * implements these few methods.
 */

/**
 * Web Crypto algorithm parameters as the seal passes them: a name such
 * as `ECDSA`, `RSASSA-PKCS1-v1_5` or `RSA-PSS`, and the members those
 * algorithms take.
 *
 * `import type { WebCryptoAlgorithm } from '@s3404/seal'`
 *
 * @public
 */
export interface WebCryptoAlgorithm {
  readonly name: string;
  /** `SHA-256`, `SHA-384` or `SHA-512`. */
  readonly hash?: string;
  /** `P-256`, `P-384` or `P-521`. */
  readonly namedCurve?: string;
  /** RSA-PSS salt length, bytes. */
  readonly saltLength?: number;
  /** RSA modulus length, bits (key generation). */
  readonly modulusLength?: number;
  /** RSA public exponent, big-endian (key generation). */
  readonly publicExponent?: Uint8Array<ArrayBuffer>;
}

/**
 * A Web Crypto key as the seal reads it (SIG-3, X-1): its type, algorithm
 * and usages. A `CryptoKey` of a browser and Node's `webcrypto.CryptoKey`
 * are both `WebCryptoKey`s.
 *
 * `import type { WebCryptoKey } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const key = await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
 * const signingKey = signingKeyFromCryptoKey(key)
 * ```
 * @public
 */
export interface WebCryptoKey {
  /** `private`, `public` or `secret`. */
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: {
    readonly name: string;
    readonly namedCurve?: string;
    readonly modulusLength?: number;
    readonly hash?: { readonly name: string };
  };
  readonly usages: readonly string[];
}

/**
 * The `SubtleCrypto` methods the seal calls (SIG-3, X-1): `digest`,
 * `importKey` (SubjectPublicKeyInfo and PKCS#8), `sign` and `verify`. The
 * platform's `crypto.subtle` fits as it is.
 *
 * `import type { SubtleCryptoLike } from '@s3404/seal'`
 *
 * @public
 */
export interface SubtleCryptoLike {
  digest(algorithm: string, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  importKey(
    format: 'spki' | 'pkcs8',
    keyData: Uint8Array<ArrayBuffer>,
    algorithm: WebCryptoAlgorithm,
    extractable: boolean,
    keyUsages: ('sign' | 'verify')[],
  ): Promise<WebCryptoKey>;
  sign(algorithm: WebCryptoAlgorithm, key: WebCryptoKey, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  verify(algorithm: WebCryptoAlgorithm, key: WebCryptoKey, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>;
}

/**
 * The Web Crypto the seal uses, injectable for tests, HSM bridges or other
 * runtimes (SIG-3, X-1). Default: `globalThis.crypto`.
 *
 * `import type { CryptoProvider } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * import { webcrypto } from 'node:crypto'
 * const verifier = createVerifier({ trustAnchors, crypto: webcrypto })
 * ```
 * @public
 */
export interface CryptoProvider {
  readonly subtle: SubtleCryptoLike;
}

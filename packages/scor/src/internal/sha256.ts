import type { Sha256 } from '@s3404/core';

/** A SHA-256 the package awaits: core's synchronous {@link Sha256}, or the default Web Crypto one. */
export type Digest = (data: Uint8Array) => Promise<Uint8Array>;

interface WebCryptoDigest {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

/**
 * SHA-256 through Web Crypto, available in Node 20+, browsers, Deno and Bun
 * asynchronous, so the hashing of one file runs on another thread
 * while the next one is checked. Typed without the DOM library.
 */
const webSha256: Digest = async (data) => {
  const subtle = webCrypto();
  if (subtle === undefined) throw new TypeError('SHA-256: no Web Crypto in this runtime; pass options.sha256 (e.g. nodeSha256 of @s3404/core/node)');
  return new Uint8Array(await subtle.digest('SHA-256', data));
};

/** The runtime's Web Crypto digest, when it has one. */
function webCrypto(): WebCryptoDigest | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: Partial<WebCryptoDigest> } }).crypto?.subtle;
  return typeof subtle?.digest === 'function' ? (subtle as WebCryptoDigest) : undefined;
}

/** Whether the runtime has Web Crypto's digest (the default {@link resolveDigest} uses). */
export function hasWebCrypto(): boolean {
  return webCrypto() !== undefined;
}

/**
 * The SHA-256 of an operation (SCOR-2): the `sha256` option (core's
 * synchronous shape), or Web Crypto by default.
 *
 * @throws TypeError naming `who` when `sha256` is given and is no function.
 */
export function resolveDigest(sha256: Sha256 | undefined, who: string): Digest {
  if (sha256 === undefined) return webSha256;
  if (typeof sha256 !== 'function') throw new TypeError(`${who}: options.sha256 must be a function (data: Uint8Array) => Uint8Array`);
  return async (data) => sha256(data);
}

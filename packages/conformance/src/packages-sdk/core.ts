import { canonicalJson, fromBase64, fromBase64url, fromHex, toBase64, toBase64url, toHex, type Sha256 } from '@s3404/core';
import type { ConformanceCoreSdk } from '../sdk-core.js';

interface WebCrypto {
  readonly subtle: { digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer> };
}

/** SHA-256 by the runtime's Web Crypto (Node ≥ 20, browsers, Deno, Bun). */
async function webSha256(bytes: Uint8Array): Promise<Uint8Array> {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (crypto?.subtle === undefined) throw new TypeError('createPackagesSdk: this runtime has no Web Crypto; pass options.sha256');
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/**
 * The runtime-neutral primitives of `@s3404/core` wired into the runner's
 * interface, with SHA-256 from the `sha256` given or, by default,
 * the runtime's Web Crypto (`crypto.subtle.digest`).
 */
export function coreSdk(sha256: Sha256 | undefined): ConformanceCoreSdk {
  return {
    canonicalJson,
    toBase64,
    fromBase64,
    toBase64url,
    fromBase64url,
    toHex,
    fromHex,
    sha256: async (bytes) => (sha256 === undefined ? webSha256(bytes) : sha256(bytes)),
  };
}

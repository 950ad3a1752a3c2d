import { builtinSha256 } from '@s3404/core';
import type { CryptoProvider } from '../web-crypto.js';

/** The given provider, or the platform's Web Crypto. */
export function resolveCrypto<C extends CryptoProvider = CryptoProvider>(provided: C | undefined): C {
  const c = provided ?? (globalThis as unknown as { crypto?: C }).crypto;
  if (c === undefined || c === null || typeof c.subtle !== 'object' || c.subtle === null) {
    throw new TypeError('Web Crypto is not available: pass options.crypto (an object with subtle).');
  }
  return c;
}

/** A view with its own ArrayBuffer, as Web Crypto's BufferSource typing wants. */
export function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

/** The runtime's native SHA-256, when it has one. */
const nativeSha256 = builtinSha256();

/**
 * The digest of `data` as bytes (SIG-3). SHA-256 with the platform's own Web
 * Crypto is computed by the runtime's native SHA-256 at once, without Web
 * Crypto's round trip through a job queue (the same digest; issue 19); an
 * injected provider is always asked.
 */
export async function digest(crypto: CryptoProvider, hash: string, data: Uint8Array): Promise<Uint8Array> {
  if (nativeSha256 !== undefined && hash === 'SHA-256' && crypto === (globalThis as { crypto?: unknown }).crypto) return nativeSha256(data);
  return new Uint8Array(await crypto.subtle.digest(hash, buffer(data)));
}

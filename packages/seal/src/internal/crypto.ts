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

/** The digest of `data` as bytes (SIG-3). */
export async function digest(crypto: CryptoProvider, hash: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, buffer(data)));
}

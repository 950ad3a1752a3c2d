/**
 * The Web Crypto surface the seal uses, injectable for tests, HSM bridges or
 * other runtimes. Defaults to `globalThis.crypto`.
 */
export interface CryptoProvider {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
}

export function resolveCrypto(provided: CryptoProvider | undefined): CryptoProvider {
  const c = provided ?? (globalThis as { crypto?: CryptoProvider }).crypto;
  if (c === undefined || c.subtle === undefined) {
    throw new TypeError('Web Crypto is not available: pass options.crypto (an object with subtle and getRandomValues).');
  }
  return c;
}

/** A view with its own ArrayBuffer, as Web Crypto's BufferSource typing wants. */
export function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

import { builtinModule } from './builtin-module.js';

/** The part of a Node-compatible `buffer` module {@link bytesEqual} uses. */
interface BufferModule {
  readonly Buffer?: { compare?(a: Uint8Array, b: Uint8Array): number };
}

/** The runtime's native comparison (memcmp) when it has one that behaves, else `undefined`. */
const nativeCompare = ((): ((a: Uint8Array, b: Uint8Array) => number) | undefined => {
  const compare = builtinModule<BufferModule>('node:buffer')?.Buffer?.compare;
  if (typeof compare !== 'function') return undefined;
  try {
    const ok = compare(Uint8Array.of(1, 2), Uint8Array.of(1, 3)) < 0 && compare(Uint8Array.of(5, 6, 7), Uint8Array.of(5, 6, 7)) === 0;
    return ok ? compare : undefined;
  } catch {
    return undefined;
  }
})();

/** Below this length a loop is cheaper than a call into the runtime. */
const NATIVE_FROM = 64;

/**
 * Whether two byte arrays hold the same bytes. Not constant-time: for
 * digests and public values, never for secrets. Long arrays are compared by
 * the runtime's native `memcmp` where it has one (Node, Bun, Deno: a PDF of
 * 100 KB in a few microseconds; issue 19), else four bytes at a time.
 *
 * `import { bytesEqual } from '@s3404/core'`
 *
 * @public
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (a.length >= NATIVE_FROM && nativeCompare !== undefined) return nativeCompare(a, b) === 0;
  let i = 0;
  // 32-bit words where both are aligned the same way (no allocation per word, unlike 64-bit reads).
  if (a.length >= NATIVE_FROM && a.byteOffset % 4 === b.byteOffset % 4) {
    for (; (a.byteOffset + i) % 4 !== 0; i++) if (a[i] !== b[i]) return false;
    const n = (a.length - i) >>> 2;
    const x = new Uint32Array(a.buffer, a.byteOffset + i, n);
    const y = new Uint32Array(b.buffer, b.byteOffset + i, n);
    for (let k = 0; k < n; k++) if (x[k] !== y[k]) return false;
    i += n * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The bytes of several arrays one after the other.
 *
 * `import { concatBytes } from '@s3404/core'`
 *
 * @public
 */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

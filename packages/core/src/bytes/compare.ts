/**
 * Whether two byte arrays hold the same bytes. Not constant-time: for
 * digests and public values, never for secrets.
 *
 * `import { bytesEqual } from '@s3404/core'`
 *
 * @public
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
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

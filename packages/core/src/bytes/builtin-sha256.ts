import { builtinModule } from './builtin-module.js';
import type { Sha256 } from './sha256.js';

/** The part of a Node-compatible `crypto` module the SHA-256 below uses. */
interface HashModule {
  readonly hash?: (algorithm: string, data: Uint8Array, encoding: 'latin1' | 'hex') => string;
  readonly createHash: (algorithm: string) => { update(data: Uint8Array): { digest(): Uint8Array } };
}

/**
 * The native SHA-256 of a Node-compatible `crypto` module, in the
 * {@link Sha256} shape: the one-shot `hash` as a latin1 string, one
 * character per byte, copied into a small array on the engine's heap (a
 * native buffer per digest costs more in garbage collection than the
 * hashing, at a million digests; issue 19: latin1 rather than hex, half the
 * characters to write and read), with its `hex` from the same one-shot;
 * else `createHash`.
 */
export function sha256Of(crypto: HashModule): Sha256 {
  const oneShot = crypto.hash;
  if (oneShot === undefined) return (data) => new Uint8Array(crypto.createHash('sha256').update(data).digest());
  const sha256 = (data: Uint8Array): Uint8Array => {
    const digest = oneShot('sha256', data, 'latin1');
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = digest.charCodeAt(i);
    return out;
  };
  return Object.assign(sha256, { hex: (data: Uint8Array): string => oneShot('sha256', data, 'hex') });
}

/**
 * The runtime's built-in native SHA-256 when it has one (AUD-2, X-1): Node
 * 20.16+, Bun and Deno give their `node:crypto` through
 * `process.getBuiltinModule`, without any import, so runtime-neutral code
 * can use it; `undefined` in a browser or an older runtime, where the
 * caller keeps its pure implementation. The digests are the same.
 *
 * `import { builtinSha256 } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const sha256 = builtinSha256() ?? pureSha256
 * ```
 * @public
 */
export function builtinSha256(): Sha256 | undefined {
  const crypto = builtinModule<HashModule>('node:crypto');
  try {
    if (crypto === undefined || typeof crypto.createHash !== 'function') return undefined;
    const sha256 = sha256Of(crypto);
    // Used only when it gives the standard digest (a shimmed module that does not is ignored).
    const input = new Uint8Array([0x61, 0x62, 0x63]);
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    return hex(sha256(input)) === abc && (sha256.hex === undefined || sha256.hex(input) === abc) ? sha256 : undefined;
  } catch {
    return undefined;
  }
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

import * as crypto from 'node:crypto';
import type { Sha256 } from '@s3404/core';

const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, encoding: 'hex') => string }).hash;

/** Value of each ASCII code as a hex digit (lowercase, as `crypto.hash` writes them). */
const DIGIT = new Int8Array(128);
for (let i = 0; i < 10; i++) DIGIT[48 + i] = i;
for (let i = 0; i < 6; i++) DIGIT[97 + i] = 10 + i;

/**
 * Node's native SHA-256 for the verifications of this subpath (AUD-2),
 * without a native buffer per digest: the one-shot `crypto.hash` gives hex,
 * decoded into a small typed array the engine allocates on its own heap.
 * At a million lines (two digests each: the line and a Merkle node, on
 * average) the native buffers cost more in garbage collection than the
 * hashing. Same digests as `nodeSha256`; `createHash` where the runtime
 * has no `crypto.hash`.
 */
export const nativeSha256: Sha256 =
  oneShot !== undefined
    ? (data) => {
        const hex = oneShot('sha256', data, 'hex');
        const out = new Uint8Array(32);
        for (let i = 0; i < 32; i++) out[i] = (DIGIT[hex.charCodeAt(2 * i)]! << 4) | DIGIT[hex.charCodeAt(2 * i + 1)]!;
        return out;
      }
    : (data) => new Uint8Array(crypto.createHash('sha256').update(data).digest());

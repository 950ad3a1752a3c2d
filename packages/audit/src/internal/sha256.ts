import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/**
 * A synchronous SHA-256 (AUD-2). Default: @noble/hashes (pure, any runtime);
 * Node users may inject the native one (`nodeSha256` from `@s3404/audit/file`).
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

export const defaultSha256: Sha256 = (data) => nobleSha256(data);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

const NIBBLE = new Int8Array(128).fill(0);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[97 + i] = 10 + i;

/** Lowercase hex to bytes (callers pass validated hex). */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (NIBBLE[hex.charCodeAt(2 * i) & 127]! << 4) | NIBBLE[hex.charCodeAt(2 * i + 1) & 127]!;
  return out;
}

export const ZERO_HASH = '0'.repeat(64);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[97 + i] = 10 + i;
  NIBBLE[65 + i] = 10 + i;
}

/**
 * Lowercase hexadecimal of bytes: digests, serial numbers.
 *
 * `import { toHex } from '@s3404/core'`
 *
 * @example
 * ```ts
 * toHex(new Uint8Array([0, 255])) // '00ff'
 * ```
 * @public
 */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/**
 * Bytes of a hexadecimal string: an even number of `0-9a-fA-F`
 * characters, nothing else; `null` otherwise.
 *
 * `import { fromHex } from '@s3404/core'`
 *
 * @example
 * ```ts
 * fromHex('00ff') // Uint8Array [0, 255]
 * fromHex('0g')   // null
 * ```
 * @public
 */
export function fromHex(hex: string): Uint8Array | null {
  if (typeof hex !== 'string' || hex.length % 2 !== 0) return null;
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const a = hex.charCodeAt(2 * i);
    const b = hex.charCodeAt(2 * i + 1);
    const hi = a < 128 ? NIBBLE[a]! : -1;
    const lo = b < 128 ? NIBBLE[b]! : -1;
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

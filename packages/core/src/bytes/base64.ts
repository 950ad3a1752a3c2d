const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function lookup(alphabet: string): Int16Array {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const LOOKUP = lookup(ALPHABET);
const URL_LOOKUP = lookup(URL_ALPHABET);

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  const parts: string[] = [];
  let chunk = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
    if (chunk.length >= 16_384) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    chunk += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    chunk += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + (pad ? '=' : '');
  }
  parts.push(chunk);
  return parts.join('');
}

/**
 * Strict decoding: every character in the alphabet, canonical padding (or
 * none for base64url), unused bits zero; `null` otherwise. A strict decoder
 * gives one text per byte string, so a signed value cannot be re-encoded
 * behind a verifier's back.
 */
function decode(text: string, table: Int16Array, padded: boolean): Uint8Array | null {
  if (typeof text !== 'string') return null;
  let len = text.length;
  if (padded) {
    if (len % 4 !== 0) return null;
    if (text.endsWith('==')) len -= 2;
    else if (text.endsWith('=')) len -= 1;
  } else if (len % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? table[c]! : -1;
    if (d < 0) return null;
    acc = (acc << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) return null; // non-zero unused bits: not canonical
  return out;
}

/**
 * Standard base64 with padding (RFC 4648 §4).
 *
 * `import { toBase64 } from '@s3404/core'`
 *
 * @example
 * ```ts
 * toBase64(new TextEncoder().encode('S3404')) // 'UzM0MDQ='
 * ```
 * @public
 */
export function toBase64(bytes: Uint8Array): string {
  return encode(bytes, ALPHABET, true);
}

/**
 * Strict base64 (RFC 4648 §4): canonical padding, no white space, no URL
 * alphabet, zero unused bits; `null` when the text is not exactly that.
 * Strip PEM line breaks first.
 *
 * `import { fromBase64 } from '@s3404/core'`
 *
 * @example
 * ```ts
 * fromBase64('UzM0MDQ=') // bytes of 'S3404'
 * fromBase64('UzM0MDR=') // null (non-zero unused bits)
 * ```
 * @public
 */
export function fromBase64(text: string): Uint8Array | null {
  return decode(text, LOOKUP, true);
}

/**
 * Base64url without padding (RFC 4648 §5): nonces, tokens.
 *
 * `import { toBase64url } from '@s3404/core'`
 *
 * @public
 */
export function toBase64url(bytes: Uint8Array): string {
  return encode(bytes, URL_ALPHABET, false);
}

/**
 * Strict base64url without padding (RFC 4648 §5); `null` otherwise.
 *
 * `import { fromBase64url } from '@s3404/core'`
 *
 * @public
 */
export function fromBase64url(text: string): Uint8Array | null {
  return decode(text, URL_LOOKUP, false);
}

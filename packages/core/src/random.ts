/**
 * A source of random bytes: fills the given array and returns it, like
 * `crypto.getRandomValues`. Inject a seeded one in tests for
 * deterministic output; the default is the platform's CSPRNG.
 *
 * `import type { RandomSource } from '@s3404/core'`
 *
 * @public
 */
export type RandomSource = (bytes: Uint8Array) => Uint8Array;

interface WebCryptoRandom {
  getRandomValues(bytes: Uint8Array): Uint8Array;
}

/**
 * The platform's CSPRNG through Web Crypto's `getRandomValues` (Node 20+,
 * browsers, Deno, Bun), or `random` when given.
 *
 * `import { resolveRandom } from '@s3404/core'`
 *
 * @throws TypeError when no `random` is given and Web Crypto is unavailable.
 * @public
 */
export function resolveRandom(random?: RandomSource): RandomSource {
  if (random !== undefined) {
    if (typeof random !== 'function') throw new TypeError('random must be a function (bytes: Uint8Array) => Uint8Array');
    return random;
  }
  const c = (globalThis as { crypto?: Partial<WebCryptoRandom> }).crypto;
  if (c === undefined || typeof c.getRandomValues !== 'function') throw new TypeError('No CSPRNG available (Web Crypto): pass options.random.');
  const web = c as WebCryptoRandom;
  // getRandomValues fills at most 65,536 bytes a call.
  return (bytes) => {
    for (let i = 0; i < bytes.length; i += 65_536) web.getRandomValues(bytes.subarray(i, Math.min(bytes.length, i + 65_536)));
    return bytes;
  };
}

/**
 * `length` random bytes from `random`.
 *
 * `import { randomBytes } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const nonce = randomBytes(resolveRandom(), 16)
 * ```
 * @throws TypeError when the source does not fill a `Uint8Array` of that length.
 * @public
 */
export function randomBytes(random: RandomSource, length: number): Uint8Array {
  const out = random(new Uint8Array(length));
  if (!(out instanceof Uint8Array) || out.length < length) throw new TypeError(`The random source must fill a Uint8Array(${length}).`);
  return out.length === length ? out : out.subarray(0, length);
}

const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Where the two hex digits of each of the 16 bytes go in the 36-character text (dashes at 8, 13, 18, 23). */
const DIGITS_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
/** The char codes of a UUID's text, its dashes in place, reused: filled and read by {@link uuidText} alone. */
const uuidCodes: number[] = Array.from('00000000-0000-0000-0000-000000000000', (c) => c.charCodeAt(0));

/** The 8-4-4-4-12 lowercase hex text of 16 bytes, as one flat string made in one allocation (issue 19: no pair-by-pair concatenation). */
function uuidText(b: Uint8Array): string {
  for (let i = 0; i < 16; i++) {
    const at = DIGITS_AT[i]!;
    uuidCodes[at] = HEX_DIGITS[b[i]! >> 4]!;
    uuidCodes[at + 1] = HEX_DIGITS[b[i]! & 15]!;
  }
  return String.fromCharCode.apply(null, uuidCodes);
}

/**
 * A random UUID version 4 (RFC 9562 §5.4) from `random`.
 *
 * `import { uuidV4 } from '@s3404/core'`
 *
 * @example
 * ```ts
 * uuidV4(resolveRandom()) // '3b241101-e2bb-4255-8caf-4136c566a962'
 * ```
 * @public
 */
export function uuidV4(random: RandomSource): string {
  const b = Uint8Array.from(randomBytes(random, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return uuidText(b);
}

/**
 * A generator of UUIDs version 7 (RFC 9562 §5.7): 48-bit Unix milliseconds,
 * then a 12-bit counter (§6.2 method 1) so that ids of one generator sort in
 * creation order even within a millisecond or when the clock steps back,
 * then 62 random bits drawn from `random` 4 KiB at a time (AUD-1).
 *
 * `import { createUuidV7 } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const next = createUuidV7(resolveRandom())
 * next(Date.now()) // '01936b2a-…'
 * ```
 * @public
 */
export function createUuidV7(random: RandomSource): (ms: number) => string {
  let lastMs = -1;
  let counter = 0;
  const buf = new Uint8Array(16);
  const pool = new Uint8Array(4096);
  let used = pool.length;
  // The pool's bytes are read in place (issue 19: no view per draw); a draw that does not fit in what is left refills the whole pool.
  const take = (n: number): number => {
    if (used + n > pool.length) {
      random(pool);
      used = 0;
    }
    used += n;
    return used - n;
  };
  return (ms) => {
    if (ms > lastMs) {
      lastMs = ms;
      const at = take(2);
      counter = ((pool[at]! & 0x07) << 8) | pool[at + 1]!; // start in the lower half, leave room to count
    } else if (counter < 0xfff) {
      counter++;
    } else {
      lastMs++;
      counter = 0;
    }
    const at = take(8);
    for (let i = 0; i < 8; i++) buf[8 + i] = pool[at + i]!;
    let t = lastMs;
    for (let i = 5; i >= 0; i--) {
      buf[i] = t % 256;
      t = Math.floor(t / 256);
    }
    buf[6] = 0x70 | (counter >> 8);
    buf[7] = counter & 0xff;
    buf[8] = (buf[8]! & 0x3f) | 0x80;
    return uuidText(buf);
  };
}

/**
 * A UUID version 7 (RFC 9562 §5.7) named by its inputs (AUD-2): the 48-bit
 * Unix milliseconds `ms` (clamped to what 48 bits hold), then 74 bits of
 * `digest` (at least 10 bytes, e.g. a SHA-256 of what the id names) where
 * the layout has random bits. The same inputs give the same id: an event
 * delivered again keeps it, and a trace that keeps ids (`@s3404/audit`)
 * writes it once.
 *
 * `import { uuidV7Of } from '@s3404/core'`
 *
 * @example
 * ```ts
 * uuidV7Of(Date.parse(at), sha256(utf8(`lot ${lotId} ${key}`))) // the same id at each delivery
 * ```
 * @throws TypeError when `digest` has fewer than 10 bytes or `ms` is not a number.
 * @public
 */
export function uuidV7Of(ms: number, digest: Uint8Array): string {
  if (!(digest instanceof Uint8Array) || digest.length < 10) throw new TypeError('uuidV7Of: digest must be at least 10 bytes');
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw new TypeError('uuidV7Of: ms must be a number');
  const b = new Uint8Array(16);
  let t = Math.min(Math.max(Math.floor(ms), 0), 2 ** 48 - 1);
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (digest[0]! & 0x0f);
  b[7] = digest[1]!;
  b[8] = 0x80 | (digest[2]! & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = digest[i - 6]!;
  return uuidText(b);
}

import type { RandomSource } from '@s3404/form';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * UUIDv7 (RFC 9562 §5.7) generator: 48-bit Unix milliseconds, then a 12-bit
 * counter (RFC 9562 §6.2 method 1) so ids from one writer sort in creation
 * order even within a millisecond, then 62 random bits.
 */
export function uuidV7Generator(source: RandomSource): (ms: number) => string {
  let lastMs = -1;
  let counter = 0;
  const buf = new Uint8Array(16);
  // Random bytes drawn 4 KiB at a time: one getRandomValues per 400 ids.
  const pool = new Uint8Array(4096);
  let used = pool.length;
  const random = (into: Uint8Array): void => {
    if (used + into.length > pool.length) {
      source(pool);
      used = 0;
    }
    into.set(pool.subarray(used, used + into.length));
    used += into.length;
  };
  return (ms) => {
    if (ms > lastMs) {
      lastMs = ms;
      random(buf.subarray(6, 8));
      counter = ((buf[6]! & 0x07) << 8) | buf[7]!; // start in the lower half, leave room to count
    } else if (counter < 0xfff) {
      counter++;
    } else {
      lastMs++;
      counter = 0;
    }
    random(buf.subarray(8, 16));
    let t = lastMs;
    for (let i = 5; i >= 0; i--) {
      buf[i] = t % 256;
      t = Math.floor(t / 256);
    }
    buf[6] = 0x70 | (counter >> 8);
    buf[7] = counter & 0xff;
    buf[8] = (buf[8]! & 0x3f) | 0x80;
    let s = '';
    for (let i = 0; i < 16; i++) s += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + HEX[buf[i]!];
    return s;
  };
}

export function defaultRandom(): RandomSource {
  const c = (globalThis as { crypto?: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto;
  if (c === undefined) throw new TypeError('Web Crypto is not available: pass options.random');
  return (b) => c.getRandomValues(b);
}

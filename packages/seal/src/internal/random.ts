import type { RandomSource } from '@s3404/form';

export function resolveRandom(random: RandomSource | undefined): RandomSource {
  if (random !== undefined) return random;
  const c = (globalThis as { crypto?: { getRandomValues?: (b: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues === undefined) throw new TypeError('No CSPRNG available: pass options.random.');
  return (b) => c.getRandomValues!(b);
}

export function randomBytes(random: RandomSource, length: number): Uint8Array {
  const out = random(new Uint8Array(length));
  if (!(out instanceof Uint8Array) || out.length < length) throw new TypeError(`The random source must fill a Uint8Array(${length}).`);
  return out;
}

/** A random UUID version 4 (RFC 9562 §5.4) from the injected source. */
export function uuidV4(random: RandomSource): string {
  const b = Uint8Array.from(randomBytes(random, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}


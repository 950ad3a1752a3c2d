import { describe, expect, it } from 'vitest';
import { createUuidV7, uuidV4, uuidV7Of, type RandomSource } from '@s3404/core';

/**
 * The UUID texts of a given random stream are fixed (X-1, AUD-1): the audit
 * trace's ids, and so its bytes and hashes, depend on them (issue 19 made
 * their generation cheaper; these values are those of the generator before).
 */

/** A counting source: byte k of the stream is (7k + 3) mod 256. */
function countingSource(): RandomSource {
  let k = 0;
  return (b) => {
    for (let i = 0; i < b.length; i++) b[i] = (k++ * 7 + 3) & 255;
    return b;
  };
}

describe('UUID texts of a random stream (X-1, AUD-1)', () => {
  it('createUuidV7 gives the same ids as before: counter, clock step back, and across a refill of its pool', () => {
    const next = createUuidV7(countingSource());
    const ids = [1_700_000_000_000, 1_700_000_000_000, 1_699_999_999_999, 1_700_000_000_001].map((ms) => next(ms));
    expect(ids).toEqual([
      '018bcfe5-6800-730a-9118-1f262d343b42',
      '018bcfe5-6800-730b-8950-575e656c737a',
      '018bcfe5-6800-730c-8188-8f969da4abb2',
      '018bcfe5-6801-71c0-87ce-d5dce3eaf1f8',
    ]);
    // 600 more ids of 10 random bytes each: the 4,096-byte pool is refilled once on the way.
    let last = '';
    for (let i = 0; i < 600; i++) last = next(1_700_000_000_002 + i);
    expect(last).toBe('018bcfe5-6a59-71d0-97de-e5ecf3fa0108');
  });

  it('uuidV4 gives the same text as before', () => {
    expect(uuidV4(countingSource())).toBe('030a1118-1f26-4d34-bb42-4950575e656c');
  });

  it('a text is fresh for every id: a kept id does not change when the next is made', () => {
    const next = createUuidV7(countingSource());
    const first = next(1_700_000_000_000);
    const copy = `${first}`;
    next(1_700_000_000_000);
    expect(first).toBe(copy);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uuidV7Of: a UUIDv7 named by its time and a digest, the same for the same inputs, refusing what cannot make one', () => {
    const digest = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
    const at = Date.parse('2026-03-20T10:00:00.123Z');
    const id = uuidV7Of(at, digest);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(uuidV7Of(at, digest.slice())).toBe(id);
    // Each of the 74 bits taken from the digest changes the id; the bits the layout fixes do not.
    const other = digest.slice();
    other[9] = other[9]! ^ 1;
    expect(uuidV7Of(at, other)).not.toBe(id);
    const fixed = digest.slice();
    fixed[0] = fixed[0]! ^ 0x10;
    expect(uuidV7Of(at, fixed)).toBe(id);
    expect(uuidV7Of(at + 1, digest)).not.toBe(id);
    expect(uuidV7Of(-5, digest).slice(0, 13)).toBe('00000000-0000');
    expect(uuidV7Of(2 ** 60, digest).slice(0, 13)).toBe('ffffffff-ffff');
    expect(() => uuidV7Of(at, new Uint8Array(9))).toThrow(TypeError);
    expect(() => uuidV7Of(Number.NaN, digest)).toThrow(TypeError);
  });
});

import { createHash, randomBytes as nodeRandom } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  bytesEqual,
  canonicalJson,
  checkBordereauId,
  checkFiness,
  concatBytes,
  createBordereauId,
  createUuidV7,
  finessKey,
  fixedClock,
  isIsoInstant,
  isTraceCode,
  fromBase64,
  fromBase64url,
  fromHex,
  isValidFiness,
  normalizeBordereauId,
  randomBytes,
  readClock,
  resolveClock,
  resolveRandom,
  systemClock,
  toBase64,
  toBase64url,
  toHex,
  uuidV4,
} from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { prng } from '@s3404/tooling/test-kit';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, writes shortest numbers and no white space', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '1': 4 })).toBe('{"\\r":2,"1":4,"€":1,"😀":3}');
    expect(canonicalJson([1e21, 1e-7, -0, 0.1 + 0.2, 333333333.3333333])).toBe('[1e+21,1e-7,0,0.30000000000000004,333333333.3333333]');
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('refuses what JSON cannot hold with ERR_CANONICAL_JSON, in both languages', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 'a\ud800', { '\udc00': 1 }, 1n, () => 1, cyclic]) {
      try {
        canonicalJson(bad);
        expect.unreachable();
      } catch (e) {
        expect((e as { code: string }).code).toBe('ERR_CANONICAL_JSON');
        expect((e as { kind: string }).kind).toBe('input');
        expect((e as { messageIn(l: string): string }).messageIn('en')).toMatch(/^Value cannot be serialised/);
      }
    }
  });
});

describe('bytes', () => {
  const rand = prng(7);
  const sample = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));

  it('hex and base64 agree with Node’s Buffer on random data, and round-trip', () => {
    for (let n = 0; n < 300; n++) {
      const b = sample(n % 70);
      const buf = Buffer.from(b);
      expect(toHex(b)).toBe(buf.toString('hex'));
      expect(toBase64(b)).toBe(buf.toString('base64'));
      expect(toBase64url(b)).toBe(buf.toString('base64url'));
      expect(fromHex(toHex(b))).toEqual(b);
      expect(fromHex(toHex(b).toUpperCase())).toEqual(b);
      expect(fromBase64(toBase64(b))).toEqual(b);
      expect(fromBase64url(toBase64url(b))).toEqual(b);
    }
  });

  it('decode strictly: one text per byte string', () => {
    for (const bad of ['0', '0g', ' 00', 'é0']) expect(fromHex(bad)).toBeNull();
    for (const bad of ['UzM0MDR=', 'UzM0MDQ', 'UzM0 MDQ=', 'UzM0MDQ==', '=UzM', 'UzM-MDQ=', 'A===', '====', 'AB=C']) expect(fromBase64(bad)).toBeNull();
    for (const bad of ['A', 'UzM0MDR', 'UzM0MDQ=', 'UzM+MDQ']) expect(fromBase64url(bad)).toBeNull();
    expect(fromBase64('')).toEqual(new Uint8Array(0));
  });

  it('compares and concatenates', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(false);
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('compares long and unaligned arrays the same with the native comparison and without it (a browser)', async () => {
    const proc = process as unknown as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    vi.resetModules();
    const { bytesEqual: portable } = await import('../src/bytes/compare.js');
    proc.getBuiltinModule = original;
    for (const equal of [bytesEqual, portable]) {
      for (const n of [0, 3, 63, 64, 65, 257, 4099]) {
        for (const [offA, offB] of [
          [0, 0],
          [1, 1],
          [1, 3],
          [2, 0],
        ] as const) {
          const a = new Uint8Array(n + offA).fill(7).subarray(offA);
          const b = new Uint8Array(n + offB).fill(7).subarray(offB);
          expect(equal(a, b), `${n} ${offA}/${offB}`).toBe(true);
          // One byte different, at the start, in the middle (within a word), at the end.
          for (const at of n === 0 ? [] : [0, Math.floor(n / 2), n - 1]) {
            b[at] = 8;
            expect(equal(a, b), `${n} ${offA}/${offB} @${at}`).toBe(false);
            b[at] = 7;
          }
        }
      }
    }
  });

  it('nodeSha256 is SHA-256 in the one Sha256 shape', () => {
    for (const n of [0, 1, 55, 56, 64, 1000]) {
      const b = sample(n);
      expect(toHex(nodeSha256(b))).toBe(createHash('sha256').update(b).digest('hex'));
      expect(nodeSha256(b)).toBeInstanceOf(Uint8Array);
    }
  });
});

describe('identifiers', () => {
  it('bordereau identifiers: created from 125 random bits, checked, normalised', () => {
    const id = createBordereauId();
    expect(checkBordereauId(id)).toEqual({ ok: true, issues: [] });
    expect(normalizeBordereauId(id.toLowerCase().replaceAll('-', ' '))).toBe(id);
    const seeded = createBordereauId({ random: (b) => b.fill(7) });
    expect(seeded).toBe(createBordereauId({ random: (b) => b.fill(7) }));
    const altered = `${id.slice(0, 30)}${id[30] === '0' ? '1' : '0'}`;
    const check = checkBordereauId(altered, { locale: 'en', path: ['id'] });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.code).toBe('ERR_BORDEREAU_ID_CHECK');
      expect(check.issues[0].path).toEqual(['id']);
      expect(check.issues[0].message).toMatch(/^Altered bordereau identifier/);
    }
    expect(checkBordereauId('nope').issues[0]?.code).toBe('ERR_BORDEREAU_ID_FORMAT');
    expect(checkBordereauId(42).issues[0]?.message).toMatch(/reçu 42/);
    expect(normalizeBordereauId('x'.repeat(1000))).toBeNull();
    expect(() => createBordereauId({ random: () => new Uint8Array(3) })).toThrow(TypeError);
  });

  it('FINESS: the Luhn key with 2A → 21, 2B → 22, on real published numbers', () => {
    for (const real of ['750712184', '130786049', '690781810', '2A0000154', '2B0000038', '2B0005359']) expect(isValidFiness(real)).toBe(true);
    expect(finessKey('75071218')).toBe(4);
    expect(checkFiness('750712185').issues[0]?.code).toBe('ERR_FINESS_KEY');
    expect(checkFiness('75071218', { locale: 'en' }).issues[0]?.message).toMatch(/^Malformed FINESS: expected 9 characters/);
    expect(() => finessKey('2C000000')).toThrow(TypeError);
  });
});

describe('clock and random', () => {
  it('clocks: the system one, a fixed one, and checks', () => {
    expect(systemClock()).toBeInstanceOf(Date);
    expect(fixedClock('2026-04-08T09:30:00Z')().toISOString()).toBe('2026-04-08T09:30:00.000Z');
    expect(fixedClock(0)().getTime()).toBe(0);
    expect(() => fixedClock('tomorrow')).toThrow(TypeError);
    expect(() => readClock(() => new Date(Number.NaN), 'x')).toThrow(/x: now\(\) must return a valid Date/);
    expect(() => readClock((() => '2026') as unknown as () => Date, 'x')).toThrow(TypeError);
    expect(resolveClock(undefined, 'x')).toBe(systemClock);
    expect(() => resolveClock(new Date() as unknown as () => Date, 'render')).toThrow(/render: options.now must be a Clock/);
  });

  it('instants as toISOString writes them, and nothing else', () => {
    for (const v of ['2026-03-20T10:00:00.000Z', '2024-02-29T23:59:59.999Z', '0000-01-01T00:00:00.000Z', new Date(Date.UTC(2026, 11, 7)).toISOString()]) {
      expect(isIsoInstant(v), v).toBe(true);
    }
    for (const v of [
      '2023-02-29T12:00:00.000Z',
      '2026-02-30T12:00:00.000Z',
      '2026-03-20T24:00:00.000Z',
      '2026-03-19T23:59:60.000Z',
      '2026-03-20T10:00:00Z',
      '2026-03-20T10:00:00.000+01:00',
      '2026-03-20T10:00:00.000z',
      '+002026-03-20T10:00:00.000Z',
      ' 2026-03-20T10:00:00.000Z',
      '2026-03-20T10:00:00.000Z\n',
      '',
      new Date(0),
      0,
      null,
    ]) {
      expect(isIsoInstant(v), String(v)).toBe(false);
    }
  });

  it('random: Web Crypto by default, an injected source otherwise, UUIDs of both versions', () => {
    expect(randomBytes(resolveRandom(), 100_000).length).toBe(100_000);
    expect(() => randomBytes(() => new Uint8Array(1), 4)).toThrow(TypeError);
    expect(() => resolveRandom(42 as unknown as () => Uint8Array)).toThrow(TypeError);
    const v4 = uuidV4((b) => {
      b.set(nodeRandom(b.length));
      return b;
    });
    expect(v4).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const next = createUuidV7(resolveRandom());
    const ids = [next(1000), next(1000), next(999), next(2000)];
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('isTraceCode: the shape of a trace event’s code (AUD-1)', () => {
  it('takes error codes and an ARL’s codes, refuses outside text that a sink would refuse', () => {
    for (const code of ['ERR_RECORD_REPLAYED', 'PJ05', 'R12', 'E1', `E${'X'.repeat(63)}`]) expect(isTraceCode(code)).toBe(true);
    for (const code of ['05', 'rejet PJ', 'ERR_tarif-hors-convention', 'E', `E${'X'.repeat(64)}`, 'ERR_X\n', '', 5, undefined, null])
      expect(isTraceCode(code)).toBe(false);
  });
});

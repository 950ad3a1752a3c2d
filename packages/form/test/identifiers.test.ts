import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkBordereauId,
  checkCcamCode,
  checkFiness,
  checkLppCode,
  checkNir,
  checkRpps,
  checkUcdCode,
  createBordereauId,
  finessKey,
  isValidFiness,
  isValidNir,
  isValidRpps,
  nirKey,
  normalizeBordereauId,
} from '@s3404/form';
import { VECTORS_DIR, prng } from './helpers.js';

interface Vector {
  tcId: number;
  comment: string;
  input: Record<string, string>;
  result: 'valid' | 'invalid';
  expected?: { code: string };
}
const vectors = JSON.parse(readFileSync(join(VECTORS_DIR, 'form/identifiers.json'), 'utf8')) as {
  numberOfTests: number;
  testGroups: { type: string; tests: Vector[] }[];
};

const check: Record<string, (i: Record<string, string>) => ReturnType<typeof checkNir>> = {
  nir: (i) => checkNir(i.nir!, i.key!),
  finess: (i) => checkFiness(i.finess!),
  rpps: (i) => checkRpps(i.rpps!),
  ucd: (i) => checkUcdCode(i.ucd!),
  ccam: (i) => checkCcamCode(i.ccam!),
  lpp: (i) => checkLppCode(i.lpp!),
  'bordereau-id': (i) => checkBordereauId(i.id!),
};

describe('FORM-2 identifier checks — conformance vectors (test-vectors/form/identifiers.json)', () => {
  const all = vectors.testGroups.flatMap((g) => g.tests.map((t) => ({ kind: g.type, ...t })));
  it('holds the announced number of vectors', () => {
    expect(all).toHaveLength(vectors.numberOfTests);
  });
  it.each(all.map((t) => [`${t.kind} #${t.tcId} ${t.comment}`, t] as const))('%s', (_name, t) => {
    const verdict = check[t.kind]!(t.input);
    if (t.result === 'valid') expect(verdict).toEqual({ ok: true, issues: [] });
    else expect(verdict.issues[0]?.code).toBe(t.expected?.code);
  });
});

describe('FORM-2 NIR', () => {
  it('computes the published example key and the Corsican substitutions', () => {
    expect(nirKey('2550814168025')).toBe('38');
    // 2A counts as 19 and 2B as 18 in the number: the key differs from plain digits.
    expect(nirKey('253072A073004')).toBe('43');
    expect(nirKey('253072B073004')).toBe('70');
    expect(isValidNir('2550814168025', '38')).toBe(true);
  });
  it('refuses every malformed shape and non-string input with a code, never a throw', () => {
    for (const bad of ['', '2550814168025x', '0550814168025', '2550014168025', 'abcdefghijklm', '25508 4168025']) {
      expect(checkNir(bad, '38').issues[0]?.code).toBe('ERR_NIR_FORMAT');
    }
    expect(checkNir(12 as unknown as string, '38').issues[0]?.code).toBe('ERR_NIR_FORMAT');
    expect(checkNir('2550814168025', 38 as unknown as string).issues[0]?.code).toBe('ERR_FORMAT');
    expect(() => nirKey('short')).toThrow(TypeError);
  });
  it('detects every single-digit error of the key', () => {
    for (let k = 0; k < 100; k++) {
      const key = String(k).padStart(2, '0');
      expect(isValidNir('2550814168025', key)).toBe(key === '38');
    }
  });
});

describe('FORM-2 FINESS', () => {
  it('is a Luhn key over 8 characters, Corsica counting 2A as 21 and 2B as 22', () => {
    expect(finessKey('75071218')).toBe(4);
    expect(finessKey('2A000015')).toBe(4);
    expect(finessKey('2B000003')).toBe(8);
    expect(isValidFiness('750712184')).toBe(true);
  });
  it('catches every single-digit substitution of a real number', () => {
    const real = '750712184';
    for (let pos = 0; pos < 9; pos++) {
      for (let d = 0; d < 10; d++) {
        const mutated = real.slice(0, pos) + d + real.slice(pos + 1);
        if (mutated !== real) expect(isValidFiness(mutated)).toBe(false);
      }
    }
  });
  it('refuses shapes and non-strings', () => {
    for (const bad of ['', '7507121840', '75071218', '2C0000154', ' 750712184']) expect(checkFiness(bad).issues[0]?.code).toBe('ERR_FINESS_FORMAT');
    expect(checkFiness(null as unknown as string).issues[0]?.code).toBe('ERR_FINESS_FORMAT');
  });
});

describe('FORM-2 RPPS', () => {
  it('accepts real numbers and refuses altered ones', () => {
    expect(isValidRpps('10001045367')).toBe(true);
    expect(checkRpps('10001045376').issues[0]?.code).toBe('ERR_RPPS_KEY'); // two digits swapped
    expect(checkRpps('1000104536a').issues[0]?.code).toBe('ERR_RPPS_FORMAT');
  });
});

describe('FORM-3 bordereau identifier', () => {
  it('has the printed shape, a valid check symbol, and ≥ 122 random bits', () => {
    const id = createBordereauId();
    expect(id).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z*~$=U]$/);
    expect(checkBordereauId(id).ok).toBe(true);
    // 25 base-32 characters = 125 bits; every payload bit is used: flip each input bit.
    const base = new Uint8Array(16);
    const seen = new Set<string>();
    for (let bit = 0; bit < 125; bit++) {
      const bytes = base.slice();
      bytes[bit >> 3]! ^= 0x80 >> (bit & 7);
      const random = (b: Uint8Array): Uint8Array => {
        b.set(bytes);
        return b;
      };
      seen.add(createBordereauId({ random }).slice(0, 29));
    }
    expect(seen.size).toBe(125);
  });
  it('is unique over 20,000 draws and uses the whole alphabet evenly', () => {
    const ids = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const id = createBordereauId();
      ids.add(id);
      for (const ch of id.slice(0, 29).replaceAll('-', '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(ids.size).toBe(20_000);
    expect(counts.size).toBe(32);
    const expected = (20_000 * 25) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.08);
  });
  it('is deterministic with an injected random source', () => {
    const random = prng(42);
    const source = (b: Uint8Array): Uint8Array => b.map(() => Math.floor(random() * 256));
    const a = createBordereauId({ random: source });
    const random2 = prng(42);
    const b = createBordereauId({ random: (x) => x.map(() => Math.floor(random2() * 256)) });
    expect(a).toBe(b);
  });
  it('detects every single-character alteration and adjacent transposition', () => {
    const id = createBordereauId({ random: (b) => b.fill(0x5a) });
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const positions = [...id].map((c, i) => (c === '-' ? -1 : i)).filter((i) => i >= 0 && i < 29);
    for (const i of positions) {
      for (const c of alphabet) {
        if (c === id[i]) continue;
        expect(checkBordereauId(id.slice(0, i) + c + id.slice(i + 1)).ok).toBe(false);
      }
    }
    const compact = id.slice(0, 29).replaceAll('-', '');
    for (let i = 0; i + 1 < compact.length; i++) {
      if (compact[i] === compact[i + 1]) continue;
      const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
      const printed = `${swapped.match(/.{5}/g)!.join('-')}-${id[30]}`;
      expect(checkBordereauId(printed).issues[0]?.code).toBe('ERR_BORDEREAU_ID_CHECK');
    }
  });
  it('reads an identifier typed by a person (case, spaces, look-alike letters)', () => {
    const id = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
    expect(normalizeBordereauId('6r0zq 50k7c ac6t4 jf0wa o4614 h')).toBe(id);
    expect(normalizeBordereauId('6R0ZQ50K7CAC6T4JF0WA04614H')).toBe(id);
    expect(normalizeBordereauId('6R0ZQ-50K7C-AC6T4-JF0WA-04614-J')).toBeNull();
    expect(normalizeBordereauId('x'.repeat(10_000))).toBeNull();
  });
  it('refuses a missing random source instead of falling back to Math.random', () => {
    expect(() => createBordereauId({ random: () => new Uint8Array(3) })).toThrow(TypeError);
  });
});

import { describe, expect, it } from 'vitest';
import { writeName } from '../src/pdf/syntax/serialize.js';

// Issue 19: a name of regular characters is written as it is, without encoding it; every other name keeps its
// `#xx` escapes (ISO 32000-1 §7.3.5). Checked against the rule itself, one UTF-8 byte at a time.
function byRule(name: string): string {
  let s = '/';
  for (const b of new TextEncoder().encode(name)) {
    const regular = b > 0x20 && b < 0x7f && !'()<>[]{}/%#'.includes(String.fromCharCode(b));
    s += regular ? String.fromCharCode(b) : `#${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return s;
}

describe('writeName', () => {
  it('writes every single character as the rule says (all of latin1, and beyond)', () => {
    for (let c = 0; c < 0x180; c++) expect(writeName(`A${String.fromCharCode(c)}z`)).toBe(byRule(`A${String.fromCharCode(c)}z`));
    for (const s of ['', 'Type', 'S3404Sig', 'F1#2', 'a b', 'é', '日本', '\u{1F600}', 'x/y', 'Im0 ', '~|\\^_`']) expect(writeName(s)).toBe(byRule(s));
  });

  it('writes random strings as the rule says', () => {
    let seed = 19;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const len = next() % 12;
      const name = Array.from({ length: len }, () => String.fromCharCode(next() % 3 === 0 ? next() % 0x100 : 0x21 + (next() % 0x5e))).join('');
      expect(writeName(name)).toBe(byRule(name));
    }
  });
});

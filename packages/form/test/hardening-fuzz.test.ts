import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { isS3404Error } from '@s3404/core';
import { checkPrintableText, printableTextProblem, readJson, validateBordereau, type Bordereau } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, clone, example, pdfText, prng } from './helpers.js';

/** Issue 14: property tests of the classes behind defects 13 and 14 (seeded, bounded). */

/** A key token: a JSON string followed by a colon (an independent oracle for counting keys). */
const KEY_TOKEN = /"(?:[^"\\\u0000-\u001f]|\\.)*"\s*:/g;

function keysIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + keysIn(v), 0);
  if (value !== null && typeof value === 'object') return Object.entries(value).reduce((n, [, v]) => n + 1 + keysIn(v), 0);
  return 0;
}

function randomJson(random: () => number, depth = 0): unknown {
  const r = random();
  if (depth > 4 || r < 0.3) {
    const pick = [0, -1.5e-7, 123456789012, 'a', '', 'é"\\\n\u2028', true, false, null, '\ud83d\ude00'];
    return pick[Math.floor(random() * pick.length)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 5); i > 0; i--) o[['a', 'b', 'nir', '__proto__', 'é', ''][Math.floor(random() * 6)]!] = randomJson(random, depth + 1);
  return o;
}

describe('issue 14 #14 — the strict JSON reader agrees with JSON.parse, and refuses duplicate keys', () => {
  it('gives the same value as JSON.parse whenever there is no duplicate key, and a coded error otherwise (6,000 texts)', () => {
    const random = prng(1414);
    const sources = [JSON.stringify(example('ssr-long-sejour'), null, 2), '{"a":[1,2,{"b":null}],"c":"x"}', '[]', '"s"', '-0.5e+3'];
    const alphabet = '{}[]":,-.0123456789eE+ \n\r\ttruefalsenull\\u"a\u00e9\u0000\'';
    let same = 0;
    let duplicates = 0;
    let syntax = 0;
    for (let i = 0; i < 6000; i++) {
      let text: string;
      if (i % 3 === 0) text = JSON.stringify(randomJson(random), null, random() < 0.5 ? 1 : undefined);
      else {
        const chars = [...sources[i % sources.length]!];
        for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
          const at = Math.floor(random() * (chars.length + 1));
          const op = random();
          const c = alphabet[Math.floor(random() * alphabet.length)]!;
          if (op < 0.33) chars.splice(at, 1);
          else if (op < 0.66) chars.splice(at, 0, c);
          else chars[at] = c;
        }
        text = chars.join('');
        // Sometimes repeat a member of an object: a duplicate key.
        if (random() < 0.2) text = text.replace(/\{\s*("[^"]*"\s*:\s*[^,{}[\]]*),/, '{$1,$1,');
      }
      let expected: unknown;
      let parses = true;
      try {
        expected = JSON.parse(text);
      } catch {
        parses = false;
      }
      try {
        const value = readJson(text);
        expect(parses, text).toBe(true);
        expect(value, text).toEqual(expected);
        // No key was lost: as many key tokens in the text as keys in the value.
        expect((text.match(KEY_TOKEN) ?? []).length, text).toBe(keysIn(value));
        same++;
      } catch (e) {
        expect(isS3404Error(e), String(e)).toBe(true);
        const err = e as { code: string; params: { line: number; column: number } };
        expect(err.params.line, text).toBeGreaterThanOrEqual(1);
        expect(err.params.column, text).toBeGreaterThanOrEqual(1);
        if (err.code === 'ERR_JSON_DUPLICATE_KEY') {
          duplicates++;
          if (parses) expect((text.match(KEY_TOKEN) ?? []).length, text).toBeGreaterThan(keysIn(expected));
        } else {
          expect(err.code).toBe('ERR_JSON_SYNTAX');
          expect(parses, `JSON.parse accepts what the scanner refused: ${JSON.stringify(text)}`).toBe(false);
          syntax++;
        }
      }
    }
    expect(same).toBeGreaterThan(1500);
    expect(duplicates).toBeGreaterThan(100); // 165 with this seed
    expect(syntax).toBeGreaterThan(1500);
  });

  it('reads a 16 MiB bordereau-like text and a deep nesting in bounded time, never overflowing the stack', () => {
    const big = JSON.stringify({ lines: Array.from({ length: 120_000 }, (_, i) => ({ n: i, label: 'Forfait journalier', amount: 2000 })) });
    const t0 = performance.now();
    expect((readJson(big) as { lines: unknown[] }).lines).toHaveLength(120_000);
    expectWithinBound(performance.now() - t0, 5000, 'a 16 MiB text and a deep nesting', { clock: 'wall' });
    expect(() => readJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toThrow(/512/);
    expect(readJson(`${'['.repeat(512)}${']'.repeat(512)}`)).toBeInstanceOf(Array);
  });
});

describe('issue 14 #13 — one text policy, and the font agrees with it', () => {
  const font = fontkit.create(readFileSync(new URL('../assets/fonts/S3404Sans-Regular.ttf', import.meta.url)));

  it('accepts a character exactly when the font prints it and it is visible (every code point of the BMP and beyond)', () => {
    let accepted = 0;
    for (let cp = 0x20; cp < 0x30000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const text = `A${ch}`;
      if (text.normalize('NFC') !== text) continue; // composition changes what is printed: covered below
      const ok = printableTextProblem(text) === null;
      const visible = !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\ufffd]/u.test(ch);
      expect(ok, `U+${cp.toString(16)}`).toBe(visible && font.hasGlyphForCodePoint(cp));
      if (ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(900);
  });

  it('refuses the same random Unicode strings on a bordereau and through checkPrintableText, and renders what it accepts (2,000 strings)', async () => {
    const random = prng(1313);
    const pools = [
      [0x20, 0x7e],
      [0xa0, 0x24f],
      [0x300, 0x36f],
      [0x1e00, 0x1eff],
      [0x2000, 0x206f],
      [0x0370, 0x03ff],
      [0xfff0, 0xffff],
      [0x1f600, 0x1f64f],
      [0, 0x1f],
    ] as const;
    const accepted: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let k = Math.floor(random() * 12); k >= 0; k--) {
        const [lo, hi] = pools[Math.floor(random() * (random() < 0.7 ? 3 : pools.length))]!;
        s += String.fromCodePoint(lo + Math.floor(random() * (hi - lo + 1)));
      }
      const check = checkPrintableText(s, { max: 80, path: ['insured', 'lastName'] });
      const b = clone(example('mco-chirurgie-pth')) as Record<string, any>;
      b.insured.lastName = s;
      const r = validateBordereau(b);
      expect(r.ok, JSON.stringify(s)).toBe(check.ok);
      if (!check.ok && !r.ok) expect(r.issues.map((x) => x.code)).toEqual([check.code]);
      if (check.ok) {
        accepted.push(s);
        for (const ch of s.normalize('NFC')) expect(font.hasGlyphForCodePoint(ch.codePointAt(0)!), JSON.stringify(s)).toBe(true);
        expect(s.trim()).not.toBe('');
      }
    }
    expect(accepted.length).toBeGreaterThan(400);
    // Anything accepted renders: every accepted name on one bordereau, read back by pdftotext.
    const b = clone(example('mco-chirurgie-pth')) as Record<string, any>;
    const sample = accepted.filter((s) => /^[\x21-\x7e\u00c0-\u00ff]+$/.test(s.normalize('NFC'))).slice(0, 3);
    for (const [i, s] of sample.entries()) b.fees[i % b.fees.length].practitioner.name = s;
    const text = pdfText((await renderBordereauPdf(b as Bordereau, { now: CLOCK })).bytes).join('\n');
    for (const s of sample) expect(text).toContain(s.normalize('NFC'));
  });
});

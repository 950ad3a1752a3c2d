import { describe, expect, it } from 'vitest';
import { isS3404Error, type Issue } from '@s3404/core';
import { parseBordereauJson, readJson, validateBordereau } from '@s3404/form';
import { clone, example } from './helpers.js';

/**
 * Issue 14, the form's part: each defect through the public API (each of these
 * failed on the code before the fix), and the class around it.
 */

const base = (): Record<string, any> => clone(example('mco-chirurgie-pth'));
const issues = (input: unknown, locale: 'fr' | 'en' = 'en'): readonly Issue[] => {
  const r = validateBordereau(input, { locale });
  return r.ok ? [] : r.issues;
};

function thrown(fn: () => unknown): Record<string, any> {
  try {
    fn();
  } catch (e) {
    expect(isS3404Error(e), String(e)).toBe(true);
    return e as Record<string, any>;
  }
  return expect.unreachable('should have thrown');
}

describe('issue 14 #14 — a key twice in one object is refused, never resolved silently', () => {
  it('refuses a bordereau whose "nir" appears twice, naming the key, its path, line and column', () => {
    const text = JSON.stringify(base(), null, 2).replace('"nir": "', '"nir": "1740599123456",\n    "nir": "');
    const e = thrown(() => parseBordereauJson(text, { locale: 'en' }));
    expect(e).toMatchObject({ code: 'ERR_JSON_DUPLICATE_KEY', kind: 'input', params: { key: '"nir"', path: 'insured.nir' } });
    const line = text.split('\n').findIndex((l, i, all) => l.includes('"nir"') && all.slice(0, i).some((p) => p.includes('"nir"'))) + 1;
    expect(e.params.line).toBe(line);
    expect(e.params.column).toBe(5);
    expect(e.message).toBe(
      `Duplicate key "nir" at line ${line}, column 5 (path insured.nir): a key may appear only once in an object; the second would silently replace the first.`,
    );
    expect(e.issues).toEqual([{ code: 'ERR_JSON_DUPLICATE_KEY', path: ['insured', 'nir'], message: e.message }]);
  });

  it('finds a duplicate at any depth, in arrays of objects, and through escapes', () => {
    expect(thrown(() => readJson('{"fees":[{},{"amount":1,"amount":2}]}')).params.path).toBe('fees[1].amount');
    expect(thrown(() => readJson('{"a":{"b":{"c":{"d":1}}},"a":2}')).params.path).toBe('a');
    expect(thrown(() => readJson('{"id":1,"\\u0069d":2}')).params).toMatchObject({ key: '"id"', line: 1, column: 9 });
    // Equal keys in different objects are not duplicates.
    expect(readJson('{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}')).toEqual({ a: { x: 1 }, b: { x: 1 }, c: [{ x: 1 }, { x: 2 }] });
  });
});

describe('issue 14 #16 — the messages a new user hits', () => {
  it('gives unreadable JSON its line and column, in words of the language asked', () => {
    const e = thrown(() => readJson('{\n  "a": 1,\n  "b": }', { locale: 'en' }));
    expect(e).toMatchObject({ code: 'ERR_JSON_SYNTAX', kind: 'input', params: { line: 3, column: 8 } });
    expect(e.message).toBe(
      'Unreadable JSON at line 3, column 8: unexpected character "}": a value is expected (string, number, true, false, null, object or array).',
    );
    const fr = thrown(() => readJson("{\r\n'nir': 1}"));
    expect(fr.message).toBe('JSON illisible ligne 2, colonne 1 : apostrophe : les textes JSON s’écrivent entre guillemets doubles.');
    expect(thrown(() => readJson('[1, 2,]', { locale: 'en' })).message).toContain('line 1, column 7: extra comma before "]"');
    expect(thrown(() => readJson('{"a": "é\n"}', { locale: 'en' })).params).toMatchObject({ line: 1, column: 9 });
    expect(thrown(() => readJson('{"a": 1', { locale: 'en' })).message).toContain('the text ends before the closing "}"');
  });

  it('reports a date written "08/04/2026" once', () => {
    const b = base();
    b.issuedOn = '08/04/2026';
    expect(issues(b)).toEqual([
      { code: 'ERR_DATE_INVALID', path: ['issuedOn'], message: 'Invalid date: expected a real date as YYYY-MM-DD; received "08/04/2026".' },
    ]);
  });

  it('reports every malformed identifier once, at its own path', () => {
    for (const [path, value] of [
      [['establishment', 'finess'], '75O712184'],
      [['fees', 1, 'practitioner', 'rpps'], '1000104536'],
      [['fees', 1, 'act', 'code'], 'nek020'],
      [['lpp', 0, 'code'], '311312'],
      [['id'], 'not-an-id'],
      [['stay', 'entry', 'date'], '2026-3-15'],
    ] as const) {
      const b = base();
      let at: any = b;
      for (const k of path.slice(0, -1)) at = at[k];
      if (at[path[path.length - 1]!] === undefined) continue;
      at[path[path.length - 1]!] = value;
      const found = issues(b).filter((i) => i.path.join('.') === path.join('.'));
      expect(found, path.join('.')).toHaveLength(1);
    }
  });

  it('says which character of a 13-character NIR is wrong (a letter O), once, not "expected 13 characters" twice', () => {
    const b = base();
    b.insured.nir = `${b.insured.nir.slice(0, 5)}O${b.insured.nir.slice(6)}`;
    const found = issues(b);
    expect(found.map((i) => [i.code, i.path.join('.')])).toEqual([['ERR_NIR_FORMAT', 'insured.nir']]);
    expect(found[0]!.message).toMatch(
      /^Malformed NIR: character 6 is "O" where a digit \(or 2A \/ 2B for Corsica\) is expected \(the letter O for the digit 0\?\)/,
    );
    const fr = issues(b, 'fr')[0]!.message;
    expect(fr).toContain('le caractère 6 est « O »');
    b.insured.nir = '1 74 05 99 123 456';
    expect(issues(b)[0]!.message).toContain('18 characters instead of 13, without spaces or separators');
  });

  it('reports one wrong exit date once, not as one issue per line of the stay', () => {
    const b = base();
    b.stay.exit.date = '2026-03-16'; // the acts run until the 20th
    const found = issues(b);
    expect(found.map((i) => [i.code, i.path.join('.')])).toEqual([['ERR_DATE_OUTSIDE_STAY', 'stay.exit.date']]);
    expect(found[0]!.message).toMatch(/^Dates outside the stay: \d+ lines dated after the exit \(2026-03-15 – 2026-03-16\), the farthest 2026-03-20 at /);
    const c = base();
    c.stay.exit.date = '2020-03-20'; // before the entry: the lines are not judged against reversed bounds
    expect(issues(c).map((i) => i.code)).toEqual(['ERR_DATE_ORDER']);
    const d = base();
    delete d.stay.exit;
    d.issuedOn = '2026-03-01'; // before the entry, no exit: one issue, not one per line
    expect(issues(d).map((i) => i.code)).toEqual(['ERR_DATE_ORDER']);
  });

  it('never writes "undefined" in a message of the bordereau checks', () => {
    const b = base();
    b.fees[0].amount = -1;
    b.insured.lastName = '';
    b.coverage.regime = 'x';
    b.services[0].quantity = 1.5;
    b.signatures = { insured: { signer: 'nobody' } };
    for (const locale of ['fr', 'en'] as const) for (const i of issues(b, locale)) expect(i.message).not.toMatch(/undefined|NaN/);
  });
});

describe('issue 14 #13 — the one text policy on bordereau fields', () => {
  it('refuses a name of spaces only, a bidi override and U+FFFD, each with its own code', () => {
    const cases: [string, string][] = [
      ['   ', 'ERR_TEXT_EMPTY'],
      ['\u00a0\u2003', 'ERR_TEXT_EMPTY'],
      ['Martin\u202eNITRAM', 'ERR_TEXT_UNSUPPORTED_CHAR'],
      ['\u2067Martin\u2069', 'ERR_TEXT_UNSUPPORTED_CHAR'],
      ['Mart\u200Bin', 'ERR_TEXT_UNSUPPORTED_CHAR'],
      ['Martin\u200f', 'ERR_TEXT_UNSUPPORTED_CHAR'],
      ['Mar\ttin', 'ERR_TEXT_CONTROL_CHAR'],
      ['Mart\ufffdn', 'ERR_TEXT_REPLACEMENT_CHAR'],
      ['Μαρτίν', 'ERR_TEXT_UNSUPPORTED_CHAR'],
    ];
    for (const [name, code] of cases) {
      const b = base();
      b.insured.lastName = name;
      expect(
        issues(b).map((i) => [i.code, i.path.join('.')]),
        JSON.stringify(name),
      ).toEqual([[code, 'insured.lastName']]);
    }
    const b = base();
    b.insured.lastName = 'Martin\u202e';
    // Named, never echoed: a message must not carry the override it reports.
    expect(issues(b)[0]!.message).toBe('Character cannot be printed (U+202E, an invisible bidirectional control): only visible Latin characters are accepted.');
  });
});

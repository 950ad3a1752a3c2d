import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { bordereauJsonSchema, contentHash, LIMITS, parseBordereau, parseBordereauJson, readJson, validateBordereau, type Bordereau } from '@s3404/form';
import { FORM_ERRORS, FormError } from '@s3404/form/errors';
import { canonicalJson, S3404Error, type Issue } from '@s3404/core';
import { clone, example, examples } from './helpers.js';

const base = (): Record<string, any> => clone(example('mco-chirurgie-pth'));

function codes(input: unknown): string[] {
  const r = validateBordereau(input);
  return r.ok ? [] : r.issues.map((i) => i.code);
}

function issueAt(input: unknown, path: string): Issue | undefined {
  const r = validateBordereau(input);
  return r.ok ? undefined : r.issues.find((i) => i.path.join('.') === path);
}

describe('FORM-1 model', () => {
  it.each(examples().map((e) => [e.name, e.data] as const))('example %s is a valid bordereau', (_name, data) => {
    const r = validateBordereau(data);
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('has at least the six required examples', () => {
    const names = examples().map((e) => e.name);
    expect(names.length).toBeGreaterThanOrEqual(6);
  });

  it('derives its TypeScript types from the schema (amounts are numbers, slots typed)', () => {
    expectTypeOf<Bordereau['totals']['amo']>().toEqualTypeOf<number>();
    expectTypeOf<Bordereau['fees'][number]['signature']['mandate']>().toEqualTypeOf<boolean>();
    expectTypeOf<Bordereau['coverage']['insuranceNature']>().toEqualTypeOf<'10' | '30' | '40' | '50' | '80'>();
  });

  it('ships a JSON Schema that is up to date with the zod model', () => {
    const committed = readFileSync(new URL('../schema/bordereau.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(`${JSON.stringify(bordereauJsonSchema(), null, 2)}\n`);
    const schema = bordereauJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['establishment', 'insured', 'beneficiary', 'coverage', 'stay', 'services', 'fees', 'lpp', 'drugs', 'totals', 'signatures']),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  it('gives a stable content hash over the canonical JSON, ignoring $schema and key order', () => {
    const a = parseBordereau(base());
    const reverse = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverse)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverse(x)]),
            )
          : v;
    const reordered = reverse(base());
    expect(Object.keys(reordered as object)[0]).toBe('signatures');
    const b = parseBordereau(reordered);
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(b)).toBe(contentHash(a));
    const changed = base();
    changed.insured.firstName = 'Jérôme-Marie';
    expect(contentHash(parseBordereau(changed))).not.toBe(contentHash(a));
    expect(canonicalJson({ b: [1, 'é', null], a: { d: true, c: 1.5 } })).toBe('{"a":{"c":1.5,"d":true},"b":[1,"é",null]}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(S3404Error);
    expect(() => canonicalJson({ a: '\ud800' })).toThrow(/RFC 8785/);
  });
});

describe('FORM-2 validation reports issues as data', () => {
  it('reports a wrong NIR key at its path with a French message by default, English on request', () => {
    const b = base();
    b.insured.nirKey = '96';
    const fr = issueAt(b, 'insured.nirKey');
    expect(fr).toMatchObject({ code: 'ERR_NIR_KEY' });
    expect(fr!.message).toBe('Clé NIR incorrecte : attendu 95 ; reçu 96 (clé = 97 − NIR mod 97).');
    const en = validateBordereau(b, { locale: 'en' });
    expect(en.ok).toBe(false);
    expect(en.issues[0]!.message).toBe('Wrong NIR key: expected 95; received 96 (key = 97 − NIR mod 97).');
  });

  it('speaks English with no French word when asked, whatever the data (types, lengths, dates, decimals)', () => {
    const b = base();
    b.invoiceNumber = 123;
    b.insured.lastName = 'x'.repeat(200);
    b.stay.exit = { ...b.stay.exit, date: '2026-01-01' };
    b.fees[0].coefficient = 1.23456;
    b.services = 'none';
    const en = validateBordereau(b, { locale: 'en' });
    expect(en.ok).toBe(false);
    const messages = en.issues.map((i) => i.message);
    expect(messages).toContain('Wrong type: expected a string; received the number 123.');
    for (const m of messages)
      expect(m, m).not.toMatch(/\b(attendu|reçu|texte|nombre|tableau|caractères|décimales|avant|après|entrée|sortie)\b|[«»éèàç]| [:;?!]/);
    const fr = validateBordereau(b);
    expect(fr.issues.map((i) => i.message)).toContain('Type incorrect : attendu un texte ; reçu le nombre 123.');
  });

  it('reports FINESS, RPPS, CCAM, LPP, UCD and identifier problems with their codes', () => {
    const b = base();
    b.establishment.finess = '690008421';
    b.fees[1].practitioner.rpps = '10001234566';
    b.fees[1].act.code = 'NEK020';
    b.lpp[0].code = '311312';
    b.drugs = [{ date: '2026-03-16', ucd: '9261105', label: 'Bévacizumab', quantity: 1, unitPrice: 100, amount: 100, base: 100, rate: 100 }];
    b.id = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-J';
    const found = codes(b);
    expect(found).toEqual(
      expect.arrayContaining(['ERR_FINESS_KEY', 'ERR_RPPS_KEY', 'ERR_CCAM_FORMAT', 'ERR_LPP_FORMAT', 'ERR_UCD_KEY', 'ERR_BORDEREAU_ID_CHECK']),
    );
  });

  it('refuses unknown keys (typos) at every level', () => {
    const b = base();
    b.insured.fristName = 'Jérôme';
    b.totals.tva = 0;
    const r = validateBordereau(b);
    expect(r.ok).toBe(false);
    expect(r.issues.filter((i) => i.code === 'ERR_UNKNOWN_KEY').map((i) => i.path.join('.'))).toEqual(['insured.fristName', 'totals.tva']);
  });

  it('refuses wrong types, missing values and non-integer cents', () => {
    const b = base();
    b.totals.total = '5066.33';
    delete b.insured.lastName;
    b.services[0].amount = 2874.53;
    b.fees[0].signature.mandate = 'non';
    expect(issueAt(b, 'totals.total')?.code).toBe('ERR_AMOUNT_NOT_CENTS');
    expect(issueAt(b, 'insured.lastName')?.code).toBe('ERR_REQUIRED');
    expect(issueAt(b, 'services.0.amount')?.code).toBe('ERR_AMOUNT_NOT_CENTS');
    expect(issueAt(b, 'fees.0.signature.mandate')?.code).toBe('ERR_TYPE');
    expect(codes(null)).toEqual(['ERR_TYPE']);
    expect(codes([])).toEqual(['ERR_TYPE']);
    expect(codes('bordereau')).toEqual(['ERR_TYPE']);
  });

  it('refuses control characters, invisible characters and unprintable scripts', () => {
    const b = base();
    b.insured.lastName = 'Lefèvre\u0000';
    b.insured.firstName = 'Jé\nrôme';
    b.establishment.name = 'Clinique \u202eevil';
    b.insured.birthName = '李';
    expect(issueAt(b, 'insured.lastName')?.code).toBe('ERR_TEXT_CONTROL_CHAR');
    expect(issueAt(b, 'insured.firstName')?.code).toBe('ERR_TEXT_CONTROL_CHAR');
    expect(issueAt(b, 'establishment.name')?.code).toBe('ERR_TEXT_UNSUPPORTED_CHAR');
    expect(issueAt(b, 'insured.birthName')?.message).toContain('U+674E');
    const ok = base();
    ok.insured.lastName = 'Nguyễn-Lœtitia Ørsted Šimić'; // Latin names outside Latin-1 are printable
    expect(validateBordereau(ok).ok).toBe(true);
  });

  it('refuses a 10 MB string quickly, without echoing it', () => {
    const b = base();
    b.insured.lastName = 'A'.repeat(10 * 1024 * 1024);
    const t0 = performance.now();
    const issue = issueAt(b, 'insured.lastName');
    expectWithinBound(performance.now() - t0, 2000, 'refusing a 10 MB string', { clock: 'wall' });
    expect(issue?.code).toBe('ERR_TEXT_TOO_LONG');
    expect(issue!.message.length).toBeLessThan(200);
  });

  it('refuses 20,000 lines with the documented limit, fast, with a bounded issue list', () => {
    const b = base();
    b.fees = Array.from({ length: 20_000 }, () => clone(b.fees[1]));
    const t0 = performance.now();
    const r = validateBordereau(b);
    expectWithinBound(performance.now() - t0, 5000, 'refusing 20,000 lines', { clock: 'wall' });
    expect(r.ok).toBe(false);
    expect(r.issues.find((i) => i.path.join('.') === 'fees')?.code).toBe('ERR_TOO_MANY_LINES');
    expect(r.issues.length).toBeLessThanOrEqual(LIMITS.maxIssues);
  });

  it('caps the issue list and counts what it leaves out', () => {
    const b = base();
    b.fees = Array.from({ length: 400 }, () => ({ ...clone(b.fees[1]), date: '2026-02-30', quantity: 0 }));
    const r = validateBordereau(b);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toHaveLength(LIMITS.maxIssues);
      expect(r.omitted).toBe(800 - LIMITS.maxIssues);
    }
  });
});

describe('FORM-2 coherence: dates, amounts, totals and split', () => {
  it('refuses an exit before the entry and impossible dates', () => {
    const b = base();
    b.stay.exit = { date: '2026-03-14', time: '10:00' };
    expect(issueAt(b, 'stay.exit')?.code).toBe('ERR_DATE_ORDER');
    const c = base();
    c.stay.entry.date = '2026-02-29';
    expect(issueAt(c, 'stay.entry.date')?.code).toBe('ERR_DATE_INVALID');
    const d = base();
    d.stay.entry.time = '24:00';
    expect(issueAt(d, 'stay.entry.time')?.code).toBe('ERR_TIME_INVALID');
  });

  it('refuses same-day exit before entry time, accepts the same minute', () => {
    const b = base();
    b.stay.exit = { date: '2026-03-15', time: '07:44' };
    b.issuedOn = '2026-03-15';
    expect(codes(b)).toContain('ERR_DATE_ORDER');
    b.stay.exit.time = '07:45';
    expect(codes(b)).not.toContain('ERR_DATE_ORDER');
  });

  it('keeps acts within the stay unless an exception is declared', () => {
    const b = base();
    delete b.fees[0].outsideStay; // the anaesthesia consultation is 3 weeks before entry
    expect(issueAt(b, 'fees.0.date')).toMatchObject({ code: 'ERR_DATE_OUTSIDE_STAY' });
    b.fees[0].outsideStay = 'post-discharge'; // wrong exception for a date before entry
    expect(issueAt(b, 'fees.0.date')?.code).toBe('ERR_DATE_OUTSIDE_STAY');
    const c = base();
    c.lpp[0].date = '2026-03-21';
    expect(issueAt(c, 'lpp.0.date')?.code).toBe('ERR_DATE_OUTSIDE_STAY');
    const d = base();
    d.services[0].to = '2026-03-14';
    expect(issueAt(d, 'services.0.to')?.code).toBe('ERR_DATE_ORDER');
    const e = base();
    e.insured.birthDate = '2026-04-01';
    expect(issueAt(e, 'insured.birthDate')?.code).toBe('ERR_DATE_ORDER');
  });

  it('recomputes line amounts (price × quantity × coefficient, half up)', () => {
    const b = base();
    b.services[2].amount = 31023; // 31241 × 0.993 = 31022.313 → 31022
    expect(issueAt(b, 'services.2.amount')).toMatchObject({ code: 'ERR_LINE_AMOUNT' });
    expect(issueAt(b, 'services.2.amount')!.message).toContain('31022');
    const c = base();
    c.lpp[1].quantity = 3;
    expect(issueAt(c, 'lpp.1.amount')?.code).toBe('ERR_LINE_AMOUNT');
    const d = base();
    d.fees[1].overrun = 90000;
    expect(issueAt(d, 'fees.1.overrun')?.code).toBe('ERR_LINE_AMOUNT');
  });

  it('requires the totals to equal the sums of the lines and the parts to add up', () => {
    for (const key of ['services', 'fees', 'lpp', 'drugs', 'total'] as const) {
      const b = base();
      b.totals[key] += 1;
      expect(issueAt(b, `totals.${key}`)?.code, key).toBe('ERR_TOTAL_MISMATCH');
    }
    const b = base();
    b.totals.amo -= 1;
    expect(issueAt(b, 'totals.patient')?.code).toBe('ERR_PARTS_MISMATCH');
    const c = base();
    delete c.coverage.complementary;
    expect(issueAt(c, 'totals.amc')?.code).toBe('ERR_AMC_WITHOUT_COMPLEMENTARY');
  });

  it('ties AT/MP to its accident and the beneficiary signer to a beneficiary', () => {
    const b = base();
    b.coverage.insuranceNature = '40';
    expect(issueAt(b, 'coverage.accident')?.code).toBe('ERR_ACCIDENT_REQUIRED');
    const c = base();
    c.coverage.accident = { date: '2026-03-01' };
    expect(issueAt(c, 'coverage.accident')?.code).toBe('ERR_ACCIDENT_NOT_ALLOWED');
    const d = base();
    d.signatures.insured.signer = 'beneficiary';
    expect(issueAt(d, 'signatures.insured.signer')?.code).toBe('ERR_SIGNATURE_SLOT');
  });
});

describe('X-2 reading JSON input', () => {
  it('reads UTF-8 bytes (with or without BOM) and strings', () => {
    const text = JSON.stringify(base());
    const bytes = new TextEncoder().encode(`\ufeff${text}`);
    expect(parseBordereauJson(bytes).id).toBe(base().id);
    expect(parseBordereauJson(text).id).toBe(base().id);
  });
  it('gives coded errors for syntax, encoding and size', () => {
    const expectCode = (fn: () => unknown, code: string): void => {
      try {
        fn();
        expect.unreachable('should have thrown');
      } catch (e) {
        expect(e).toBeInstanceOf(FormError);
        expect((e as FormError).kind).toBe('input');
        expect((e as FormError).code).toBe(code);
      }
    };
    expectCode(() => readJson('{"a": 1,'), 'ERR_JSON_SYNTAX');
    expectCode(() => readJson(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'ERR_INPUT_ENCODING');
    expectCode(() => readJson(' '.repeat(LIMITS.maxJsonBytes + 1)), 'ERR_INPUT_TOO_LARGE');
  });
  it('throws a FormError of kind verdict carrying every issue', () => {
    const b = base();
    b.insured.nirKey = '00';
    b.totals.total = 1;
    try {
      parseBordereau(b);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormError);
      expect((e as FormError).kind).toBe('verdict');
      expect((e as FormError).code).toBe('ERR_BORDEREAU_INVALID');
      expect((e as FormError).issues.map((i) => i.code)).toEqual(['ERR_NIR_KEY']);
      expect((e as Error).message).toMatch(/^Bordereau invalide : 1 problème\(s\), le premier : insured\.nirKey/);
    }
  });
  it('has a French and an English text for every code it can emit', () => {
    for (const code of FORM_ERRORS.codes) {
      expect(code).toMatch(/^ERR_[A-Z0-9_]+$/);
      expect(FORM_ERRORS.message(code, {}, 'fr').length, code).toBeGreaterThan(10);
      expect(FORM_ERRORS.message(code, {}, 'en').length, code).toBeGreaterThan(10);
    }
  });
});

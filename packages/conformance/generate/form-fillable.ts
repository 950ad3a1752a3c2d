/**
 * Writes `test-vectors/form/fillable.json` and its PDF fixtures (FORM-5):
 * bordereaux rendered as fillable AcroForms must read back to the same
 * model; a form whose fields were edited (an incremental update redefining
 * the field's /V, as a viewer saves it) reads back the edit; a field with a
 * bad value, a flat PDF or bytes that are no PDF are refused with their code.
 * The expected models and codes are written here from the inputs, never
 * taken from the SDK's answer. Deterministic (fixed clock, no randomness);
 * run with `cd packages/conformance && npx tsx --conditions=@s3404/source generate/form-fillable.ts`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '@s3404/core';
import { isDict, PdfRef, PdfString, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import { appendUpdate, copyDict, openPdfFile, renderBordereauPdf, textString, type PdfFile } from '@s3404/form/pdf';
import { REPO_ROOT, writeOwnFixtures, writeVectorFile, type FixtureOut } from './vectors-output.js';

type Json = Record<string, unknown>;

const root = REPO_ROOT;
const now = fixedClock(new Date('2026-03-20T10:00:00Z'));

const example = (name: string): Json => {
  const b = JSON.parse(readFileSync(join(root, 'examples/data', `${name}.json`), 'utf8')) as Json;
  delete b['$schema'];
  return b;
};

/** The field dictionary named `name` under the catalog's /AcroForm /Fields (full names joined by dots). */
function findField(file: PdfFile, name: string): { num: number; dict: PdfDict } {
  const rootRef = file.last.trailer.get('Root') as PdfRef;
  const catalog = file.object(rootRef.num) as PdfDict;
  const acro = file.resolve(catalog.get('AcroForm'));
  if (!isDict(acro)) throw new Error('no AcroForm');
  const walk = (list: PdfValue | undefined, prefix: string): { num: number; dict: PdfDict } | undefined => {
    const items = file.resolve(list);
    if (!Array.isArray(items)) return undefined;
    for (const item of items) {
      if (!(item instanceof PdfRef)) continue;
      const d = file.object(item.num);
      if (!isDict(d)) continue;
      const t = d.get('T');
      const full = t instanceof PdfString ? (prefix === '' ? t.text() : `${prefix}.${t.text()}`) : prefix;
      if (full === name) return { num: item.num, dict: d };
      if (name.startsWith(`${full}.`) || full === '') {
        const found = walk(d.get('Kids'), full);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  const found = walk(acro.get('Fields'), '');
  if (found === undefined) throw new Error(`no field ${name}`);
  return found;
}

/** Sets the values of text fields in an incremental update (every earlier byte kept). */
function fill(pdf: Uint8Array, values: Record<string, string>): Uint8Array {
  const file = openPdfFile(pdf, 'en');
  const objects = Object.entries(values).map(([name, value]) => {
    const { num, dict } = findField(file, name);
    const d = copyDict(dict);
    d.set('V', textString(value));
    return { num, value: d };
  });
  return appendUpdate(file, objects).bytes;
}

const render = async (b: Json, mode: 'fillable' | 'flat' = 'fillable'): Promise<Uint8Array> =>
  (await renderBordereauPdf(b as never, { now, mode, page: 'a4' })).bytes;

interface Case {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly variant: string;
  readonly pdf: Uint8Array | null;
  readonly base64?: Uint8Array;
  readonly result: 'valid' | 'invalid';
  readonly expected: Json;
  readonly reason: string;
}
const cases: Case[] = [];

// ---- round trips: the model back, whole ------------------------------------------------
for (const name of ['ambulatoire-cataracte', 'mco-chirurgie-pth']) {
  const b = example(name);
  cases.push({
    comment: `examples/data/${name}.json rendered fillable (A4, fixed clock), read back unedited: the same model`,
    flags: ['ROUND_TRIP'],
    variant: `round-trip-${name}`,
    pdf: await render(b),
    result: 'valid',
    expected: { bordereau: b },
    reason: `examples/data/${name}.json rendered with mode 'fillable', page 'a4', clock 2026-03-20T10:00:00Z`,
  });
}

// ---- edits that read back -----------------------------------------------------------------
const P = 'mco-chirurgie-pth';
const base = await render(example(P));
cases.push({
  comment: 'first name typed with accents and a hyphen: read back as typed',
  flags: ['EDITED'],
  variant: 'edited-first-name',
  pdf: fill(base, { 's3404.insured.firstName': 'Jérôme-Élie' }),
  result: 'valid',
  expected: { values: { 'insured.firstName': 'Jérôme-Élie' } },
  reason: `${P} fillable, s3404.insured.firstName set to « Jérôme-Élie » in an incremental update`,
});
cases.push({
  comment: 'issue date typed in French form 21/03/2026: read back as 2026-03-21',
  flags: ['EDITED'],
  variant: 'edited-issue-date',
  pdf: fill(base, { 's3404.issuedOn': '21/03/2026' }),
  result: 'valid',
  expected: { values: { issuedOn: '2026-03-21' } },
  reason: `${P} fillable, s3404.issuedOn set to « 21/03/2026 »`,
});
cases.push({
  comment: 'city typed anew: read back as typed, the rest unchanged',
  flags: ['EDITED'],
  variant: 'edited-city',
  pdf: fill(base, { 's3404.insured.address.city': 'Saint-Étienne' }),
  result: 'valid',
  expected: { values: { 'insured.address.city': 'Saint-Étienne', 'insured.lastName': (example(P)['insured'] as Json)['lastName'] } },
  reason: `${P} fillable, s3404.insured.address.city set to « Saint-Étienne »`,
});

// ---- refusals -------------------------------------------------------------------------------
const bad = (comment: string, flags: string[], variant: string, pdf: Uint8Array, code: string, reason: string): void => {
  cases.push({ comment, flags, variant, pdf, result: 'invalid', expected: { code }, reason });
};
bad(
  'an amount typed as « abc »: the field cannot be read',
  ['BAD_VALUE'],
  'amount-not-a-number',
  fill(base, { 's3404.fees.0.amount': 'abc' }),
  'ERR_ACROFORM_VALUE',
  `${P} fillable, s3404.fees.0.amount set to « abc »`,
);
bad(
  'an issue date typed as « hier »: the field cannot be read',
  ['BAD_VALUE'],
  'date-not-a-date',
  fill(base, { 's3404.issuedOn': 'hier' }),
  'ERR_ACROFORM_VALUE',
  `${P} fillable, s3404.issuedOn set to « hier »`,
);
bad(
  'the grand total typed as 1,00: read, then refused as incoherent',
  ['INCOHERENT'],
  'total-mismatch',
  fill(base, { 's3404.totals.total': '1,00' }),
  'ERR_TOTAL_MISMATCH',
  `${P} fillable, s3404.totals.total set to « 1,00 »`,
);
bad(
  'the NIR key typed wrong: read, then refused',
  ['INCOHERENT'],
  'nir-key',
  fill(base, { 's3404.insured.nirKey': String((Number((example(P)['insured'] as Json)['nirKey']) % 97) + 1).padStart(2, '0') }),
  'ERR_NIR_KEY',
  `${P} fillable, s3404.insured.nirKey changed by one`,
);
bad(
  'a flat (pre-filled) rendering has no form fields to read',
  ['NOT_FILLABLE'],
  'flat',
  await render(example(P), 'flat'),
  'ERR_ACROFORM_MISSING',
  `${P} rendered with mode 'flat'`,
);
cases.push({
  comment: 'bytes that are no PDF',
  flags: ['NOT_FILLABLE'],
  variant: 'not-a-pdf',
  pdf: null,
  base64: new TextEncoder().encode('%PDX-1.7 not a PDF at all\n'),
  result: 'invalid',
  expected: { code: 'ERR_PDF_UNREADABLE' },
  reason: '',
});

// ---- the files --------------------------------------------------------------------------------
const written: FixtureOut[] = [];
const tests = cases.map((c, i) => {
  const tcId = i + 1;
  let input: Json;
  if (c.pdf !== null) {
    const file = `form-FORM-5-t${String(tcId).padStart(2, '0')}-${c.result === 'valid' ? 'pass' : 'fail'}-${c.variant}.pdf`;
    const sha256 = createHash('sha256').update(c.pdf).digest('hex');
    written.push({ name: file, bytes: c.pdf, reason: c.reason });
    input = { pdf: { file: `fixtures/${file}`, sha256 } };
  } else {
    input = { pdf: { base64: Buffer.from(c.base64 ?? new Uint8Array()).toString('base64') } };
  }
  return { tcId, comment: c.comment, requirements: ['FORM-5'], flags: c.flags, input, result: c.result, expected: c.expected };
});
writeOwnFixtures('form', 'fillable.json', written);

const flagNotes: Record<string, { bugType: string; description: string }> = {
  ROUND_TRIP: { bugType: 'BASIC', description: 'A bordereau rendered fillable and read back unedited: the whole model again.' },
  EDITED: { bugType: 'REAL_DATA', description: 'A field edited as a viewer saves it (incremental update of /V): the edit is read back.' },
  BAD_VALUE: { bugType: 'MALFORMED_INPUT', description: 'A field whose text cannot be read as its kind (amount, date).' },
  INCOHERENT: { bugType: 'MALFORMED_INPUT', description: 'Fields that read but make the bordereau invalid: validated like any input.' },
  NOT_FILLABLE: { bugType: 'MALFORMED_INPUT', description: 'A PDF without the s3404 form fields, or bytes that are no PDF.' },
};
const file = {
  schema: 's3404-test-vectors/2.0',
  area: 'form',
  title: 'Fillable AcroForm round trip: readBordereauFromPdf on rendered and edited forms (FORM-5)',
  generator: 'packages/conformance/generate/form-fillable.ts',
  notes: flagNotes,
  numberOfTests: tests.length,
  testGroups: [
    {
      type: 'fillable-read',
      comment:
        'input.pdf is read back into the model; valid: expected.bordereau is the whole model (canonical JSON), or expected.values the values at dotted paths; invalid: refused with expected.code among the codes (an invalid bordereau: among its issues).',
      tests,
    },
  ],
};
writeVectorFile('form', 'fillable.json', file);
console.log(`form/fillable.json: ${tests.length} tests, ${tests.filter((t) => t.result === 'invalid').length} negative`);

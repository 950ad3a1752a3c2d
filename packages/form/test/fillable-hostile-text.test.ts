import { PDFDocument } from '@cantoo/pdf-lib';
import { PDFDocument as UpstreamDocument, PDFTextField as UpstreamTextField } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@s3404/core';
import { type Bordereau, parseBordereau, validateBordereau } from '@s3404/form';
import { readBordereauFromPdf, renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, clone, example, pdfText, prng, qpdfCheck } from './helpers.js';

/*
 * FORM-5: the fillable form is written as PDF syntax by hand (field values, names, appearance
 * streams). Free text is what a caller controls: these tests fill every free-text field with what
 * the model lets through and is hostile to PDF syntax, and check that the file stays sound, that
 * every value reads back exactly (through the SDK and through an independent reader) and that a
 * person sees the text where it was printed.
 */

/** Every free-text field of the example, with its longest length. */
const TEXT_FIELDS: readonly { readonly path: string; readonly max: number }[] = [
  { path: 'establishment.name', max: 120 },
  { path: 'establishment.address.line1', max: 120 },
  { path: 'establishment.address.line2', max: 120 },
  { path: 'establishment.address.city', max: 80 },
  { path: 'insured.lastName', max: 80 },
  { path: 'insured.birthName', max: 80 },
  { path: 'insured.firstName', max: 80 },
  { path: 'insured.address.line1', max: 120 },
  { path: 'insured.address.line2', max: 120 },
  { path: 'insured.address.city', max: 80 },
  { path: 'coverage.complementary.name', max: 80 },
  { path: 'coverage.complementary.contract', max: 40 },
  { path: 'services.0.label', max: 120 },
  { path: 'services.1.label', max: 120 },
  { path: 'services.2.label', max: 120 },
  { path: 'fees.0.practitioner.name', max: 80 },
  { path: 'fees.1.practitioner.name', max: 80 },
  { path: 'lpp.0.label', max: 120 },
  { path: 'lpp.1.label', max: 120 },
  { path: 'signatures.director.name', max: 80 },
];

/** PDF string delimiters and escapes, name and dictionary syntax. */
const DELIMITERS = [
  '(',
  ')',
  '((',
  '))',
  '\\',
  '\\(',
  '\\)',
  '\\\\',
  '%',
  '%%EOF',
  '/',
  '/T',
  '/V',
  '<',
  '>',
  '<<',
  '>>',
  '<FEFF0041>',
  '[',
  ']',
  '{',
  '}',
  '#',
  '#20',
];
/** Keywords of the file and content stream syntax. */
const KEYWORDS = ['endobj', 'endstream', 'stream', ' R', '0 0 R', 'BT', 'ET', 'Tj', 'EMC', 'BMC', 'trailer', 'xref'];
/** Every kind of space the model accepts. */
const SPACES = [' ', '  ', '\u00a0', '\u202f', '\u2009', '\u2007'];
/** Non-ASCII (UTF-16 in the file), decomposed and canonical-equivalent letters, and ASCII. */
const LETTERS = [
  'é',
  'e\u0301',
  'þÿ',
  'ÿ',
  'Œ',
  'œ',
  '€',
  '…',
  '—',
  '‘’',
  '«\u00a0',
  '\u00a0»',
  '\u212a',
  'ẞ',
  'ǅ',
  'A',
  'z',
  '0',
  '9',
  '.',
  ',',
  '~',
  '`',
  "'",
  '"',
  '?',
];
/** Pieces of hostile text. */
const PIECES = [...DELIMITERS, ...KEYWORDS, ...SPACES, ...LETTERS];

function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split('.');
  let node = target as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

/** A hostile text of 1…`max` characters, never only spaces. */
function hostileText(random: () => number, max: number): string {
  let s = '';
  const target = 1 + Math.floor(random() * max);
  while (s.length < target) s += PIECES[Math.floor(random() * PIECES.length)];
  s = s.slice(0, max);
  return s.trim() === '' ? `${s.slice(0, max - 1)}x` : s;
}

function withTexts(values: ReadonlyMap<string, string>): Bordereau {
  const b = clone(example('mco-chirurgie-pth')) as unknown as Record<string, unknown>;
  for (const [path, value] of values) setPath(b, path, value);
  const verdict = validateBordereau(b);
  expect(verdict.ok, JSON.stringify(verdict.ok ? [] : verdict.issues.slice(0, 3))).toBe(true);
  return parseBordereau(b);
}

/** Renders fillable, then checks the file, the SDK's read-back and an independent reader's values. */
async function roundTrip(model: Bordereau): Promise<Uint8Array> {
  const { $schema: _s, ...expected } = model;
  const { bytes } = await renderBordereauPdf(model, { now: CLOCK, mode: 'fillable' });
  const check = qpdfCheck(bytes);
  expect(check.ok, check.output).toBe(true);
  expect(canonicalJson(await readBordereauFromPdf(bytes))).toBe(canonicalJson(expected));
  // Upstream pdf-lib (not the fork the SDK writes and reads with) decodes /V on its own.
  const upstream = (await UpstreamDocument.load(bytes, { updateMetadata: false })).getForm();
  for (const { path } of TEXT_FIELDS) {
    const value = path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], model);
    if (value === undefined) continue;
    const field = upstream.getField(`s3404.${path}`);
    expect(field).toBeInstanceOf(UpstreamTextField);
    expect((field as UpstreamTextField).getText(), path).toBe(value);
  }
  return bytes;
}

describe('FORM-5 fillable form: hostile free text', () => {
  it.each([1, 2, 3, 4])('generated hostile texts (seed %i) read back byte-exact, in a file qpdf finds sound', async (seed) => {
    const random = prng(seed * 7919);
    await roundTrip(withTexts(new Map(TEXT_FIELDS.map(({ path, max }) => [path, hostileText(random, max)]))));
  });

  it('keeps the leading and trailing spaces of a free text: they are part of the value', async () => {
    const values = new Map([
      ['insured.lastName', ' Martin'],
      ['insured.firstName', 'Jeanne '],
      ['establishment.name', '\u00a0Clinique du Parc\u00a0'],
      ['insured.address.line1', '\u2009 4 rue des Lilas \u202f'],
      ['services.0.label', '  GHS  '],
    ]);
    const bytes = await roundTrip(withTexts(values));
    // A line break a person leaves at the end of a multi-line field is no part of the value; the spaces stay.
    const doc = await PDFDocument.load(bytes);
    doc.getForm().getTextField('s3404.insured.address.line1').setText('\r\n 4 rue des Lilas \n');
    const back = await readBordereauFromPdf(await doc.save());
    expect(back.insured.address?.line1).toBe(' 4 rue des Lilas ');
    expect(back.insured.lastName).toBe(' Martin');
  });

  it('shows every value as typed: the escaped characters of PDF syntax are printed, not interpreted', async () => {
    const value = 'A(B)C\\D%E/F<G>H[I]J{K}L#M';
    const bytes = await roundTrip(withTexts(new Map([['insured.lastName', value]])));
    expect(pdfText(bytes).join('\n')).toContain(value);
  });

  it('never wraps a value at a no-break space (U+00A0, U+202F), as the flat rendering does not', async () => {
    // Groups of words of uneven lengths bound by no-break spaces, separated by ordinary spaces, in
    // wrapped fields: a line may end only between two groups.
    const groups = (tag: string, sep: string): string[] => {
      const out: string[] = [];
      for (let i = 0, length = 0; length < 100; i++) {
        const words = Array.from({ length: 2 + (i % 2) }, (_, k) => `${tag}${'abcdefg'.slice(0, 1 + ((i * 3 + k * 5) % 7))}${i}${k}`);
        out.push(words.join(sep));
        length += out.at(-1)!.length + 1;
      }
      return out;
    };
    const values = new Map([
      ['insured.address.line1', groups('P', '\u00a0')],
      ['establishment.address.line1', groups('Q', '\u202f')],
      ['services.0.label', groups('R', '\u00a0')],
      ['services.1.label', groups('S', '\u202f')],
    ]);
    const model = withTexts(new Map([...values].map(([path, g]) => [path, g.join(' ')])));
    for (const mode of ['flat', 'fillable'] as const) {
      const { bytes } = await renderBordereauPdf(model, { now: CLOCK, mode });
      const lines = pdfText(bytes).join('\n').split('\n');
      for (const [path, g] of values) {
        const shown = lines.filter((l) => g.some((group) => l.includes(group.split(/\s/)[0]!)));
        // The value does wrap (else this test would prove nothing)…
        expect(shown.length, `${mode} ${path}`).toBeGreaterThan(1);
        // …and every group is whole on one line (pdftotext shows a no-break space as a space).
        for (const group of g)
          expect(
            shown.some((l) => l.includes(group.replace(/\s/g, ' '))),
            `${mode} ${path}: ${group}`,
          ).toBe(true);
      }
    }
  });
});

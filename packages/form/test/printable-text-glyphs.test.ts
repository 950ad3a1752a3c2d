import { describe, expect, it } from 'vitest';
import { parseBordereau, printableTextProblem } from '@s3404/form';
import { overlayBordereauPdf, renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, clone, example, pdfText, STAND_IN_FIELD_MAP, standInCerfa } from './helpers.js';

/*
 * FORM-2, FORM-4: the text policy accepts a text whose characters (after NFC composition) the
 * embedded font can print. Whatever it accepts must then print with a glyph of the font, never as
 * the `?` drawn for a character the font lacks.
 */

/** Every BMP character the text policy accepts after a letter, but `?` itself. */
function acceptedCharacters(): string[] {
  const out: string[] = [];
  for (let cp = 0x20; cp <= 0xffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCharCode(cp);
    if (ch !== '?' && printableTextProblem(`a${ch}`) === null) out.push(ch);
  }
  return out;
}

const TEXT_FIELDS: readonly (readonly [string, number])[] = [
  ['establishment.name', 120],
  ['establishment.address.line1', 120],
  ['establishment.address.line2', 120],
  ['establishment.address.city', 80],
  ['insured.lastName', 80],
  ['insured.birthName', 80],
  ['insured.firstName', 80],
  ['insured.address.line1', 120],
  ['insured.address.line2', 120],
  ['insured.address.city', 80],
  ['coverage.complementary.name', 80],
  ['services.0.label', 120],
  ['services.1.label', 120],
  ['services.2.label', 120],
  ['fees.0.practitioner.name', 80],
  ['fees.1.practitioner.name', 80],
  ['fees.2.practitioner.name', 80],
  ['lpp.0.label', 120],
  ['lpp.1.label', 120],
];

/** The example with `chars` spread over its free-text fields, each chunk after a letter. */
function bordereauWith(chars: readonly string[]): ReturnType<typeof parseBordereau> {
  const b = clone(example('mco-chirurgie-pth')) as unknown as Record<string, unknown>;
  let at = 0;
  for (const [path, max] of TEXT_FIELDS) {
    if (at >= chars.length) break;
    const chunk = `a${chars.slice(at, at + max - 1).join('')}`;
    at += max - 1;
    const parts = path.split('.');
    let node = b;
    for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
    node[parts.at(-1)!] = chunk;
  }
  expect(at, 'the free-text fields hold every accepted character').toBeGreaterThanOrEqual(chars.length);
  return parseBordereau(b);
}

describe('FORM-2 every accepted character prints with a glyph', () => {
  const accepted = acceptedCharacters();
  // Accepted for their canonical equivalent (U+212A KELVIN SIGN is K, U+212B ANGSTROM SIGN is Å…): the font has only that.
  const equivalents = accepted.filter((ch) => ch.normalize('NFC') !== ch);

  it('the policy accepts characters for their canonical equivalent (else the next test proves little)', () => {
    expect(equivalents.length).toBeGreaterThan(0);
    expect(equivalents).toContain('\u212a');
  });

  it('in the fillable form (full font) every accepted character is drawn, none as "?"', async () => {
    const { bytes } = await renderBordereauPdf(bordereauWith(accepted), { now: CLOCK, mode: 'fillable' });
    const text = pdfText(bytes).join('\n');
    expect(text).not.toContain('?');
  });

  it('flat and overlaid, a character accepted for its canonical equivalent prints as that equivalent', async () => {
    // Marks and spaces excepted: pdftotext composes or merges them on its own.
    const visible = equivalents.filter((ch) => !/[\p{M}\p{Z}]/u.test(ch));
    expect(visible).toContain('\u212b');
    const value = `Nom ${visible.join(' ')}`;
    const b = clone(example('mco-chirurgie-pth'));
    b.insured.lastName = value;
    const model = parseBordereau(b);
    const flat = pdfText((await renderBordereauPdf(model, { now: CLOCK })).bytes).join('\n');
    const overlaid = pdfText((await overlayBordereauPdf(model, await standInCerfa(), STAND_IN_FIELD_MAP, { now: CLOCK })).bytes).join('\n');
    for (const text of [flat, overlaid]) {
      expect(text).not.toContain('?');
      expect(text).toContain(value.normalize('NFC'));
    }
  });
});

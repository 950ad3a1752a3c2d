import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { parseBordereau, contentHash, formatCents } from '@s3404/form';
import { A3_LANDSCAPE_TEMPLATE, A4_PORTRAIT_TEMPLATE, renderBordereauPdf, type LayoutTemplate } from '@s3404/form/pdf';
import { FormError } from '@s3404/form/errors';
import type { Bordereau } from '@s3404/form';
import { CLOCK, clone, example, examples, longBordereau, pdfInfo, pdfText, qpdfCheck, tool } from './helpers.js';

const pdfLatin1 = (bytes: Uint8Array): string => new TextDecoder('latin1').decode(bytes);

describe('FORM-4 rendering of every example (SDK layout)', () => {
  const cases = examples().flatMap((e) =>
    (['a3', 'a4'] as const).flatMap((page) => (['flat', 'fillable'] as const).map((mode) => [`${e.name} ${page} ${mode}`, e.data, page, mode] as const)),
  );
  it.each(cases)('%s: passes qpdf --check and shows its key values with accents', async (_n, data, page, mode) => {
    const b = parseBordereau(data);
    const { bytes, pageCount, contentHash: hash } = await renderBordereauPdf(b, { page, mode, now: CLOCK });
    const check = qpdfCheck(bytes);
    expect(check.ok, check.output).toBe(true);
    expect(hash).toBe(contentHash(b));
    const pages = pdfText(bytes);
    expect(pages).toHaveLength(pageCount);
    const all = pages.join('\n').replace(/\s+/g, ' ');
    // Blocks and key values, accents intact.
    for (const text of [b.establishment.name, b.insured.lastName, b.insured.firstName, b.establishment.finess, b.stay.entryNumber]) {
      expect(all).toContain(text);
    }
    // Thousands are separated by U+202F in the PDF; text extraction gives a space.
    expect(all).toContain(formatCents(b.totals.total, { currency: false }).replace('\u202f', ' '));
    for (const title of [
      'Prestations hospitalières',
      'Honoraires des praticiens',
      'Dispositifs médicaux',
      'Médicaments facturés en sus',
      'TOTAUX ET RÉPARTITION',
    ]) {
      expect(all).toContain(title);
    }
    // Identifier, content hash and "page n / N" on every page.
    pages.forEach((text, i) => {
      expect(text).toContain(b.id);
      expect(text).toContain(hash);
      expect(text).toContain(`page ${i + 1} / ${pageCount}`);
    });
    // Totals and signature boxes on the last page only.
    for (const [i, text] of pages.entries()) expect(text.includes('TOTAL GÉNÉRAL')).toBe(i === pageCount - 1);
  });
});

describe('FORM-4 pagination', () => {
  it('never cuts a line across pages, repeats headers, and ends with the totals', async () => {
    const b = longBordereau(120);
    const { bytes, pageCount, slots } = await renderBordereauPdf(b, { now: CLOCK });
    expect(qpdfCheck(bytes).ok).toBe(true);
    expect(pageCount).toBeGreaterThanOrEqual(3);
    const pages = pdfText(bytes);
    for (let i = 1; i <= 120; i++) {
      const n = String(i).padStart(4, '0');
      const a = pages.findIndex((p) => p.includes(`N${n}A`));
      const z = pages.findIndex((p) => p.includes(`N${n}B`));
      expect(a, `line ${i}`).toBeGreaterThanOrEqual(0);
      expect(z, `line ${i} cut between pages ${a + 1} and ${z + 1}`).toBe(a);
      // Its signature slot is on the same page as its text.
      expect(slots.find((s) => s.id === `line:${i}`)!.page).toBe(a);
    }
    pages.slice(1).forEach((p) => {
      if (p.includes('N0')) expect(p).toContain('Honoraires des praticiens (CCAM / NGAP) (suite)');
    });
    expect(pages.at(-1)).toContain('TOTAL GÉNÉRAL');
  });

  it('paginates the A4 portrait option into more pages than A3 landscape', async () => {
    const b = longBordereau(60);
    const a3 = await renderBordereauPdf(b, { now: CLOCK, page: 'a3' });
    const a4 = await renderBordereauPdf(b, { now: CLOCK, page: 'a4' });
    expect(a4.pageCount).toBeGreaterThan(a3.pageCount);
    expect(pdfInfo(a3.bytes)['Page size']).toMatch(/^1190\.55 x 841\.89 pts/);
    expect(pdfInfo(a4.bytes)['Page size']).toMatch(/^595\.28 x 841\.89 pts \(A4\)/);
  });

  it('renders the maximum documented size (500 lines in each table) within bounds', async () => {
    const b = longBordereau(500);
    const t0 = performance.now();
    const { bytes, pageCount } = await renderBordereauPdf(b, { now: CLOCK });
    expectWithinBound(performance.now() - t0, 15_000, 'rendering 500 lines in each table', { clock: 'wall' });
    expect(qpdfCheck(bytes).ok).toBe(true);
    expect(pageCount).toBeGreaterThan(10);
  });
});

describe('FORM-7 archive quality', () => {
  const data = example('mco-chirurgie-pth');

  it('is byte-identical for the same input and clock, and changes with the clock', async () => {
    const a = await renderBordereauPdf(data, { now: CLOCK });
    const b = await renderBordereauPdf(clone(data), { now: CLOCK });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const f1 = await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable', page: 'a4' });
    const f2 = await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable', page: 'a4' });
    expect(Buffer.from(f1.bytes).equals(Buffer.from(f2.bytes))).toBe(true);
    const later = await renderBordereauPdf(data, { now: () => new Date('2026-03-21T08:00:00Z') });
    expect(Buffer.from(later.bytes).equals(Buffer.from(a.bytes))).toBe(false);
  });

  it('carries title, author, subject, keywords with identifier and hash, and the creation date', async () => {
    const { bytes, contentHash: hash } = await renderBordereauPdf(data, { now: CLOCK });
    const info = pdfInfo(bytes);
    expect(info['Title']).toBe(`Bordereau S3404 ${String(data.id)}`);
    expect(info['Author']).toBe('Clinique des Écrins — Chirurgie orthopédique');
    expect(info['Subject']).toContain('facture n° 260004512');
    expect(info['Keywords']).toContain(`sha256:${hash}`);
    expect(info['CreationDate']).toMatch(/^2026-03-20T10:00:00/);
    expect(info['Producer']).toContain('s3404');
  });

  it('embeds a subset of its Unicode font (no standard font) and prints U+202F thousands separators', async () => {
    // The content stream draws the font's U+202F glyph; extraction maps it to a space.
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK });
    const rows = (pdf: Uint8Array): string[] =>
      tool('pdffonts', ['$PDF'], pdf)
        .stdout.split('\n')
        .slice(2)
        .filter((l) => l.trim() !== '');
    expect(rows(bytes)).toHaveLength(2);
    for (const row of rows(bytes)) expect(row).toMatch(/^[A-Z]{6}\+S3404Sans-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    // A fillable form embeds the whole (Latin) regular font, the one of its fields, so that people can type any name;
    // the bold face only labels and totals, subset.
    const fillable = (await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable' })).bytes;
    expect(rows(fillable).filter((r) => /^S3404Sans-Regular\s+CID TrueType\s+Identity-H\s+yes\s+no\s+yes/.test(r))).toHaveLength(1);
    expect(rows(fillable).filter((r) => /^[A-Z]{6}\+S3404Sans-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/.test(r))).toHaveLength(1);
    expect(bytes.length).toBeLessThan(60_000);
    expect(formatCents(506633)).toBe('5\u202f066,33\u00a0€');
    expect(pdfText(bytes).join('')).toContain('5 066,33');
  });

  it('has the PDF/A-2b structure: XMP pdfaid, sRGB output intent, file identifier', async () => {
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK });
    const raw = pdfLatin1(bytes);
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(raw).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(raw).toMatch(/\/OutputIntents/);
    expect(raw).toMatch(/\/S \/GTS_PDFA1/);
    expect(raw).toMatch(/\/ID \[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]/);
    const plain = await renderBordereauPdf(data, { now: CLOCK, pdfa: false });
    expect(pdfLatin1(plain.bytes)).not.toMatch(/pdfaid/);
  });
});

describe('FORM-4 layout template', () => {
  const data = example('mco-chirurgie-pth');

  it('says which form it follows without hard-coding a CERFA number', () => {
    expect(A3_LANDSCAPE_TEMPLATE.follows.form).toBe('S3404');
    expect(A3_LANDSCAPE_TEMPLATE.follows.cerfa).toBeNull();
    expect(A3_LANDSCAPE_TEMPLATE.version).toMatch(/^\d+\.\d+$/);
  });

  it('accepts a vendor template (fewer columns, another name) and prints its name', async () => {
    const template: LayoutTemplate = {
      ...A4_PORTRAIT_TEMPLATE,
      name: 'Clinique des Écrins A4',
      follows: { ...A4_PORTRAIT_TEMPLATE.follows, cerfa: '00000*00', edition: 'vérifiée par l’éditeur' },
      tables: {
        ...A4_PORTRAIT_TEMPLATE.tables,
        lpp: [
          { key: 'code', weight: 1 },
          { key: 'label', weight: 4 },
          { key: 'amount', weight: 1 },
        ],
      },
    };
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK, template });
    const text = pdfText(bytes).join('\n');
    expect(text).toContain('Clinique des Écrins A4');
    expect(text).toContain('Ciment sans antibiotique');
  });

  it('refuses an invalid template with a coded error', async () => {
    const bad = { ...A3_LANDSCAPE_TEMPLATE, tables: { ...A3_LANDSCAPE_TEMPLATE.tables, fees: [{ key: 'tva', weight: 1 }] } };
    await expect(renderBordereauPdf(data, { template: bad })).rejects.toMatchObject({ code: 'ERR_TEMPLATE_INVALID' });
    await expect(renderBordereauPdf(data, { template: { ...A3_LANDSCAPE_TEMPLATE, page: { width: 1, height: 1, margin: 1 } } })).rejects.toMatchObject({
      code: 'ERR_TEMPLATE_INVALID',
      kind: 'verdict',
    });
  });

  it('refuses an invalid bordereau before drawing anything', async () => {
    const bad = clone(data) as Record<string, any>;
    bad.totals.total = 0;
    await expect(renderBordereauPdf(bad as Bordereau)).rejects.toMatchObject({ code: 'ERR_BORDEREAU_INVALID', kind: 'verdict' });
    await expect(renderBordereauPdf(bad as Bordereau)).rejects.toBeInstanceOf(FormError);
  });
});

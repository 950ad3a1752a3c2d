/**
 * PJ checks on PDFs written by tools nobody here wrote (SCOR-1): img2pdf
 * (how many scanner pipelines wrap their images), Ghostscript, qpdf
 * (object streams, cross-reference streams, linearization, QDF), MuPDF
 * and pdf-lib — each time checked against what poppler's `pdfimages
 * -list` and `pdfinfo` report for the same file.
 */
import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { checkPj, type PjReport } from '@s3404/scor';
import { scanPdf } from './fixtures/pdf-writer.js';
import { example, s3404Pdf } from './fixtures/s3404.js';
import { img2pdfScan, pdfImagesList, pdfInfoSizes, renderPng, transform } from './fixtures/tools.js';

function agreesWithPoppler(pdf: Uint8Array, r: PjReport): void {
  const rows = pdfImagesList(pdf);
  const ours = r.pages.flatMap((p) => p.images.map((i) => ({ page: p.index + 1, ...i })));
  expect(ours.map((i) => [i.page, i.widthPx, i.heightPx])).toEqual(rows.map((x) => [x.page, x.width, x.height]));
  ours.forEach((mine, k) => {
    expect(Math.abs(mine.dpiX - rows[k]!.xppi)).toBeLessThanOrEqual(1);
    expect(Math.abs(mine.dpiY - rows[k]!.yppi)).toBeLessThanOrEqual(1);
  });
  const sizes = pdfInfoSizes(pdf);
  expect(r.pages).toHaveLength(sizes.length);
  r.pages.forEach((p, k) => {
    expect(Math.abs(p.widthMm - (sizes[k]!.width * 25.4) / 72)).toBeLessThan(0.2);
    expect(Math.abs(p.heightMm - (sizes[k]!.height * 25.4) / 72)).toBeLessThan(0.2);
  });
}

const page = scanPdf([{ dpi: 100, colour: 'rgb' }]);

describe('PJ written by other tools (SCOR-1)', () => {
  it('img2pdf scans at 150, 200 and 300 dpi, grey and colour, PNG and JPEG', () => {
    for (const dpi of [150, 200, 300]) {
      for (const gray of [true, false]) {
        for (const jpeg of [true, false]) {
          const pdf = img2pdfScan(page, { dpi, gray, jpeg });
          const r = checkPj(pdf);
          agreesWithPoppler(pdf, r);
          const img = r.pages[0]!.images[0]!;
          expect(img.scan).toBe(true);
          expect(img.filters.at(-1)).toBe(jpeg ? 'DCTDecode' : 'FlateDecode');
          expect(img.colour).toBe(gray ? 'grey' : 'colour');
          expect(r.ok, `${dpi} dpi`).toBe(dpi >= 200);
          expect(checkPj(pdf, { minDpi: 150, colour: 'grey' }).ok).toBe(gray);
        }
      }
    }
  });

  it('the same file rewritten by qpdf (object and xref streams, linearized, QDF), Ghostscript and MuPDF', async () => {
    const original = scanPdf([{ dpi: 200 }, { dpi: 150, via: 'form' }, { dpi: 300, colour: 'rgb', stamp: true }]);
    const s3404 = await s3404Pdf(example('ssr-long-sejour'), { page: 'a4' });
    for (const source of [original, s3404]) {
      const expected = checkPj(source);
      const variants = {
        'qpdf object streams': transform(source, 'qpdf', (i, o) => ['--object-streams=generate', i, o]),
        'qpdf linearized': transform(source, 'qpdf', (i, o) => ['--linearize', i, o]),
        'qpdf QDF': transform(source, 'qpdf', (i, o) => ['--qdf', '--object-streams=disable', i, o]),
        ghostscript: transform(source, 'gs', (i, o) => [
          '-q',
          '-dNOPAUSE',
          '-dBATCH',
          '-dSAFER',
          '-sDEVICE=pdfwrite',
          '-dAutoFilterColorImages=false',
          '-dColorImageFilter=/FlateEncode',
          '-dDownsampleColorImages=false',
          '-dDownsampleGrayImages=false',
          '-dDownsampleMonoImages=false',
          `-sOutputFile=${o}`,
          i,
        ]),
        'mutool clean': transform(source, 'mutool', (i, o) => ['clean', '-gggg', i, o]),
      };
      for (const [name, pdf] of Object.entries(variants)) {
        const r = checkPj(pdf, { maxBytes: 64 * 1024 * 1024 }); // QDF leaves every stream uncompressed
        agreesWithPoppler(pdf, r);
        expect(
          r.issues.filter((i) => i.severity === 'error').map((i) => i.code),
          name,
        ).toEqual(expected.issues.filter((i) => i.severity === 'error').map((i) => i.code));
        expect(
          r.issues.filter((i) => i.severity === 'warning'),
          name,
        ).toEqual([]);
        if (name !== 'ghostscript') expect(r.s3404, name).toEqual(expected.s3404);
      }
    }
  });

  it('pdf-lib pages with an embedded PNG drawn at a chosen size', async () => {
    const doc = await PDFDocument.create();
    const png = await doc.embedPng(renderPng(page, 200)); // 1654 × 2339 samples
    doc.addPage([595.28, 841.89]).drawImage(png, { x: 0, y: 0, width: 595.28, height: 841.89 });
    doc.addPage([841.89, 595.28]).drawImage(png, { x: 100, y: 0, width: 420.94, height: 595.28 });
    const pdf = await doc.save();
    const r = checkPj(pdf);
    agreesWithPoppler(pdf, r);
    expect(r.pages.map((p) => Math.round(p.images[0]!.dpiX))).toEqual([200, 283]);
    expect(r.ok).toBe(true);
  });
});

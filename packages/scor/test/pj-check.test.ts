import { describe, expect, it } from 'vitest';
import { checkPj, DEFAULT_PJ_POLICY, type PjReport } from '@s3404/scor';
import { scanPdf, type ScanPage } from './fixtures/pdf-writer.js';
import { pdfImagesList, pdfInfoSizes, qpdfCheck, transform } from './fixtures/tools.js';

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
import { example, s3404Pdf } from './fixtures/s3404.js';

const codes = (r: PjReport): string[] => r.issues.map((i) => i.code);
const errors = (r: PjReport): string[] => r.issues.filter((i) => i.severity === 'error').map((i) => i.code);

/** The fixture opens in qpdf, and poppler sees the resolution the SDK reports. */
function crossCheck(pdf: Uint8Array, report: PjReport): void {
  const q = qpdfCheck(pdf);
  expect(q.status, q.output).toBe(0);
  const rows = pdfImagesList(pdf);
  const ours = report.pages.flatMap((p) => p.images.map((i) => ({ page: p.index + 1, ...i })));
  expect(ours).toHaveLength(rows.length);
  rows.forEach((row, k) => {
    const mine = ours[k]!;
    expect(mine.page).toBe(row.page);
    expect(mine.widthPx).toBe(row.width);
    expect(mine.heightPx).toBe(row.height);
    // pdfimages rounds to whole dpi
    expect(Math.abs(mine.dpiX - row.xppi)).toBeLessThanOrEqual(1);
    expect(Math.abs(mine.dpiY - row.yppi)).toBeLessThanOrEqual(1);
  });
  const sizes = pdfInfoSizes(pdf);
  expect(report.pages.map((p) => [Math.round(p.widthMm), Math.round(p.heightMm)])).toEqual(
    sizes.map((s) => [Math.round((s.width * 25.4) / 72), Math.round((s.height * 25.4) / 72)]),
  );
}

describe('checkPj — resolution (SCOR-1)', () => {
  it('accepts an A4 scan at 200 dpi and reports what poppler reports', () => {
    const pdf = scanPdf([{ dpi: 200 }, { dpi: 300, colour: 'rgb' }]);
    const r = checkPj(pdf);
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([]);
    expect(r.pageCount).toBe(2);
    expect(r.pages[0]).toMatchObject({ index: 0, widthMm: 210, heightMm: 297, rotate: 0 });
    expect(r.pages[0]!.images[0]).toMatchObject({
      name: 'Im0',
      widthPx: 1654,
      heightPx: 2339,
      bitsPerComponent: 8,
      colour: 'grey',
      filters: ['FlateDecode'],
      coverage: 1,
      scan: true,
    });
    expect(r.pages[1]!.images[0]).toMatchObject({ colour: 'colour', widthPx: 2480 });
    expect(r.policy).toEqual(DEFAULT_PJ_POLICY);
    crossCheck(pdf, r);
  });

  it('refuses a 150 dpi scan by default, with the page, image and values, and accepts it at minDpi 150', () => {
    const pdf = scanPdf([{ dpi: 200 }, { dpi: 150 }]);
    const r = checkPj(pdf);
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([
      {
        code: 'ERR_PJ_RESOLUTION_TOO_LOW',
        severity: 'error',
        path: ['pages', 1, 'images', 0],
        params: { page: 2, image: 'Im0', dpi: 150, min: 200 },
        message: 'Page 2 : image numérisée à 150 dpi (image Im0), 200 dpi au moins attendus (numérisez à 200 dpi ou plus).',
      },
    ]);
    expect(checkPj(pdf, { locale: 'en' }).issues[0]!.message).toBe(
      'Page 2: image scanned at 150 dpi (image Im0), at least 200 dpi expected (scan at 200 dpi or more).',
    );
    expect(checkPj(pdf, { minDpi: 150 }).ok).toBe(true);
    crossCheck(pdf, r);
  });

  it('computes the resolution of images painted through a form XObject, inline, rotated or over part of the page', () => {
    for (const page of [
      { dpi: 240, via: 'form' },
      { dpi: 240, via: 'inline' },
      { dpi: 240, rotate: 90 },
      { dpi: 240, scale: 0.5 },
      { dpi: 199.5 },
    ] satisfies ScanPage[]) {
      const pdf = scanPdf([page]);
      const r = checkPj(pdf);
      expect(r.ok, JSON.stringify(page)).toBe(true);
      const img = r.pages[0]!.images[0]!;
      expect(Math.abs(img.dpiX - (page.dpi ?? 0))).toBeLessThan(1);
      if (page.scale === 0.5) expect(img.coverage).toBe(0.25);
      crossCheck(pdf, r);
    }
    expect(errors(checkPj(scanPdf([{ dpi: 180, via: 'form' }])))).toEqual(['ERR_PJ_RESOLUTION_TOO_LOW']);
    expect(errors(checkPj(scanPdf([{ dpi: 180, via: 'inline' }])))).toEqual(['ERR_PJ_RESOLUTION_TOO_LOW']);
  });

  it('checks only scans: a small low-resolution stamp or a vector page is not a scan', () => {
    const pdf = scanPdf([{ dpi: 200, stamp: true }, { vector: true }]);
    const r = checkPj(pdf, { colour: 'grey' });
    expect(r.ok).toBe(true);
    expect(r.pages[0]!.images.map((i) => [i.name, i.scan, i.colour, Math.round(i.dpiX / 10) * 10])).toEqual([
      ['Im0', true, 'grey', 200],
      ['St0', false, 'colour', 70],
    ]);
    expect(r.pages[1]!.images).toEqual([]);
    // a stricter coverage threshold turns the stamp into a checked image
    expect(errors(checkPj(pdf, { colour: 'grey', scanCoverage: 0.005 }))).toEqual(['ERR_PJ_RESOLUTION_TOO_LOW', 'ERR_PJ_COLOUR_NOT_ALLOWED']);
    crossCheck(pdf, r);
  });
});

describe('checkPj — page size (SCOR-1)', () => {
  it('accepts A5 and larger in either orientation, refuses smaller pages', () => {
    const ok = (p: ScanPage): boolean => checkPj(scanPdf([{ ...p, dpi: 200 }])).ok;
    expect(ok({ widthMm: 148, heightMm: 210 })).toBe(true);
    expect(ok({ widthMm: 210, heightMm: 148 })).toBe(true);
    expect(ok({ widthMm: 147.5, heightMm: 209.5 })).toBe(true); // scanner rounding
    expect(ok({ widthMm: 297, heightMm: 420 })).toBe(true);
    const a6 = checkPj(scanPdf([{ widthMm: 105, heightMm: 148 }]));
    expect(a6.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['ERR_PJ_PAGE_TOO_SMALL', ['pages', 0], 'Page 1 : format 105 × 148 mm inférieur au A5 (148 × 210 mm au moins).'],
    ]);
    expect(ok({ widthMm: 146, heightMm: 250 })).toBe(false);
    expect(ok({ widthMm: 200, heightMm: 208 })).toBe(false);
  });
});

describe('checkPj — colour policy (SCOR-1)', () => {
  const verdict = (colour: NonNullable<ScanPage['colour']>, policy: Parameters<typeof checkPj>[1] = {}): string[] =>
    errors(checkPj(scanPdf([{ colour, dpi: 200 }]), policy));
  it('accepts grey, colour and black-and-white scans by default', () => {
    for (const c of ['grey', 'rgb', 'cmyk', 'bilevel', 'mask', 'indexed-grey', 'indexed-colour', 'icc-grey'] as const) expect(verdict(c), c).toEqual([]);
  });
  it("refuses colour scans under 'grey', telling a grey palette or profile from a colour one", () => {
    expect(verdict('rgb', { colour: 'grey' })).toEqual(['ERR_PJ_COLOUR_NOT_ALLOWED']);
    expect(verdict('cmyk', { colour: 'grey' })).toEqual(['ERR_PJ_COLOUR_NOT_ALLOWED']);
    expect(verdict('indexed-colour', { colour: 'grey' })).toEqual(['ERR_PJ_COLOUR_NOT_ALLOWED']);
    expect(verdict('indexed-grey', { colour: 'grey' })).toEqual([]);
    expect(verdict('icc-grey', { colour: 'grey' })).toEqual([]);
    expect(verdict('grey', { colour: 'grey' })).toEqual([]);
    expect(verdict('bilevel', { colour: 'grey' })).toEqual([]);
  });
  it('refuses 1-bit scans when allowBilevel is false', () => {
    expect(verdict('bilevel', { allowBilevel: false })).toEqual(['ERR_PJ_BILEVEL_NOT_ALLOWED']);
    expect(verdict('mask', { allowBilevel: false })).toEqual(['ERR_PJ_BILEVEL_NOT_ALLOWED']);
    expect(verdict('grey', { allowBilevel: false })).toEqual([]);
  });
  it('the colour poppler reports agrees with ours', () => {
    const pdf = scanPdf([{ colour: 'grey' }, { colour: 'rgb' }, { colour: 'bilevel' }, { colour: 'cmyk' }]);
    const ours = checkPj(pdf).pages.map((p) => p.images[0]!.colour);
    expect(ours).toEqual(['grey', 'colour', 'bilevel', 'colour']);
    expect(pdfImagesList(pdf).map((r) => r.color)).toEqual(['gray', 'rgb', 'gray', 'cmyk']);
  });
});

describe('checkPj — what a PJ must not be (SCOR-1, X-2)', () => {
  it('refuses JavaScript however it is written, launch actions and embedded files', () => {
    for (const javascript of ['openaction', 'names', 'annotation', 'escaped-name'] as const)
      expect(errors(checkPj(scanPdf([{}], { javascript }))), javascript).toEqual(['ERR_PJ_JAVASCRIPT']);
    expect(errors(checkPj(scanPdf([{}], { launch: true })))).toEqual(['ERR_PJ_LAUNCH_ACTION']);
    expect(errors(checkPj(scanPdf([{}], { embeddedFile: true })))).toEqual(['ERR_PJ_EMBEDDED_FILE']);
    expect(errors(checkPj(scanPdf([{}], { attachmentAnnotation: true })))).toEqual(['ERR_PJ_EMBEDDED_FILE']);
    // hidden in a compressed object stream (qpdf), with an escaped name
    const hidden = transform(scanPdf([{}], { javascript: 'escaped-name' }), 'qpdf', (i, o) => ['--object-streams=generate', i, o]);
    expect(latin1(hidden)).not.toContain('J#61vaScript');
    expect(errors(checkPj(hidden))).toEqual(['ERR_PJ_JAVASCRIPT']);
  });
  it('refuses an encrypted PDF without reading further', () => {
    const r = checkPj(scanPdf([{}], { encrypt: true }));
    expect(codes(r)).toEqual(['ERR_PJ_ENCRYPTED']);
    expect(r.pageCount).toBeNull();
  });
  it('refuses empty files, non-PDFs, too many pages and too many bytes', () => {
    expect(codes(checkPj(new Uint8Array()))).toEqual(['ERR_PJ_EMPTY']);
    expect(codes(checkPj(new TextEncoder().encode('GIF89a…')))).toEqual(['ERR_PJ_NOT_PDF']);
    expect(codes(checkPj(new TextEncoder().encode('%PDF-1.7\nnothing else')))).toEqual(['ERR_PJ_UNREADABLE']);
    const three = scanPdf([{ dpi: 150 }, { dpi: 150 }, { dpi: 150 }]);
    const r = checkPj(three, { maxPages: 2, minDpi: 150 });
    expect(codes(r)).toEqual(['ERR_PJ_TOO_MANY_PAGES']);
    expect(r.pageCount).toBe(3);
    expect(r.pages).toHaveLength(2);
    expect(checkPj(three, { maxBytes: 1024 }).issues.map((i) => [i.code, i.params])).toEqual([['ERR_PJ_TOO_LARGE', { bytes: three.length, limit: 1024 }]]);
  });
  it('validates its policy and its input', () => {
    expect(() => checkPj(new Uint8Array(), { minDpi: 149 })).toThrow(
      expect.objectContaining({ code: 'ERR_PJ_POLICY_INVALID', message: expect.stringContaining('minDpi doit être un nombre de 150 à 1200 (reçu 149)') }),
    );
    expect(() => checkPj(new Uint8Array(), { maxPages: 1.5 })).toThrow(expect.objectContaining({ code: 'ERR_PJ_POLICY_INVALID' }));
    expect(() => checkPj(new Uint8Array(), { colour: 'sepia' as 'grey' })).toThrow(expect.objectContaining({ code: 'ERR_PJ_POLICY_INVALID' }));
    expect(() => checkPj(new Uint8Array(), { minDPI: 200 } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_PJ_POLICY_INVALID', message: expect.stringContaining('option inconnue minDPI') }),
    );
    expect(() => checkPj('x.pdf' as never)).toThrow(TypeError);
  });
});

describe('checkPj — bordereaux S3404 produced by @s3404/form (SCOR-1, SCOR-2)', () => {
  it('accepts the rendered A3 and A4 bordereaux and reads their identifier and signature state', async () => {
    const b = example('mco-chirurgie-pth');
    for (const page of ['a3', 'a4'] as const) {
      const unsigned = checkPj(await s3404Pdf(b, { page, sign: false }));
      expect(unsigned.ok, JSON.stringify(unsigned.issues)).toBe(true);
      expect(unsigned.s3404?.bordereauId).toBe(b.id);
      expect(unsigned.s3404?.unsigned).toContain('insured');
      const signed = await s3404Pdf(b, { page });
      const r = checkPj(signed);
      expect(r.ok).toBe(true);
      expect(r.s3404).toEqual({ bordereauId: b.id, finess: b.establishment.finess, slots: unsigned.s3404!.slots, unsigned: [] });
      // the signature images are small: listed, not checked as scans
      expect(r.pages.flatMap((p) => p.images).every((i) => !i.scan)).toBe(true);
      expect(r.pages.flatMap((p) => p.images).length).toBe(unsigned.s3404!.slots);
      crossCheck(signed, r);
    }
  });
});

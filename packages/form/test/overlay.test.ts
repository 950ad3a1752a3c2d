import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { overlayBordereauPdf, placeSignature, type FieldMap } from '@s3404/form/pdf';
import type { Bordereau } from '@s3404/form';
import { CLOCK, NOW, STAND_IN_FIELD_MAP as MAP, clone, example, longBordereau, pdfText, qpdfCheck, signaturePng, standInCerfa } from './helpers.js';

describe('FORM-4 (b) overlay onto a vendor-supplied PDF', () => {
  const data = example('mco-chirurgie-pth');

  it('fills AcroForm fields and coordinates, flattens, and stamps the identifier on every page', async () => {
    const base = await standInCerfa(2);
    const { bytes, pageCount, contentHash } = await overlayBordereauPdf(data, base, MAP, { now: CLOCK });
    expect(qpdfCheck(bytes).ok).toBe(true);
    expect(pageCount).toBe(2);
    const pages = pdfText(bytes);
    const all = pages.join('\n');
    for (const v of [
      'Lefèvre',
      'Jérôme',
      '1 74 05 69 123 456',
      '690008420',
      'Clinique des Écrins',
      '15/03/2026',
      '794,46',
      'Dr Paul-Émile Garnier',
      'NEKA020',
      '5 066,33',
    ]) {
      expect(all).toContain(v);
    }
    pages.forEach((p, i) => {
      expect(p).toContain(String(data.id));
      expect(p).toContain(contentHash);
      expect(p).toContain(`page ${i + 1} / 2`);
    });
    const doc = await PDFDocument.load(bytes);
    expect(doc.getForm().getFields()).toHaveLength(0); // flattened
  });

  it('keeps the fields filled (not flattened) on request, and ticks a check box', async () => {
    const b = clone(data) as Record<string, any>;
    b.coverage.insuranceNature = '40';
    b.coverage.accident = { date: '2026-03-01', number: '123456' };
    const { bytes } = await overlayBordereauPdf(b as Bordereau, await standInCerfa(), MAP, { now: CLOCK, flatten: false });
    const form = (await PDFDocument.load(bytes)).getForm();
    expect(form.getTextField('NOM_ASSURE').getText()).toBe('Lefèvre');
    expect(form.getCheckBox('AT_MP').isChecked()).toBe(true);
  });

  it('is deterministic and records slots so signatures can be placed on the official form', async () => {
    const base = await standInCerfa();
    const a = await overlayBordereauPdf(data, base, MAP, { now: CLOCK });
    const b = await overlayBordereauPdf(data, base, MAP, { now: CLOCK });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.slots.map((s) => s.id)).toEqual(['line:1', 'line:2', 'line:3', 'insured', 'director']);
    const signed = await placeSignature(a.bytes, { slot: 'line:2', image: signaturePng(), capturedAt: NOW, bordereauId: String(data.id) });
    expect(qpdfCheck(signed).ok).toBe(true);
    expect(pdfText(signed).join('\n')).toContain('Signé le 20/03/2026 11:00');
  });

  it('refuses more lines than the form offers, a missing field and a bad map', async () => {
    const base = await standInCerfa();
    await expect(overlayBordereauPdf(longBordereau(9), base, MAP, { now: CLOCK })).rejects.toMatchObject({ code: 'ERR_OVERLAY_OVERFLOW' });
    const missing = { ...MAP, fields: [{ path: 'insured.lastName', acroField: 'NOM_PATIENT' }] };
    await expect(overlayBordereauPdf(data, base, missing, { now: CLOCK })).rejects.toMatchObject({ code: 'ERR_OVERLAY_FIELD_MISSING' });
    await expect(overlayBordereauPdf(data, base, { ...MAP, kind: 'other' } as unknown as FieldMap, { now: CLOCK })).rejects.toMatchObject({
      code: 'ERR_FIELD_MAP_INVALID',
    });
    const badPage = { ...MAP, fields: [{ path: 'insured.lastName', page: 7, x: 1, y: 1, width: 10 }] };
    await expect(overlayBordereauPdf(data, base, badPage, { now: CLOCK })).rejects.toMatchObject({ code: 'ERR_FIELD_MAP_INVALID' });
    await expect(overlayBordereauPdf(data, new TextEncoder().encode('%PDF-1.7 garbage'), MAP)).rejects.toMatchObject({ code: 'ERR_PDF_UNREADABLE' });
  });
});

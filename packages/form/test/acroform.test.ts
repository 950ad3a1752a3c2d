import { PDFDocument, PDFTextField } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { parseBordereau } from '@s3404/form';
import { canonicalJson } from '@s3404/core';
import { readBordereauFromPdf, renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, example, examples, qpdfCheck, tool } from './helpers.js';

/** Edits fields of a PDF with pdf-lib, as a viewer would after on-screen completion. */
async function editFields(pdf: Uint8Array, values: Record<string, string>): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf);
  const form = doc.getForm();
  for (const [name, value] of Object.entries(values)) form.getTextField(name).setText(value);
  return doc.save();
}

describe('FORM-5 fillable form and round trip', () => {
  it.each(examples().map((e) => [e.name, e.data] as const))('%s: reading the fillable PDF back gives the model again', async (_n, data) => {
    const model = parseBordereau(data);
    const { $schema: _s, ...expected } = model;
    for (const page of ['a3', 'a4'] as const) {
      const { bytes } = await renderBordereauPdf(model, { now: CLOCK, mode: 'fillable', page });
      const back = await readBordereauFromPdf(bytes);
      expect(canonicalJson(back)).toBe(canonicalJson(expected));
    }
  });

  it('offers one field per value, visible where the value is printed', async () => {
    const { bytes } = await renderBordereauPdf(example('mco-chirurgie-pth'), { now: CLOCK, mode: 'fillable' });
    const doc = await PDFDocument.load(bytes);
    const fields = doc.getForm().getFields();
    const names = fields.map((f) => f.getName());
    expect(names).toEqual(expect.arrayContaining(['s3404.insured.lastName', 's3404.fees.1.amount', 's3404.totals.total', 's3404.stay.exit.date']));
    const amount = doc.getForm().getTextField('s3404.fees.1.amount');
    expect(amount.getText()).toBe('794,46');
    const rect = amount.acroField.getWidgets()[0]!.getRectangle();
    expect(rect.width).toBeGreaterThan(20);
    // pdftotext reads field appearances too: the value is visible.
    expect(tool('pdftotext', ['$PDF', '-'], bytes).stdout).toContain('794,46');
    expect(qpdfCheck(bytes).ok).toBe(true);
  });

  it('reads what a person typed: amounts, dates and an added exit time', async () => {
    const { bytes } = await renderBordereauPdf(example('mco-chirurgie-pth'), { now: CLOCK, mode: 'fillable' });
    const edited = await editFields(bytes, {
      's3404.insured.firstName': 'Jérôme-Élie',
      's3404.stay.exit.time': '12:05',
      's3404.fees.0.amount': '30,00',
      's3404.issuedOn': '21/03/2026',
    });
    const back = await readBordereauFromPdf(edited);
    expect(back.insured.firstName).toBe('Jérôme-Élie');
    expect(back.stay.exit?.time).toBe('12:05');
    expect(back.issuedOn).toBe('2026-03-21');
  });

  it('validates what was typed: a wrong total or an unreadable amount is reported', async () => {
    const { bytes } = await renderBordereauPdf(example('mco-chirurgie-pth'), { now: CLOCK, mode: 'fillable' });
    await expect(readBordereauFromPdf(await editFields(bytes, { 's3404.totals.total': '1,00' }))).rejects.toMatchObject({
      code: 'ERR_BORDEREAU_INVALID',
      issues: expect.arrayContaining([expect.objectContaining({ code: 'ERR_TOTAL_MISMATCH', path: ['totals', 'total'] })]),
    });
    await expect(readBordereauFromPdf(await editFields(bytes, { 's3404.fees.0.amount': 'trente euros' }))).rejects.toMatchObject({
      code: 'ERR_BORDEREAU_INVALID',
      issues: [expect.objectContaining({ code: 'ERR_ACROFORM_VALUE', path: ['fees', 0, 'amount'] })],
    });
  });

  it('refuses a PDF without the SDK form, and what is not a PDF', async () => {
    const { bytes } = await renderBordereauPdf(example('mco-chirurgie-pth'), { now: CLOCK });
    await expect(readBordereauFromPdf(bytes)).rejects.toMatchObject({ code: 'ERR_ACROFORM_MISSING' });
    await expect(readBordereauFromPdf(new TextEncoder().encode('not a pdf'))).rejects.toMatchObject({ code: 'ERR_PDF_UNREADABLE' });
    await expect(readBordereauFromPdf(bytes.slice(0, 400))).rejects.toMatchObject({ code: 'ERR_PDF_UNREADABLE' });
  });

  it('ignores fields that try to pollute prototypes', async () => {
    const { bytes } = await renderBordereauPdf(example('mco-chirurgie-pth'), { now: CLOCK, mode: 'fillable' });
    const doc = await PDFDocument.load(bytes);
    const evil = doc.getForm().createTextField('s3404.__proto__.polluted');
    evil.setText('yes');
    const back = await readBordereauFromPdf(await doc.save());
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(back.id).toBe(example('mco-chirurgie-pth').id);
    expect(doc.getForm().getField('s3404.__proto__.polluted')).toBeInstanceOf(PDFTextField);
  });
});

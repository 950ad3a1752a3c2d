import { describe, expect, it } from 'vitest';
import { placeSignature, readSignatureSlots, renderBordereauPdf } from '@s3404/form/pdf';
import { contentHash, createBordereauId, parseBordereau, type Bordereau } from '@s3404/form';
import { CLOCK, NOW, example, pdfText, qpdfCheck, signaturePng, tool } from './helpers.js';

const data = example('mco-chirurgie-pth');
const id = data.id as string;
const image = signaturePng();

async function rendered(mandateLine = false): Promise<Uint8Array> {
  const b = structuredClone(data) as Record<string, any>;
  if (mandateLine) b.fees[1].signature = { mandate: true, mandateRef: 'MAND-2026-014' };
  return (await renderBordereauPdf(b as Bordereau, { now: CLOCK })).bytes;
}

describe('FORM-6 signature placement', () => {
  it('draws the insured person’s signature with its capture time (Paris time) and the identifier', async () => {
    const pdf = await placeSignature(await rendered(), { slot: 'insured', image, capturedAt: new Date('2026-03-20T09:41:07Z'), bordereauId: id });
    expect(qpdfCheck(pdf).ok).toBe(true);
    const text = pdfText(pdf).join('\n');
    expect(text).toContain('Signé le 20/03/2026 10:41');
    expect(text).toContain(`Bordereau ${id}`);
    const images = tool('pdfimages', ['-list', '$PDF'], pdf).stdout;
    expect(images).toMatch(/\b(?:image|smask)\s+300\s+100\b/);
  });

  it('uses summer time after the last Sunday of March', async () => {
    const pdf = await placeSignature(await rendered(), { slot: 'insured', image, capturedAt: new Date('2026-03-29T09:00:00Z'), bordereauId: id });
    expect(pdfText(pdf).join('\n')).toContain('Signé le 29/03/2026 11:00');
  });

  it('shows « Mandat » on a line signed under delegation', async () => {
    const base = await rendered(true);
    expect(pdfText(base).join('\n')).toContain('Mandat');
    const pdf = await placeSignature(base, { slot: 'line:2', image, capturedAt: new Date('2026-03-20T14:00:00Z'), bordereauId: id });
    expect(pdfText(pdf).join('\n')).toMatch(/Signé le 20\/03\/2026 15:00 — Mandat/);
  });

  it('writes "jj/mm/aaaa hh:mm journée comptable" for an accounting-day validation', async () => {
    const pdf = await placeSignature(await rendered(), {
      slot: 'director',
      image,
      capturedAt: new Date('2026-03-20T17:05:00Z'),
      bordereauId: id,
      accountingDay: true,
    });
    expect(pdfText(pdf).join('\n')).toMatch(/20\/03\/2026 18:05 journée comptable/);
  });

  it('signs every slot once, in any order, and stays deterministic', async () => {
    const sign = async (): Promise<Uint8Array> => {
      let pdf = await rendered();
      for (const [slot, minute] of [
        ['line:3', 10],
        ['insured', 11],
        ['line:1', 12],
        ['line:2', 13],
        ['director', 14],
      ] as const) {
        pdf = await placeSignature(pdf, { slot, image, capturedAt: new Date(`2026-03-20T09:${minute}:00Z`), bordereauId: id });
      }
      return pdf;
    };
    const a = await sign();
    const b = await sign();
    expect(await readSignatureSlots(a)).toMatchObject({ bordereauId: id, missing: [], complete: true });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(qpdfCheck(a).ok).toBe(true);
    const rows = tool('pdfimages', ['-list', '$PDF'], a).stdout.split('\n');
    expect(rows.filter((l) => /^\s*\d+\s+\d+\s+image\s/.test(l))).toHaveLength(5);
    expect(rows.filter((l) => /^\s*\d+\s+\d+\s+smask\s/.test(l))).toHaveLength(5);
    // Keeps its PDF/A declaration.
    expect(new TextDecoder('latin1').decode(a)).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
  });

  it('shares one caption font subset between all signatures: 28 signatures of a long SSR stay small', async () => {
    const ssr = example('ssr-long-sejour');
    const { bytes, slots } = await renderBordereauPdf(ssr, { now: CLOCK });
    expect(slots.length).toBeGreaterThanOrEqual(20);
    let pdf = bytes;
    const growth: number[] = [];
    for (const [i, slot] of slots.entries()) {
      const before = pdf.length;
      pdf = await placeSignature(pdf, {
        slot: slot.id,
        image,
        capturedAt: new Date(Date.UTC(2026, 2, 20, 9, i)),
        bordereauId: ssr.id as string,
        accountingDay: slot.id === 'director',
      });
      growth.push(pdf.length - before);
    }
    expect(await readSignatureSlots(pdf)).toMatchObject({ complete: true, missing: [] });
    expect(qpdfCheck(pdf).ok).toBe(true);
    // poppler lists the page fonts and one caption pair, not a pair per signature.
    const fonts = tool('pdffonts', ['$PDF'], pdf)
      .stdout.split('\n')
      .filter((l) => /S3404Sans/.test(l));
    expect(fonts).toHaveLength(4);
    for (const l of fonts) expect(l).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    // After the first, a signature costs its image and its caption: a few KB.
    expect(Math.max(...growth.slice(1))).toBeLessThan(6_000);
    expect(pdf.length).toBeLessThan(bytes.length + growth[0]! + slots.length * 6_000);
    // Every caption is there, as text a person (and pdftotext) reads.
    const text = pdfText(pdf).join('\n');
    expect(text.match(/Signé le 20\/03\/2026 10:\d\d/g)?.length).toBe(slots.length - 1);
    expect(text).toMatch(/20\/03\/2026 10:\d\d journée comptable/);
    expect(text.split(`Bordereau ${ssr.id as string}`).length - 1).toBe(slots.length);
  });

  it('refuses a second signature in the same slot, another bordereau, or an unknown slot', async () => {
    const once = await placeSignature(await rendered(), { slot: 'insured', image, capturedAt: NOW, bordereauId: id });
    await expect(placeSignature(once, { slot: 'insured', image, capturedAt: NOW, bordereauId: id })).rejects.toMatchObject({ code: 'ERR_SLOT_ALREADY_SIGNED' });
    // Another bordereau (a valid identifier): a mismatch. A malformed one is now named as malformed (issue 14 #16).
    await expect(
      placeSignature(once, { slot: 'director', image, capturedAt: NOW, bordereauId: createBordereauId({ random: (b) => b.fill(7) }) }),
    ).rejects.toMatchObject({
      code: 'ERR_SLOT_BORDEREAU_MISMATCH',
    });
    await expect(placeSignature(once, { slot: 'director', image, capturedAt: NOW, bordereauId: 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-0' })).rejects.toMatchObject({
      code: 'ERR_BORDEREAU_ID_CHECK',
    });
    await expect(placeSignature(once, { slot: 'line:9', image, capturedAt: NOW, bordereauId: id })).rejects.toMatchObject({
      name: 'FormError',
      kind: 'verdict',
    });
    await expect(placeSignature(once, { slot: 'line:2', image, capturedAt: NOW, bordereauId: id, accountingDay: true })).rejects.toMatchObject({
      code: 'ERR_SLOT_UNKNOWN',
    });
  });

  it('reports a programmer’s mistake as a TypeError, not as a damaged PDF', async () => {
    await expect(placeSignature('pdf' as unknown as Uint8Array, { slot: 'insured', image, capturedAt: NOW, bordereauId: id })).rejects.toBeInstanceOf(
      TypeError,
    );
    await expect(placeSignature(await rendered(), { slot: 'insured', image, capturedAt: new Date('nope'), bordereauId: id })).rejects.toBeInstanceOf(TypeError);
  });

  it('refuses what is not a PNG, an oversized one, and a PDF the SDK did not make', async () => {
    const pdf = await rendered();
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(60).fill(0)]);
    await expect(placeSignature(pdf, { slot: 'insured', image: jpeg, capturedAt: NOW, bordereauId: id })).rejects.toMatchObject({
      name: 'FormError',
      kind: 'input',
    });
    await expect(placeSignature(pdf, { slot: 'insured', image: signaturePng(5000, 20), capturedAt: NOW, bordereauId: id })).rejects.toMatchObject({
      code: 'ERR_SIGNATURE_IMAGE_INVALID',
    });
    const truncated = image.slice(0, 60);
    await expect(placeSignature(pdf, { slot: 'insured', image: truncated, capturedAt: NOW, bordereauId: id })).rejects.toMatchObject({
      code: 'ERR_SIGNATURE_IMAGE_INVALID',
    });
    const { PDFDocument } = await import('@cantoo/pdf-lib');
    const other = await (await PDFDocument.create()).save();
    const blank = await PDFDocument.load(other);
    blank.addPage();
    await expect(placeSignature(await blank.save(), { slot: 'insured', image, capturedAt: NOW, bordereauId: id })).rejects.toMatchObject({
      code: 'ERR_NOT_S3404_PDF',
    });
  });

  it('reads which slots are signed and when the bordereau is complete', async () => {
    const base = await rendered(true);
    const before = await readSignatureSlots(base);
    expect(before.bordereauId).toBe(id);
    expect(before.complete).toBe(false);
    expect(before.missing).toEqual(['line:1', 'line:2', 'line:3', 'insured', 'director']);
    expect(before.slots.find((s) => s.id === 'line:2')).toEqual({ id: 'line:2', mandate: true, signed: false });
    const one = await placeSignature(base, { slot: 'line:2', image, capturedAt: new Date('2026-03-20T14:00:00Z'), bordereauId: id });
    const after = await readSignatureSlots(one);
    expect(after.missing).toEqual(['line:1', 'line:3', 'insured', 'director']);
    expect(after.slots.find((s) => s.id === 'line:2')?.signed).toBe(true);
    await expect(readSignatureSlots(new TextEncoder().encode('%PDF-1.7 garbage'))).rejects.toMatchObject({ code: 'ERR_PDF_UNREADABLE' });
  });

  it('reads the content hash and FINESS the PDF was rendered for, which a signature record is bound to (SIG-4)', async () => {
    const b = structuredClone(data) as Record<string, any>;
    b.fees[1].signature = { mandate: true, mandateRef: 'MAND-2026-014' };
    const expected = contentHash(parseBordereau(b));
    const base = await rendered(true);
    expect(await readSignatureSlots(base)).toMatchObject({ bordereauId: id, contentHash: expected, finess: data.establishment.finess });
    // Still there once a slot is signed: the signature does not change the bordereau's content.
    const one = await placeSignature(base, { slot: 'insured', image, capturedAt: NOW, bordereauId: id });
    expect((await readSignatureSlots(one)).contentHash).toBe(expected);
    // A PDF whose stored hash is not 64 lowercase hex digits is not a readable S3404 PDF.
    const text = Buffer.from(base).toString('latin1');
    const damaged = new Uint8Array(Buffer.from(text.replace(`/ContentHash (${expected})`, `/ContentHash (${expected.toUpperCase()})`), 'latin1'));
    expect(Buffer.from(damaged).toString('latin1')).not.toBe(text);
    await expect(readSignatureSlots(damaged)).rejects.toMatchObject({ code: 'ERR_NOT_S3404_PDF' });
  });
});

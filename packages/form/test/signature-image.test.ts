import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { checkSignatureImage, type Bordereau } from '@s3404/form';
import { checkPlacement, placeSignature, readSignatureSlots, renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, NOW, example, prng, signaturePng } from './helpers.js';
import { rawImageData, readChunks, undecodablePngs, withImageData, writeChunks } from '@s3404/tooling/png-kit';

/**
 * Issue 14 #5, the form's part: an image is decoded completely and the slot
 * checked against the PDF before anything is drawn, so that a caller (seal's
 * apply) can know before it uses a record that the placement will succeed.
 */

describe('issue 14 #5 — placement fails before anything is changed, with the right code', () => {
  const data = example('mco-chirurgie-pth');
  const id = data.id as string;
  const image = signaturePng();

  async function withSlotPage(page: number, rect?: number[]): Promise<Uint8Array> {
    const pdf = (await renderBordereauPdf(data as Bordereau, { now: CLOCK })).bytes;
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    const slots = doc.catalog
      .lookup(PDFName.of('PieceInfo'), PDFDict)
      .lookup(PDFName.of('S3404'), PDFDict)
      .lookup(PDFName.of('Private'), PDFDict)
      .lookup(PDFName.of('Slots'), PDFArray);
    const all = Array.from({ length: slots.size() }, (_, i) => slots.lookup(i, PDFDict));
    const insured = all.find((d) => d.lookup(PDFName.of('Id'))?.toString() === '(insured)')!;
    insured.set(PDFName.of('Page'), PDFNumber.of(page));
    if (rect !== undefined) insured.set(PDFName.of('Rect'), doc.context.obj(rect));
    return doc.save({ useObjectStreams: false });
  }

  it('refuses slot data naming a page that does not exist, or a rectangle off the page: ERR_SLOT_INVALID', async () => {
    const pdf = await withSlotPage(6);
    expect((await readSignatureSlots(pdf)).missing).toContain('insured');
    await expect(placeSignature(pdf, { slot: 'insured', image, capturedAt: NOW, bordereauId: id, locale: 'en' })).rejects.toMatchObject({
      code: 'ERR_SLOT_INVALID',
      kind: 'input',
      message: 'Damaged signature slot data (insured): page 7 does not exist, the PDF has 1 page(s); render the PDF again.',
    });
    const off = await withSlotPage(0, [5000, 10, 100, 50]);
    await expect(placeSignature(off, { slot: 'insured', image, capturedAt: NOW, bordereauId: id })).rejects.toMatchObject({ code: 'ERR_SLOT_INVALID' });
  });

  it('refuses an image whose chunks and CRCs are valid but whose pixels do not decode', async () => {
    const pdf = (await renderBordereauPdf(data as Bordereau, { now: CLOCK })).bytes;
    for (const [why, png] of Object.entries(undecodablePngs(image))) {
      await expect(placeSignature(pdf, { slot: 'insured', image: png, capturedAt: NOW, bordereauId: id }), why).rejects.toMatchObject({
        code: 'ERR_SIGNATURE_IMAGE_INVALID',
      });
    }
  });

  it('names a malformed bordereau identifier as malformed, not as another bordereau', async () => {
    const pdf = (await renderBordereauPdf(data as Bordereau, { now: CLOCK })).bytes;
    await expect(placeSignature(pdf, { slot: 'insured', image, capturedAt: NOW, bordereauId: 'ABC' })).rejects.toMatchObject({
      code: 'ERR_BORDEREAU_ID_FORMAT',
      kind: 'input',
    });
    const altered = `${id.slice(0, 30)}${id[30] === '0' ? '1' : '0'}`;
    await expect(placeSignature(pdf, { slot: 'insured', image, capturedAt: NOW, bordereauId: altered })).rejects.toMatchObject({
      code: 'ERR_BORDEREAU_ID_CHECK',
    });
  });
});

describe('issue 14 #5 — an image checkSignatureImage accepts can be placed; one it refuses is never placed', () => {
  it('agrees with the placement on 300 damaged images (chunks, CRCs recomputed) and on every undecodable kind', async () => {
    const data = example('mco-chirurgie-pth');
    const pdf = (await renderBordereauPdf(data, { now: CLOCK })).bytes;
    const id = data.id as string;
    const base = signaturePng(120, 40);
    const random = prng(55);
    const raw = rawImageData(base);
    const variants: Uint8Array[] = Object.values(undecodablePngs(base));
    for (let i = 0; i < 300; i++) {
      const op = random();
      if (op < 0.4) {
        const r = raw.slice();
        for (let k = 0; k < 1 + random() * 4; k++) r[Math.floor(random() * r.length)] = Math.floor(random() * 256);
        variants.push(withImageData(base, new Uint8Array(deflateSync(r))));
      } else if (op < 0.7) {
        const z = new Uint8Array(deflateSync(raw));
        for (let k = 0; k < 1 + random() * 3; k++) z[Math.floor(random() * z.length)] = Math.floor(random() * 256);
        variants.push(withImageData(base, z));
      } else {
        // Change the header (depth, colour type, interlace, size) and keep the data.
        const chunks = readChunks(base).map((c) => ({ ...c, data: c.data.slice() }));
        const ihdr = chunks[0]!.data;
        ihdr[8 + Math.floor(random() * 5)] = [0, 1, 2, 3, 4, 6, 8, 16][Math.floor(random() * 8)]!;
        if (random() < 0.3) ihdr[3] = Math.floor(random() * 256);
        variants.push(writeChunks(chunks));
      }
    }
    let refused = 0;
    for (const png of variants) {
      const check = checkSignatureImage(png);
      // An independent decoder (pngjs: zlib, filters, bit depths): whatever it cannot read, the check refuses.
      let decodes = true;
      try {
        PNG.sync.read(Buffer.from(png));
      } catch {
        decodes = false;
      }
      if (!decodes) expect(check.ok).toBe(false);
      const placed = await checkPlacement(pdf, { slot: 'insured', image: png, capturedAt: NOW, bordereauId: id });
      expect(placed.ok).toBe(check.ok);
      if (check.ok) await placeSignature(pdf, { slot: 'insured', image: png, capturedAt: NOW, bordereauId: id });
      else {
        refused++;
        expect(placed.ok ? '' : placed.code).toBe('ERR_SIGNATURE_IMAGE_INVALID');
      }
    }
    // Measured with this seed: 177 of 308 refused; both sides must be exercised.
    expect(refused).toBeGreaterThan(100);
    expect(variants.length - refused).toBeGreaterThan(50);
  });

  it('stops a decompression bomb at the expected size', () => {
    const base = signaturePng(64, 64);
    const bomb = withImageData(base, new Uint8Array(deflateSync(new Uint8Array(200 * 1024 * 1024))));
    expect(bomb.length).toBeLessThan(300_000);
    const t0 = performance.now();
    const check = checkSignatureImage(bomb, { locale: 'en' });
    expect(check).toMatchObject({ ok: false, problem: 'pixels' });
    expect(check.ok ? '' : check.issues[0].message).toMatch(/^Invalid signature image: image data longer than \d+ bytes\.$/);
    expectWithinBound(performance.now() - t0, 2000, 'stopping a decompression bomb', { clock: 'wall' });
  });
});

describe('checkSignatureImage on an image seen before (issue 19)', () => {
  it('answers for the exact bytes and limits only: a copy one pixel apart, a wiped array, narrower limits are judged again', () => {
    const png = signaturePng(120, 48);
    expect(checkSignatureImage(png)).toMatchObject({ ok: true, width: 120, height: 48 });
    expect(checkSignatureImage(png.slice())).toMatchObject({ ok: true, width: 120, height: 48 });
    // Every undecodable variant of the accepted image, right after it: each refused, and the image still accepted after.
    for (const [why, bad] of Object.entries(undecodablePngs(png))) {
      expect(checkSignatureImage(bad), why).toMatchObject({ ok: false, problem: 'pixels' });
      expect(checkSignatureImage(png), why).toMatchObject({ ok: true });
    }
    // The same bytes against narrower limits are checked against those limits.
    expect(checkSignatureImage(png, { limits: { maxSide: 100 } })).toMatchObject({ ok: false, problem: 'dimensions' });
    expect(checkSignatureImage(png, { limits: { maxBytes: png.length - 1 } })).toMatchObject({ ok: false, problem: 'size' });
    // The array the caller wiped (SIG-6) is what is judged, not the array it once was.
    const mine = png.slice();
    expect(checkSignatureImage(mine).ok).toBe(true);
    mine.fill(0);
    expect(checkSignatureImage(mine)).toMatchObject({ ok: false, problem: 'format' });
  });
});

import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { placeSignature, readSignatureSlots, renderBordereauPdf, verifyBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, example, signaturePng } from './helpers.js';

// Issue 19: verifying, reading and signing the same PDF again reuse what was computed for its exact bytes
// (the first revision rendered again once per bordereau, the revisions read once per PDF) — and nothing
// computed for one PDF ever answers for another one, even one byte apart.
const data = example('mco-chirurgie-pth');
const id = data.id as string;

/** The same bytes with one hex digit of the trailer's /ID changed: still a readable PDF, not the SDK's rendering. */
function flipId(pdf: Uint8Array): Uint8Array {
  const text = new TextDecoder('latin1').decode(pdf);
  const at = text.indexOf('/ID [ <') + 7;
  expect(at).toBeGreaterThan(7);
  const copy = pdf.slice();
  copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
  return copy;
}

describe('verifyBordereauPdf and readSignatureSlots on bytes seen before (issue 19)', () => {
  it('gives the same verdict the second time, and refuses a copy one byte apart right after the authentic one', async () => {
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK, page: 'a4' });
    const first = await verifyBordereauPdf(bytes);
    expect(first.ok).toBe(true);
    const t0 = performance.now();
    const again = await verifyBordereauPdf(bytes);
    const cached = performance.now() - t0;
    expect(again).toMatchObject({ ok: true, authentic: true, bordereauId: id, contentHash: first.contentHash });
    const forged = flipId(bytes);
    const verdict = await verifyBordereauPdf(forged);
    expect(verdict.ok).toBe(false);
    expect(verdict.authentic).toBe(false);
    expect(verdict.issues.map((i) => i.code)).toContain('ERR_PDF_NOT_AUTHENTIC');
    // And the authentic one is still authentic after the forged one was judged.
    expect((await verifyBordereauPdf(bytes)).ok).toBe(true);
    expectWithinBound(cached, 1_000, 'the verdict on bytes seen before', { clock: 'wall' });
  });

  it('a caller changing its buffer after a verdict does not change the next verdict', async () => {
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK, page: 'a4' });
    expect((await verifyBordereauPdf(bytes)).ok).toBe(true);
    const at = new TextDecoder('latin1').decode(bytes).indexOf('/ID [ <') + 7;
    bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30; // the same buffer, now forged in place
    expect((await verifyBordereauPdf(bytes)).authentic).toBe(false);
  });

  it('each signature is read back on its own PDF: slots signed so far, in order, across many calls', async () => {
    let pdf = (await renderBordereauPdf(data, { now: CLOCK, page: 'a4' })).bytes;
    const image = signaturePng();
    const order = ['insured', 'line:1', 'line:2'] as const;
    for (const [i, slot] of order.entries()) {
      const before = await readSignatureSlots(pdf);
      expect(
        before.slots
          .filter((s) => s.signed)
          .map((s) => s.id)
          .sort(),
      ).toEqual(order.slice(0, i).sort());
      pdf = await placeSignature(pdf, { slot, image, capturedAt: new Date(CLOCK().getTime() + i * 60_000), bordereauId: id });
      const verdict = await verifyBordereauPdf(pdf);
      expect(verdict.ok).toBe(true);
      expect(verdict.signatures.map((s) => s.slot)).toEqual(order.slice(0, i + 1));
    }
    // A slot signed in a PDF seen before cannot be signed again from the memory of an earlier read.
    await expect(placeSignature(pdf, { slot: 'insured', image, capturedAt: CLOCK(), bordereauId: id })).rejects.toMatchObject({
      code: 'ERR_SLOT_ALREADY_SIGNED',
    });
  });

  it('reads a PDF again after more others than its memory keeps: same verdict, and a copy one byte apart judged anew', async () => {
    const image = signaturePng();
    const sign = async (pdf: Uint8Array, slot: 'insured' | 'line:1', minutes: number): Promise<Uint8Array> =>
      placeSignature(pdf, { slot, image, capturedAt: new Date(CLOCK().getTime() + minutes * 60_000), bordereauId: id });
    const rendered = (await renderBordereauPdf(data, { now: CLOCK, page: 'a4' })).bytes;
    const one = await sign(rendered, 'insured', 1);
    const two = await sign(one, 'line:1', 2);
    expect((await verifyBordereauPdf(two)).signatures.map((s) => s.slot)).toEqual(['insured', 'line:1']);
    // More PDFs read since than the recent-bytes table keeps (128): two signatures of other times each.
    for (let k = 0; k < 70; k++) {
      const other = await sign(rendered, 'insured', 10 + k);
      expect((await readSignatureSlots(other)).signatures).toHaveLength(1);
      expect((await readSignatureSlots(await sign(other, 'line:1', 200 + k))).signatures).toHaveLength(2);
    }
    // The capture time of the last signature changed in its descriptor: no longer the drawing of its slot.
    const text = new TextDecoder('latin1').decode(two);
    // (Written as hex: the 16th character, the minute's last digit '2', is hex digits 31–32 after `<`.)
    const at = text.lastIndexOf('/CapturedAt <') + 13 + 31;
    expect(at).toBeGreaterThan(one.length);
    expect(String.fromCharCode(two[at - 1]!, two[at]!)).toBe('32');
    const forged = two.slice();
    forged[at] = 0x33; // 12:02 becomes 12:03
    for (const round of [1, 2]) {
      const verdict = await verifyBordereauPdf(forged);
      expect(verdict.ok, `round ${round}`).toBe(false);
      expect(
        verdict.otherRevisions.map((r) => r.revision),
        `round ${round}`,
      ).toEqual([3]);
      expect(
        (await verifyBordereauPdf(two)).signatures.map((s) => s.slot),
        `round ${round}`,
      ).toEqual(['insured', 'line:1']);
      expect(
        (await readSignatureSlots(one)).signatures.map((s) => s.slot),
        `round ${round}`,
      ).toEqual(['insured']);
      // Bytes after the last %%EOF: not the PDF read before.
      const trailing = new Uint8Array([...two, 0x25, 0x20]);
      expect((await verifyBordereauPdf(trailing)).ok, `round ${round}`).toBe(false);
    }
  });
});

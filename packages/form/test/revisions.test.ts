import { describe, expect, it } from 'vitest';
import {
  A3_LANDSCAPE_TEMPLATE,
  A4_PORTRAIT_TEMPLATE,
  extractPdfRevision,
  listPdfRevisions,
  overlayBordereauPdf,
  placeSignature,
  readSignatureSlots,
  renderBordereauPdf,
  verifyBordereauPdf,
  type RenderPdfResult,
} from '@s3404/form/pdf';
import { contentHash, parseBordereau, type Bordereau } from '@s3404/form';
import { CLOCK, STAND_IN_FIELD_MAP, darkness, example, pdfText, qpdfCheck, rasterize, signaturePng, standInCerfa } from './helpers.js';

/**
 * FORM-6, SIG-5: each signature is an incremental update. Five signatures (insured, director and
 * three fee lines) on a flat A3, a fillable A3 (an AcroForm), a flat A4 and
 * an overlay give six revisions, each a byte prefix of the next, each sound, each showing exactly
 * the slots signed so far.
 */

const data = example('mco-chirurgie-pth'); // three fee lines
const id = data.id as string;
const image = signaturePng();
const ORDER = ['insured', 'director', 'line:1', 'line:2', 'line:3'] as const;
const RECORDS = ORDER.map((_, i) => `0195b0c4-7e1a-7c3d-9f00-00000000000${i}`);
/** One capture time per signature, a minute apart (10:0i Paris time, winter). */
const capturedAt = (i: number): Date => new Date(Date.UTC(2026, 2, 20, 9, i));
const DPI = 40;

/** The rendered PDF, then the PDF after each of the five signatures. */
async function signAll(base: Uint8Array): Promise<Uint8Array[]> {
  const steps = [base];
  for (const [i, slot] of ORDER.entries()) {
    steps.push(await placeSignature(steps[i]!, { slot, image, capturedAt: capturedAt(i), bordereauId: id, recordId: RECORDS[i]! }));
  }
  return steps;
}

interface Variant {
  readonly name: string;
  readonly xref: 'table' | 'stream';
  readonly pageHeight: number;
  /** Renders; an overlay is drawn on `form`. */
  readonly render: (form: Uint8Array) => Promise<RenderPdfResult>;
  /** An overlay: verifying it takes the vendor's form. */
  readonly overlay?: true;
}

const VARIANTS: readonly Variant[] = [
  { name: 'flat A3', xref: 'table', pageHeight: A3_LANDSCAPE_TEMPLATE.page.height, render: () => renderBordereauPdf(data, { now: CLOCK }) },
  {
    name: 'fillable A3 (an AcroForm of about 150 fields)',
    xref: 'table',
    pageHeight: A3_LANDSCAPE_TEMPLATE.page.height,
    render: () => renderBordereauPdf(data, { now: CLOCK, mode: 'fillable' }),
  },
  { name: 'flat A4', xref: 'table', pageHeight: A4_PORTRAIT_TEMPLATE.page.height, render: () => renderBordereauPdf(data, { now: CLOCK, page: 'a4' }) },
  {
    name: 'overlay on a vendor’s form',
    xref: 'table',
    pageHeight: 841.89,
    overlay: true,
    render: (form) => overlayBordereauPdf(data, form, STAND_IN_FIELD_MAP, { now: CLOCK }),
  },
];

describe('FORM-6 / SIG-5 signatures as incremental revisions', () => {
  describe.each(VARIANTS)('$name', (variant) => {
    it('gives one revision per signature, each a byte prefix of the next, sound, inked only in the slots signed so far', async () => {
      // The stand-in form carries pdf-lib's creation time: made once, the same bytes for rendering and verifying.
      const form = await standInCerfa();
      const rendered = await variant.render(form);
      const steps = await signAll(rendered.bytes);
      const final = steps[5]!;

      // Six revisions; revision n is exactly the PDF after n - 1 signatures, and the rendering's bytes are untouched.
      const list = listPdfRevisions(final);
      expect(list.trailingBytes).toBe(0);
      expect(list.revisions.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(list.revisions.every((r) => r.xref === variant.xref)).toBe(true);
      expect(Buffer.from(final.subarray(0, rendered.bytes.length)).equals(Buffer.from(rendered.bytes))).toBe(true);
      for (let n = 1; n <= 6; n++) {
        const revision = extractPdfRevision(final, n);
        expect(revision.length).toBe(list.revisions[n - 1]!.byteLength);
        expect(Buffer.from(revision).equals(Buffer.from(steps[n - 1]!)), `revision ${n}`).toBe(true);
        expect(Buffer.from(final.subarray(0, revision.length)).equals(Buffer.from(revision))).toBe(true);
        const check = qpdfCheck(revision);
        expect(check.ok, `qpdf --check, revision ${n}: ${check.output}`).toBe(true);
      }
      await expect(Promise.resolve().then(() => extractPdfRevision(final, 7))).rejects.toMatchObject({ code: 'ERR_PDF_REVISION_NOT_FOUND' });

      // Pixels: a slot is blank until its revision, inked from it on; the other slots do not change.
      const pages = steps.map((pdf) => rasterize(pdf, DPI));
      const ink = (n: number, slot: (typeof rendered.slots)[number]): number => darkness(pages[n]![slot.page]!, slot, variant.pageHeight, DPI);
      expect(rendered.slots.map((s) => s.id).sort()).toEqual([...ORDER].sort());
      for (const slot of rendered.slots) {
        const signedAt = ORDER.indexOf(slot.id as (typeof ORDER)[number]) + 1; // the step that signs it
        const blank = ink(0, slot);
        for (let n = 1; n <= 5; n++) {
          if (n < signedAt) expect(ink(n, slot), `${slot.id} before its signature (step ${n})`).toBeCloseTo(blank, 5);
          else expect(ink(n, slot) - blank, `${slot.id} after its signature (step ${n})`).toBeGreaterThan(3);
        }
      }

      // What a person reads in the last revision: every caption and the identifier.
      const text = pdfText(final).join('\n');
      for (let i = 0; i < 5; i++) expect(text).toContain(`Signé le 20/03/2026 10:0${i}`);
      // The identifier whole in each caption (alone, without « Bordereau », in the narrow fee-line slots of A4).
      const count = (t: string): number => t.split(id).length - 1;
      expect(count(text) - count(pdfText(rendered.bytes).join('\n'))).toBe(5);
      expect(text).not.toContain(`${id.slice(0, 20)}…`);
      expect(pdfText(rendered.bytes).join('\n')).not.toContain('Signé le');

      // Which revision signed which slot, with which record.
      const state = await readSignatureSlots(final);
      expect(state).toMatchObject({ bordereauId: id, complete: true, missing: [], otherRevisions: [] });
      expect(state.signatures).toEqual(ORDER.map((slot, i) => ({ revision: i + 2, slot, recordId: RECORDS[i], capturedAt: capturedAt(i).toISOString() })));
      const halfway = await readSignatureSlots(steps[2]!);
      expect(halfway.missing).toEqual(['line:1', 'line:2', 'line:3']);
      expect(halfway.signatures.map((s) => s.slot)).toEqual(['insured', 'director']);

      // verifyBordereauPdf: authentic on the fresh rendering and after each signature (an overlay needs its form).
      for (const [n, pdf] of steps.entries()) {
        const verdict = await verifyBordereauPdf(pdf, { contentHash: rendered.contentHash, ...(variant.overlay ? { form } : {}) });
        expect(verdict, `step ${n}: ${verdict.issues.map((i) => i.message).join('; ')}`).toMatchObject({
          ok: true,
          authentic: true,
          issues: [],
          bordereauId: id,
        });
        expect(verdict.signatures.map((s) => s.slot)).toEqual(ORDER.slice(0, n));
      }
    });
  });

  it('verifyBordereauPdf: another content hash is ERR_PDF_CONTENT_MISMATCH; an overlay without its form is not authentic and says to give it', async () => {
    const rendered = await renderBordereauPdf(data, { now: CLOCK });
    const other = structuredClone(data) as Record<string, any>;
    other.insured.firstName = 'Jérômine';
    const otherHash = contentHash(parseBordereau(other as Bordereau));
    expect(otherHash).not.toBe(rendered.contentHash);
    const mismatch = await verifyBordereauPdf(rendered.bytes, { contentHash: otherHash, locale: 'en' });
    expect(mismatch).toMatchObject({ ok: false, authentic: true, contentHash: rendered.contentHash });
    expect(mismatch.issues.map((i) => i.code)).toEqual(['ERR_PDF_CONTENT_MISMATCH']);

    const form = await standInCerfa();
    const overlay = await overlayBordereauPdf(data, form, STAND_IN_FIELD_MAP, { now: CLOCK });
    const signed = await placeSignature(overlay.bytes, { slot: 'insured', image, capturedAt: capturedAt(0), bordereauId: id });
    for (const locale of ['fr', 'en'] as const) {
      const without = await verifyBordereauPdf(signed, { locale });
      expect(without).toMatchObject({ ok: false, authentic: false });
      expect(without.issues.map((i) => i.code)).toEqual(['ERR_PDF_NOT_AUTHENTIC']);
      expect(without.issues[0]!.message).toContain(locale === 'en' ? 'supply that form (form)' : 'fournissez ce formulaire (form)');
    }
    expect(await verifyBordereauPdf(signed, { form })).toMatchObject({ ok: true, authentic: true });
    // Another vendor form than the one it was drawn on: not authentic.
    expect(await verifyBordereauPdf(signed, { form: await standInCerfa(2) })).toMatchObject({ ok: false, authentic: false });
  });

  it('is deterministic: the same inputs give the same bytes for the five-signature flow (flat and fillable)', async () => {
    for (const mode of ['flat', 'fillable'] as const) {
      const a = await signAll((await renderBordereauPdf(data, { now: CLOCK, mode })).bytes);
      const b = await signAll((await renderBordereauPdf(data, { now: CLOCK, mode })).bytes);
      expect(Buffer.from(a[5]!).equals(Buffer.from(b[5]!)), mode).toBe(true);
    }
  });
});

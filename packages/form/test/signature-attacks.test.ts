import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { zlibSync } from 'fflate';
import { isDict, PdfRef, PdfStream, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import { isS3404Error } from '@s3404/core';
import { createBordereauId } from '@s3404/form';
import { FORM_ERRORS } from '@s3404/form/errors';
import {
  appendUpdate,
  catalogOf,
  copyDict,
  listPdfRevisions,
  nextObjectNumber,
  openPdfFile,
  pageRefs,
  pdfName,
  pdfRef,
  placeSignature,
  readSignatureSlots,
  renderBordereauPdf,
  verifyBordereauPdf,
  textString,
  type UpdateObject,
  type WritableValue,
} from '@s3404/form/pdf';
import { CLOCK, example, pdfText, prng, signaturePng, withTempDir } from './helpers.js';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * FORM-6, SIG-5: what an attacker can append to (or edit in) a bordereau PDF, and how each attempt
 * is refused by placeSignature and flagged by verifyBordereauPdf. Edits are written with the
 * package's own low-level writer, as an attacker with the SDK would.
 */

const data = example('mco-chirurgie-pth');
const id = data.id as string;
const image = signaturePng(120, 40);
const T1 = new Date('2026-03-20T09:00:00Z');
const T2 = new Date('2026-03-20T09:30:00Z');
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** Where the grand total ("5 066,33") is printed on the A3 rendering, in PDF points. */
const TOTAL_BOX = { x: 290, y: 119, width: 60, height: 16 };

const base = (await renderBordereauPdf(data, { now: CLOCK })).bytes;
const insuredSigned = await placeSignature(base, { slot: 'insured', image, capturedAt: T1, bordereauId: id });

/** Appends one update built from the file as it is. */
function update(pdf: Uint8Array, build: (file: ReturnType<typeof openPdfFile>) => UpdateObject[]): Uint8Array {
  const file = openPdfFile(pdf, 'en');
  return appendUpdate(file, build(file)).bytes;
}

/** A deep, writable copy of a parsed value, with dictionaries and arrays reached by reference inlined (streams stay references). */
function inline(file: ReturnType<typeof openPdfFile>, v: PdfValue | undefined): WritableValue {
  if (v instanceof PdfRef) {
    const target = file.object(v.num);
    return isDict(target) || Array.isArray(target) ? inline(file, target) : v;
  }
  if (Array.isArray(v)) return v.map((x) => inline(file, x));
  if (isDict(v)) return new Map([...v].map(([k, x]) => [k, inline(file, x)] as const));
  return v ?? null;
}

/** A page's resources as a writable copy, its /Font and /XObject maps copied too (their entries stay references). */
function resourcesOf(file: ReturnType<typeof openPdfFile>, page: Map<string, WritableValue>): Map<string, WritableValue> {
  const resources = copyDict(file.resolve(page.get('Resources') as PdfValue) as PdfDict);
  for (const key of ['Font', 'XObject']) {
    const sub = file.resolve(resources.get(key) as PdfValue | undefined);
    if (isDict(sub)) resources.set(key, copyDict(sub));
  }
  return resources;
}

/** An update redefining the catalog with its S3404 private data edited. */
function editSlotData(pdf: Uint8Array, edit: (priv: Map<string, WritableValue>, slots: Map<string, WritableValue>[]) => void): Uint8Array {
  return update(pdf, (file) => {
    const catalog = catalogOf(file)!;
    const dict = copyDict(catalog.dict);
    dict.set('PieceInfo', inline(file, catalog.dict.get('PieceInfo')));
    const priv = ((dict.get('PieceInfo') as Map<string, WritableValue>).get('S3404') as Map<string, WritableValue>).get('Private') as Map<
      string,
      WritableValue
    >;
    edit(priv, priv.get('Slots') as Map<string, WritableValue>[]);
    return [{ num: catalog.ref.num, value: dict }];
  });
}

/** A page content stream painting a white box over the totals and another amount, with a font of its own. */
function paintOverTotals(pdf: Uint8Array, descriptor?: Map<string, WritableValue>): Uint8Array {
  return update(pdf, (file) => {
    const pageRef = pageRefs(file)[0]!;
    const page = copyDict(file.object(pageRef.num) as PdfDict);
    const resources = resourcesOf(file, page);
    const fonts = (resources.get('Font') as Map<string, WritableValue> | undefined) ?? new Map<string, WritableValue>();
    const next = nextObjectNumber(file);
    fonts.set(
      'Forged',
      new Map<string, WritableValue>([
        ['Type', pdfName('Font')],
        ['Subtype', pdfName('Type1')],
        ['BaseFont', pdfName('Helvetica-Bold')],
      ]),
    );
    resources.set('Font', fonts);
    page.set('Resources', resources);
    const contents = page.get('Contents');
    page.set('Contents', [...(Array.isArray(contents) ? contents : [contents as PdfRef]), pdfRef(next)]);
    const { x, y, width, height } = TOTAL_BOX;
    const paint = `q 1 1 1 rg ${x} ${y} ${width} ${height} re f 0 0 0 rg BT /Forged 9 Tf ${x + 5} ${y + 4} Td (1 066,33) Tj ET Q\n`;
    const dict = new Map<string, WritableValue>(descriptor === undefined ? [] : [['S3404Sig', descriptor]]);
    return [
      { num: next, dict, data: bytesOf(paint) },
      { num: pageRef.num, value: page },
    ];
  });
}

/**
 * Forges a signature revision onto `pdf`: the objects of `template`'s last revision (a genuine
 * signature placed by placeSignature), renumbered, and the page of `pdf` redefined to draw them —
 * what placeSignature writes, then `edit` applied to the drawing, the descriptor or the image name.
 */
function forgeSignature(
  pdf: Uint8Array,
  template: Uint8Array,
  edit: { content?: (c: string) => string; descriptor?: (d: Map<string, WritableValue>) => void; imageName?: string; compress?: boolean } = {},
): Uint8Array {
  const t = openPdfFile(template, 'en');
  const rev = t.last;
  const added = [...rev.entries.keys()].filter((n) => t.entry(n, rev.index - 1) === undefined).filter((n) => !isXref(t.object(n)));
  return update(pdf, (file) => {
    let next = nextObjectNumber(file);
    const renumber = new Map(added.map((n) => [n, next++] as const));
    const remap = (v: WritableValue): WritableValue =>
      v instanceof PdfRef && renumber.has(v.num)
        ? pdfRef(renumber.get(v.num)!)
        : v instanceof Map
          ? new Map([...v].map(([k, x]) => [k, remap(x)] as const))
          : v;
    const out: UpdateObject[] = [];
    let content = -1;
    let imageName = '';
    let imageNum = -1;
    for (const n of added) {
      const s = t.object(n) as PdfStream;
      const dict = remap(copyDict(s.dict)) as Map<string, WritableValue>;
      dict.delete('Length');
      let bytes = s.raw;
      if (dict.has('S3404Sig')) {
        let drawing = latin1(t.decode(s));
        imageName = /\/(S3404Sig\d+) Do/.exec(drawing)![1]!;
        if (edit.imageName !== undefined) drawing = drawing.replace(`/${imageName} Do`, `/${edit.imageName} Do`);
        drawing = edit.content?.(drawing) ?? drawing;
        // Encoded as the template's is (not compressed), or compressed as earlier SDKs wrote it.
        if (edit.compress === true) dict.set('Filter', pdfName('FlateDecode'));
        bytes = dict.has('Filter') ? zlibSync(bytesOf(drawing)) : bytesOf(drawing);
        const descriptor = new Map(dict.get('S3404Sig') as Map<string, WritableValue>);
        edit.descriptor?.(descriptor);
        dict.set('S3404Sig', descriptor);
        content = renumber.get(n)!;
      } else if (s.dict.has('SMask')) imageNum = renumber.get(n)!;
      out.push({ num: renumber.get(n)!, dict, data: bytes });
    }
    // The page as it is in `pdf`, with one more content stream, the image and the caption fonts.
    const templatePage = t.object(pageRefs(t)[0]!.num) as PdfDict;
    const templateFonts = t.resolve((t.resolve(templatePage.get('Resources')) as PdfDict).get('Font')) as PdfDict;
    const pageRef = pageRefs(file)[0]!;
    const page = copyDict(file.object(pageRef.num) as PdfDict);
    const resources = resourcesOf(file, page);
    const fonts = resources.get('Font') as Map<string, WritableValue>;
    for (const k of ['S3404CapR', 'S3404CapB']) fonts.set(k, templateFonts.get(k)!);
    const xobjects = (resources.get('XObject') as Map<string, WritableValue> | undefined) ?? new Map<string, WritableValue>();
    xobjects.set(edit.imageName ?? imageName, pdfRef(imageNum));
    resources.set('XObject', xobjects);
    page.set('Resources', resources);
    const contents = page.get('Contents');
    page.set('Contents', [...(Array.isArray(contents) ? contents : [contents as PdfRef]), pdfRef(content)]);
    out.push({ num: pageRef.num, value: page });
    return out;
  });
}

function isXref(v: PdfValue): boolean {
  return v instanceof PdfStream && (v.dict.get('Type') as { value?: string } | undefined)?.value === 'XRef';
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** placeSignature refuses it, with one of these codes. */
async function expectRefused(pdf: Uint8Array, codes: readonly string[], slot = 'director', bordereauId = id): Promise<void> {
  const error = await placeSignature(pdf, { slot, image, capturedAt: T2, bordereauId }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `placeSignature(${slot}) should have been refused`).not.toBeNull();
  expect(isS3404Error(error)).toBe(true);
  expect(codes).toContain((error as { code: string }).code);
}

/** verifyBordereauPdf flags it with this code. */
async function expectFlagged(pdf: Uint8Array, code: string, options: { contentHash?: string } = {}): Promise<Awaited<ReturnType<typeof verifyBordereauPdf>>> {
  const verdict = await verifyBordereauPdf(pdf, options);
  expect(verdict.ok).toBe(false);
  expect(verdict.issues.map((i) => i.code)).toContain(code);
  return verdict;
}

describe('FORM-6 / SIG-5 attacks on a bordereau PDF', () => {
  it('(a) an update painting a white box over the totals and another amount: refused, flagged', async () => {
    for (const start of [base, insuredSigned]) {
      const forged = paintOverTotals(start);
      // The attack is real: a reader sees the other amount.
      const text = pdfText(forged).join('\n');
      expect(text).toContain('1 066,33');
      await expectRefused(forged, ['ERR_PDF_MODIFIED']);
      const verdict = await expectFlagged(forged, 'ERR_PDF_MODIFIED');
      expect(verdict.authentic).toBe(true); // revision 1 itself is intact
      expect(verdict.otherRevisions).toEqual([{ revision: listPdfRevisions(forged).revisions.length, detail: expect.any(String) }]);
      expect((await readSignatureSlots(forged)).otherRevisions).toHaveLength(1);
    }
  });

  it('(b) an update rewriting the slot data (Signed, BordereauId, a Rect over the fees): slots come from revision 1, placement refused', async () => {
    // The insured slot "unsigned" again: a second insured signature must not get in.
    const reopened = editSlotData(insuredSigned, (_, slots) => {
      for (const s of slots) s.set('Signed', false);
    });
    await expectRefused(reopened, ['ERR_PDF_MODIFIED', 'ERR_SLOT_ALREADY_SIGNED'], 'insured');
    const state = await readSignatureSlots(reopened);
    expect(state.slots.find((s) => s.id === 'insured')?.signed).toBe(true);
    await expectFlagged(reopened, 'ERR_PDF_MODIFIED');

    // Another identifier: neither the new nor the real one gets a signature in; the PDF still reads as the real one.
    const otherId = createBordereauId({ random: (b) => b.fill(9) });
    const renamed = editSlotData(base, (priv) => priv.set('BordereauId', textString(otherId)));
    await expectRefused(renamed, ['ERR_PDF_MODIFIED', 'ERR_SLOT_BORDEREAU_MISMATCH'], 'insured', otherId);
    await expectRefused(renamed, ['ERR_PDF_MODIFIED'], 'insured', id);
    expect((await readSignatureSlots(renamed)).bordereauId).toBe(id);
    await expectFlagged(renamed, 'ERR_PDF_MODIFIED');

    // The insured slot moved over the fees table (and the director's marked signed).
    const moved = editSlotData(base, (_, slots) => {
      const insured = slots.find((s) => (s.get('Id') as { text(): string }).text() === 'insured')!;
      insured.set('Rect', [300, 500, 600, 120]);
      slots.find((s) => (s.get('Id') as { text(): string }).text() === 'director')!.set('Signed', true);
    });
    await expectRefused(moved, ['ERR_PDF_MODIFIED'], 'insured');
    await expectRefused(moved, ['ERR_PDF_MODIFIED'], 'director');
    expect((await readSignatureSlots(moved)).slots.find((s) => s.id === 'director')?.signed).toBe(false);
    await expectFlagged(moved, 'ERR_PDF_MODIFIED');
  });

  it('(c) an update imitating a signature revision that draws otherwise: refused, flagged; the exact imitation counts', async () => {
    const template = await placeSignature(base, { slot: 'director', image, capturedAt: T2, bordereauId: id });
    // Control: the forger writes exactly what placeSignature writes — it is a signature of the director slot.
    const faithful = forgeSignature(insuredSigned, template);
    expect((await readSignatureSlots(faithful)).otherRevisions.map((r) => r.detail)).toEqual([]);
    expect((await readSignatureSlots(faithful)).signatures.map((s) => s.slot)).toEqual(['insured', 'director']);
    expect(await verifyBordereauPdf(faithful)).toMatchObject({ ok: true });
    // The same drawing compressed, as SDKs before issue 19 wrote it: still the director's signature (recognised
    // by its decoded bytes), so PDFs signed before an upgrade keep verifying.
    const compressed = forgeSignature(insuredSigned, template, { compress: true });
    const flates = (pdf: Uint8Array): number => latin1(pdf).slice(insuredSigned.length).split('/FlateDecode').length - 1;
    expect(flates(compressed)).toBe(flates(faithful) + 1);
    expect((await readSignatureSlots(compressed)).signatures.map((s) => s.slot)).toEqual(['insured', 'director']);
    expect(await verifyBordereauPdf(compressed)).toMatchObject({ ok: true });

    const variants: [string, Parameters<typeof forgeSignature>[2]][] = [
      ['image moved over the totals', { content: (c) => c.replace(/ cm \/S3404Sig/, ' cm 1 0 0 1 -600 40 cm /S3404Sig') }],
      ['another capture time in the descriptor than in the caption', { descriptor: (d) => d.set('CapturedAt', textString('2026-03-21T09:30:00.000Z')) }],
      ['another caption glyph', { content: (c) => c.replace(/<([0-9A-F]{4})/, '<0011') }],
      [
        'a white box over the totals in the drawing',
        { content: (c) => `${c}q 1 1 1 rg ${TOTAL_BOX.x} ${TOTAL_BOX.y} ${TOTAL_BOX.width} ${TOTAL_BOX.height} re f Q\n` },
      ],
      ['another slot claimed by the descriptor', { descriptor: (d) => d.set('Slot', textString('line:1')) }],
    ];
    for (const [what, edit] of variants) {
      const forged = forgeSignature(insuredSigned, template, edit);
      expect(latin1(forged).length, what).toBeGreaterThan(insuredSigned.length);
      await expectRefused(forged, ['ERR_PDF_MODIFIED'], 'line:2');
      const verdict = await expectFlagged(forged, 'ERR_PDF_MODIFIED');
      expect(
        verdict.signatures.map((s) => s.slot),
        what,
      ).toEqual(['insured']);
    }
    // A content stream carrying a descriptor but painting over the totals, without any image.
    const bare = paintOverTotals(
      insuredSigned,
      new Map<string, WritableValue>([
        ['Slot', textString('director')],
        ['CapturedAt', textString(T2.toISOString())],
      ]),
    );
    await expectRefused(bare, ['ERR_PDF_MODIFIED']);
    await expectFlagged(bare, 'ERR_PDF_MODIFIED');
  });

  it('(d) a signature revision claiming a slot already signed: refused, flagged', async () => {
    await expectRefused(insuredSigned, ['ERR_SLOT_ALREADY_SIGNED'], 'insured');
    // A second insured signature forged by hand (its image under another name so nothing else differs).
    const template = await placeSignature(base, { slot: 'insured', image, capturedAt: T2, bordereauId: id });
    const twice = forgeSignature(insuredSigned, template, { imageName: 'S3404SigX' });
    await expectRefused(twice, ['ERR_PDF_MODIFIED', 'ERR_SLOT_ALREADY_SIGNED'], 'line:1');
    const verdict = await expectFlagged(twice, 'ERR_PDF_MODIFIED');
    expect(verdict.otherRevisions).toEqual([{ revision: 3, detail: 'slot insured signed twice' }]);
    expect(verdict.signatures).toHaveLength(1);
  });

  it('(e) bordereau C’s slot data copied into A: an update is refused; an edit in place is a mismatch (placeSignature does not re-render)', async () => {
    const c = example('ambulatoire-cataracte');
    const renderedC = await renderBordereauPdf(c, { now: CLOCK });
    const cFile = openPdfFile(renderedC.bytes, 'en');
    const cPiece = inline(cFile, catalogOf(cFile)!.dict.get('PieceInfo'));
    const copied = update(base, (file) => {
      const catalog = catalogOf(file)!;
      const dict = copyDict(catalog.dict);
      dict.set('PieceInfo', cPiece);
      return [{ num: catalog.ref.num, value: dict }];
    });
    await expectRefused(copied, ['ERR_PDF_MODIFIED', 'ERR_SLOT_BORDEREAU_MISMATCH'], 'insured', c.id as string);
    await expectRefused(copied, ['ERR_PDF_MODIFIED'], 'insured', id);
    await expectFlagged(copied, 'ERR_PDF_MODIFIED');

    // In place, in revision 1 (same lengths, so the cross-reference table still holds): C's identifier and hash in A.
    const renderedA = await renderBordereauPdf(data, { now: CLOCK });
    const text = latin1(base);
    const swapped = text
      .replace(`/BordereauId (${id})`, `/BordereauId (${c.id as string})`)
      .replace(`/ContentHash (${renderedA.contentHash})`, `/ContentHash (${renderedC.contentHash})`);
    expect(swapped).not.toBe(text);
    expect(swapped.length).toBe(text.length);
    const inPlace = bytesOf(swapped);
    await expectRefused(inPlace, ['ERR_SLOT_BORDEREAU_MISMATCH'], 'insured', id);
    const verdict = await expectFlagged(inPlace, 'ERR_PDF_NOT_AUTHENTIC', { contentHash: renderedA.contentHash });
    expect(verdict.issues.map((i) => i.code)).toContain('ERR_PDF_CONTENT_MISMATCH');
    expect(verdict.authentic).toBe(false);
  });

  it('(f) edits of revision 1 in place (a byte of a page content stream, the totals through a qpdf --qdf round trip): not authentic — placeSignature alone does not re-render', async () => {
    // A byte of the page's content stream.
    const file = openPdfFile(base, 'en');
    const page = file.object(pageRefs(file)[0]!.num) as PdfDict;
    const contents = page.get('Contents');
    const stream = file.located((Array.isArray(contents) ? (contents[0] as PdfRef) : (contents as PdfRef)).num)!;
    const flipped = base.slice();
    const at = Math.floor((stream.start + stream.end) / 2);
    flipped[at] = flipped[at]! ^ 0x10;
    const v1 = await expectFlagged(flipped, 'ERR_PDF_NOT_AUTHENTIC');
    expect(v1.authentic).toBe(false);

    // The grand total 5 066,33 → 9 066,33 in the page content, the cross-reference rebuilt by qpdf.
    const edited = withTempDir((dir) => {
      const inFile = join(dir, 'in.pdf');
      const qdf = join(dir, 'qdf.pdf');
      writeFileSync(inFile, base);
      execFileSync('qpdf', ['--qdf', '--object-streams=disable', inFile, qdf]);
      const before = readFileSync(qdf, 'latin1');
      // Digits are glyphs 0x11 ("0") … 0x1A ("9"), "," is 0x0D: "5", a narrow space, "066,33".
      const total = /<0016([0-9a-f]{4})001100170017000d00140014>/i;
      expect(total.test(before)).toBe(true);
      const after = before.replace(total, (m) => `<001a${m.slice(5)}`);
      writeFileSync(qdf, after, 'latin1');
      return new Uint8Array(execFileSync('fix-qdf', [qdf]));
    });
    expect(pdfText(edited).join('\n')).toMatch(/9\s?066,33/);
    const v2 = await expectFlagged(edited, 'ERR_PDF_NOT_AUTHENTIC');
    expect(v2.authentic).toBe(false);
    // placeSignature checks the revisions, not the pages: it signs; verifyBordereauPdf must come first (seal's apply step does).
    const signed = await placeSignature(edited, { slot: 'insured', image, capturedAt: T1, bordereauId: id });
    await expectFlagged(signed, 'ERR_PDF_NOT_AUTHENTIC');
  });

  it('(g) bytes appended after %%EOF: counted, refused, flagged — also when a signature revision is written after them', async () => {
    const junk = new Uint8Array([...insuredSigned, ...bytesOf('99 0 obj << /Hidden (data) >> endobj\n')]);
    expect(listPdfRevisions(junk).trailingBytes).toBeGreaterThan(0);
    await expectRefused(junk, ['ERR_PDF_MODIFIED']);
    await expectFlagged(junk, 'ERR_PDF_MODIFIED');
    expect((await readSignatureSlots(junk)).otherRevisions).toEqual([{ revision: 3, detail: expect.stringContaining('after the last %%EOF') }]);
    // The junk inside a revision otherwise exactly like placeSignature's.
    const template = await placeSignature(base, { slot: 'director', image, capturedAt: T2, bordereauId: id });
    const carried = forgeSignature(junk, template);
    expect(listPdfRevisions(carried).trailingBytes).toBe(0);
    await expectRefused(carried, ['ERR_PDF_MODIFIED'], 'line:1');
    const verdict = await expectFlagged(carried, 'ERR_PDF_MODIFIED');
    expect(verdict.otherRevisions).toEqual([{ revision: 3, detail: 'bytes outside its objects' }]);
  });

  it('(h) a hybrid cross-reference or a broken /Prev: ERR_PDF_XREF_INVALID, never a crash', async () => {
    const text = latin1(insuredSigned);
    const hybrid = bytesOf(text.replace('trailer\n<<', 'trailer\n<< /XRefStm 0'));
    const lastPrev = text.lastIndexOf('/Prev ');
    const prevDigits = /\/Prev (\d+)/.exec(text.slice(lastPrev))![1]!;
    const brokenPrev = bytesOf(
      text.slice(0, lastPrev) + text.slice(lastPrev).replace(`/Prev ${prevDigits}`, `/Prev ${String(Number(prevDigits) - 7).padStart(prevDigits.length, '0')}`),
    );
    const fillable = await placeSignature((await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable' })).bytes, {
      slot: 'insured',
      image,
      capturedAt: T1,
      bordereauId: id,
    });
    const ftext = latin1(fillable);
    const fPrev = ftext.lastIndexOf('/Prev ');
    const fDigits = /\/Prev (\d+)/.exec(ftext.slice(fPrev))![1]!;
    const streamPrev = bytesOf(
      ftext.slice(0, fPrev) + ftext.slice(fPrev).replace(`/Prev ${fDigits}`, `/Prev ${String(Number(fDigits) - 7).padStart(fDigits.length, '0')}`),
    );
    const noPrev = bytesOf(text.slice(0, lastPrev) + text.slice(lastPrev).replace(`/Prev ${prevDigits}`, `/Foo ${prevDigits}`));
    for (const [what, pdf] of [
      ['hybrid', hybrid],
      ['broken /Prev (table)', brokenPrev],
      ['broken /Prev (stream)', streamPrev],
      ['no /Prev', noPrev],
    ] as const) {
      expect(latin1(pdf) === (what === 'broken /Prev (stream)' ? ftext : text), what).toBe(false);
      expect(() => listPdfRevisions(pdf), what).toThrow(expect.objectContaining({ code: 'ERR_PDF_XREF_INVALID' }));
      await expect(readSignatureSlots(pdf), what).rejects.toMatchObject({ code: 'ERR_PDF_XREF_INVALID', kind: 'input' });
      await expect(placeSignature(pdf, { slot: 'director', image, capturedAt: T2, bordereauId: id }), what).rejects.toMatchObject({
        code: 'ERR_PDF_XREF_INVALID',
      });
      const verdict = await verifyBordereauPdf(pdf);
      expect(verdict, what).toMatchObject({ ok: false, authentic: false });
      expect(verdict.issues.map((i) => i.code)).toEqual(['ERR_PDF_XREF_INVALID']);
    }
  });

  it('X-2: 1,500 mutations of a signed PDF, in and out of its last revision, give coded errors or verdicts, never a crash or a hang', async () => {
    const random = prng(20261205);
    const signed = await placeSignature(insuredSigned, { slot: 'line:1', image, capturedAt: T2, bordereauId: id });
    const last = listPdfRevisions(signed).revisions.at(-1)!;
    const lastStart = last.byteLength - last.addedBytes;
    const tokens = ['endobj\n', 'startxref\n0\n%%EOF\n', '<<', '>>', ' 0 R', 'stream\n', '%%EOF\n', 'xref\n0 1\n', '/Prev 0', '(', '[', '\n'];
    const t0 = performance.now();
    const outcomes = new Map<string, number>();
    const count = (k: string): void => void outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    for (let i = 0; i < 1500; i++) {
      const inLast = random() < 0.6;
      const pos = (): number => (inLast ? lastStart + Math.floor(random() * last.addedBytes) : Math.floor(random() * lastStart));
      let bytes: Uint8Array = signed.slice();
      const op = random();
      if (op < 0.4) {
        for (let k = 0, n = 1 + Math.floor(random() * 4); k < n; k++) {
          const p = pos();
          bytes[p] = bytes[p]! ^ (1 << Math.floor(random() * 8));
        }
      } else if (op < 0.6) bytes = bytes.slice(0, pos());
      else if (op < 0.8) {
        const p = pos();
        const insert =
          random() < 0.5
            ? bytesOf(tokens[Math.floor(random() * tokens.length)]!)
            : Uint8Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256));
        bytes = concat(bytes.subarray(0, p), insert, bytes.subarray(p));
      } else {
        const p = pos();
        bytes = concat(bytes.subarray(0, p), bytes.subarray(p + 1 + Math.floor(random() * 16)));
      }
      const started = performance.now();
      const calls: [string, () => Promise<unknown>][] = [
        ['list', async () => listPdfRevisions(bytes)],
        ['read', () => readSignatureSlots(bytes)],
        ['place', () => placeSignature(bytes, { slot: 'director', image, capturedAt: T2, bordereauId: id })],
      ];
      for (const [name, run] of calls) {
        try {
          await run();
          count(`${name}:ok`);
        } catch (e) {
          if (!(isS3404Error(e) && FORM_ERRORS.has((e as { code: string }).code))) throw new Error(`case ${i} ${name}: ${String(e)}`, { cause: e });
          count(`${name}:${(e as { code: string }).code}`);
        }
      }
      // Rendering again costs ~0.1 s: every 15th mutation is also verified (100 in all).
      if (i % 15 === 0) {
        const verdict = await verifyBordereauPdf(bytes);
        expect(typeof verdict.ok).toBe('boolean');
        for (const issue of verdict.issues) expect(FORM_ERRORS.has(issue.code), issue.code).toBe(true);
        count(`verify:${verdict.ok}`);
      }
      expectWithinBound(performance.now() - started, 3_000, `case ${i}`, { clock: 'wall' });
    }
    // Both outcomes happen: many mutations are refused, some (in image data, in whitespace) still place.
    expect(outcomes.get('place:ok') ?? 0).toBeGreaterThan(10);
    expect([...outcomes].filter(([k]) => k.startsWith('place:ERR')).reduce((s, [, n]) => s + n, 0)).toBeGreaterThan(300);
    expectWithinBound(performance.now() - t0, 30_000, '1,500 mutations', { clock: 'wall' });
  });
});

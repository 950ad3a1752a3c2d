import { CHAR_CLASS, isDict, isName, isNumber, PdfRef, PdfStream, PdfString, type PdfDict, type PdfValue } from '@s3404/core/pdf';
import { parseSlotId, type SlotId } from '../../signature-slots.js';
import type { PdfFile, RevisionSection } from '../syntax/pdf-file.js';
import { sameBytes, sameValue } from '../syntax/same-value.js';
import { catalogOf, pageRefs } from '../syntax/structure.js';
import { CAPTION_FONT_NAMES, signatureContent } from './signature-drawing.js';
import type { SlotRecord } from './slot-data.js';
import { BytesMemo } from './pdf-memo.js';

/** What the rendering recorded to be rendered again (see `RenderRecord`). */
export interface RenderFacts {
  readonly data: PdfRef;
  readonly template: PdfRef;
  readonly mode: 'flat' | 'fillable' | 'overlay';
  readonly pdfa: boolean;
  readonly created: Date;
  readonly captionFonts: readonly [PdfRef, PdfRef];
  readonly flatten: boolean;
}

/** A signature revision of this SDK: which slot it signed, with which record, when (FORM-6, SIG-5). */
export interface SdkSignatureRevision {
  readonly revision: number;
  readonly slot: SlotId;
  readonly recordId?: string;
  readonly capturedAt: Date;
  readonly accountingDay: boolean;
}

/** A revision that is not one of this SDK's signature revisions, and what gave it away. */
export interface ForeignRevision {
  readonly revision: number;
  readonly detail: string;
}

/** A bordereau PDF read revision by revision. */
export interface BordereauRevisions {
  readonly bordereauId: string;
  readonly finess: string | undefined;
  readonly contentHash: string;
  /** The slots as rendered (revision 1); `signed` from the signature revisions. */
  readonly slots: readonly SlotRecord[];
  /** Absent for PDFs rendered before renderings were recorded, and for overlays. */
  readonly render: RenderFacts | undefined;
  /** The pages of revision 1. */
  readonly pages: readonly PdfRef[];
  readonly signatures: readonly SdkSignatureRevision[];
  /**
   * Revisions after revision 1 that are not SDK signature revisions (seals, edits…), in order; data
   * after the last `%%EOF` counts as one more (numbered as the revision it would start).
   */
  readonly foreign: readonly ForeignRevision[];
}

/** Descriptor key of a signature revision's content stream. */
export const SIGNATURE_KEY = 'S3404Sig';

const text = (v: PdfValue | undefined): string | undefined => (v instanceof PdfString ? v.text() : undefined);

/**
 * Reads a bordereau PDF of this SDK revision by revision (FORM-6, SIG-5):
 * the slot data of revision 1 — never of a later revision, so data an
 * update rewrites is not trusted —, then each later revision, recognised as
 * one of this SDK's signature revisions only if it is exactly what
 * `placeSignature` writes: the slot's page redefined with one more content
 * stream and one more image (and nothing else changed), that content stream
 * being the drawing of that slot, drawn again here and compared byte for
 * byte, on a slot not signed before. Anything else is a foreign revision.
 *
 * @returns `null` when revision 1 holds no S3404 slot data.
 */
export function readBordereauRevisions(file: PdfFile): BordereauRevisions | null {
  // A pure function of the bytes: the same PDF read again (verified, then its slots read, then signed) is read once.
  const known = revisionsRead.get(file.bytes);
  if (known !== undefined) return known.state;
  // A PDF one signature further than one read before: only its last revision is read (not all of them again),
  // when the earlier PDF is byte for byte this one's prefix and its revisions lie at the same offsets.
  const n = file.revisions.length;
  const earlier = n >= 2 && file.trailingBytes === 0 ? revisionsRead.get(file.bytes.subarray(0, file.revisions[n - 2]!.end)) : undefined;
  const prior = earlier !== undefined && sameSections(earlier.sections, file.revisions.slice(0, n - 1)) ? earlier : undefined;
  const read = readRevisions(file, prior);
  if (read !== null) revisionsRead.set(file.bytes, read);
  return read === null ? null : read.state;
}

/** What reading a PDF gave: its state, the slots as revision 1 recorded them, where its revisions lie. */
interface RevisionsRead {
  readonly state: BordereauRevisions;
  readonly rawSlots: readonly SlotRecord[];
  readonly sections: readonly { readonly start: number; readonly end: number; readonly xrefOffset: number }[];
}

/** The states read lately, for the exact bytes of the whole PDF (see `BytesMemo`). */
const revisionsRead = new BytesMemo<RevisionsRead>(128);

function sameSections(a: RevisionsRead['sections'], b: readonly RevisionSection[]): boolean {
  return a.length === b.length && a.every((x, i) => x.start === b[i]!.start && x.end === b[i]!.end && x.xrefOffset === b[i]!.xrefOffset);
}

function readRevisions(file: PdfFile, prior: RevisionsRead | undefined): RevisionsRead | null {
  const sections = file.revisions.map((r) => ({ start: r.start, end: r.end, xrefOffset: r.xrefOffset }));
  if (prior !== undefined && prior.state.foreign.length === 0 && prior.state.render !== undefined) {
    // Revisions 1 … n-1 are those of the earlier PDF: read revision n only.
    const p = prior.state;
    const render = p.render!;
    const r = file.revisions.length;
    const signed = new Set(p.slots.filter((x) => x.signed).map((x) => x.id));
    const verdict = recogniseSignature(file, r, { bordereauId: p.bordereauId, slots: prior.rawSlots, pages: p.pages, signed, render });
    const signatures = typeof verdict === 'object' ? [...p.signatures, verdict] : p.signatures;
    if (typeof verdict === 'object') signed.add(verdict.slot);
    const foreign = typeof verdict === 'object' ? [] : [{ revision: r, detail: verdict }];
    const state: BordereauRevisions = { ...p, slots: prior.rawSlots.map((x) => ({ ...x, signed: signed.has(x.id) })), signatures, foreign };
    return { state, rawSlots: prior.rawSlots, sections };
  }
  const state = readAll(file);
  return state === null ? null : { state: state.state, rawSlots: state.rawSlots, sections };
}

function readAll(file: PdfFile): { state: BordereauRevisions; rawSlots: readonly SlotRecord[] } | null {
  const catalog = catalogOf(file, 1);
  const piece = catalog === undefined ? undefined : file.resolve(catalog.dict.get('PieceInfo'), 1);
  const data = isDict(piece) ? file.resolve(piece.get('S3404'), 1) : undefined;
  const priv = isDict(data) ? file.resolve(data.get('Private'), 1) : undefined;
  if (!isDict(priv)) return null;
  const bordereauId = text(file.resolve(priv.get('BordereauId'), 1));
  const contentHash = text(file.resolve(priv.get('ContentHash'), 1));
  const list = file.resolve(priv.get('Slots'), 1);
  if (bordereauId === undefined || contentHash === undefined || !Array.isArray(list)) return null;
  const slots: SlotRecord[] = [];
  for (const item of list.slice(0, 2000)) {
    const d = file.resolve(item, 1);
    if (!isDict(d)) return null;
    const id = parseSlotId(text(d.get('Id')) ?? '');
    const rect = d.get('Rect');
    const page = d.get('Page');
    if (id === null || !Array.isArray(rect) || rect.length !== 4 || !rect.every(isNumber) || !isNumber(page)) return null;
    const [x, y, width, height] = rect as number[];
    slots.push({ id, page, x: x!, y: y!, width: width!, height: height!, mandate: d.get('Mandate') === true, signed: d.get('Signed') === true });
  }
  const render = readRender(file, priv);
  const pages = pageRefs(file, 1);
  const signatures: SdkSignatureRevision[] = [];
  const foreign: ForeignRevision[] = [];
  const signed = new Set(slots.filter((s) => s.signed).map((s) => s.id));
  for (let r = 2; r <= file.revisions.length; r++) {
    // Once a revision is foreign (a seal, an edit), no later one counts as a signature of this SDK.
    const verdict = foreign.length > 0 || render === undefined ? null : recogniseSignature(file, r, { bordereauId, slots, pages, signed, render });
    if (typeof verdict === 'object' && verdict !== null) {
      signatures.push(verdict);
      signed.add(verdict.slot);
    } else foreign.push({ revision: r, detail: verdict ?? (render === undefined ? 'no rendering record' : 'after a foreign revision') });
  }
  // Bytes after the last %%EOF are no revision, but an update placed after them would carry them along.
  if (file.trailingBytes > 0) foreign.push({ revision: file.revisions.length + 1, detail: `${file.trailingBytes} bytes after the last %%EOF` });
  const state: BordereauRevisions = {
    bordereauId,
    finess: text(file.resolve(priv.get('Finess'), 1)),
    contentHash,
    slots: slots.map((s) => ({ ...s, signed: signed.has(s.id) })),
    render,
    pages,
    signatures,
    foreign,
  };
  return { state, rawSlots: slots };
}

function readRender(file: PdfFile, priv: PdfDict): RenderFacts | undefined {
  const r = file.resolve(priv.get('Render'), 1);
  const fonts = file.resolve(priv.get('CaptionFonts'), 1);
  const data = priv.get('Data');
  if (!isDict(r) || !(data instanceof PdfRef) || !Array.isArray(fonts) || fonts.length !== 2) return undefined;
  const template = r.get('Template');
  const created = text(r.get('Created'));
  const mode = r.get('Mode');
  if (!(template instanceof PdfRef) || created === undefined || !(fonts[0] instanceof PdfRef) || !(fonts[1] instanceof PdfRef)) return undefined;
  const date = new Date(created);
  const modeName = isName(mode, 'flat') ? 'flat' : isName(mode, 'fillable') ? 'fillable' : isName(mode, 'overlay') ? 'overlay' : undefined;
  if (Number.isNaN(date.getTime()) || modeName === undefined) return undefined;
  return {
    data,
    template,
    mode: modeName,
    pdfa: r.get('PdfA') === true,
    created: date,
    captionFonts: [fonts[0], fonts[1]],
    flatten: r.get('Flatten') !== false,
  };
}

interface RecogniseContext {
  readonly bordereauId: string;
  readonly slots: readonly SlotRecord[];
  readonly pages: readonly PdfRef[];
  readonly signed: ReadonlySet<SlotId>;
  readonly render: RenderFacts;
}

/** Revision `r` as an SDK signature revision, or why it is not one. */
function recogniseSignature(file: PdfFile, r: number, ctx: RecogniseContext): SdkSignatureRevision | string {
  const rev = file.revisions[r - 1]!;
  const redefined: number[] = [];
  const added: number[] = [];
  for (const [num, e] of rev.entries) {
    if (e.type !== 1) return `object ${num} freed or compressed`;
    // A cross-reference stream is an object of its own revision (the reader allows nothing else at its offset): not content.
    if (rev.xref === 'stream' && e.offset === rev.xrefOffset) continue;
    if (file.entry(num, r - 1) === undefined || file.entry(num, r - 1)!.entry.type === 0) added.push(num);
    else redefined.push(num);
  }
  // Its bytes hold its objects and nothing else (no data hidden between them).
  const spans = [...added, ...redefined].map((n) => file.located(n, r)).sort((a, b) => (a?.start ?? 0) - (b?.start ?? 0));
  let at = rev.start;
  for (const o of [...spans, { start: rev.xrefOffset, end: rev.xrefOffset }]) {
    if (o === null || o.start < at) return 'objects overlap';
    for (let p = at; p < o.start; p++) if (CHAR_CLASS[file.bytes[p]!] !== 1) return 'bytes outside its objects';
    at = o.end;
  }
  const pageIndex = ctx.pages.findIndex((p) => redefined.includes(p.num));
  if (pageIndex < 0) return 'no page redefined';
  const pageNum = ctx.pages[pageIndex]!.num;
  // Besides the page, only the page's own resources object may be redefined.
  const pageBefore = file.object(pageNum, r - 1);
  const resourcesRef = isDict(pageBefore) && pageBefore.get('Resources') instanceof PdfRef ? (pageBefore.get('Resources') as PdfRef).num : undefined;
  if (redefined.some((n) => n !== pageNum && n !== resourcesRef)) return `${redefined.length} objects redefined`;
  // The new content stream, with its descriptor.
  const streams = added.map((n) => ({ n, v: file.object(n, r) })).filter((o): o is { n: number; v: PdfStream } => o.v instanceof PdfStream);
  const contentObj = streams.find((o) => isDict(o.v.dict.get(SIGNATURE_KEY)));
  if (contentObj === undefined) return 'no signature content stream';
  const descriptor = contentObj.v.dict.get(SIGNATURE_KEY) as PdfDict;
  const slotId = parseSlotId(text(descriptor.get('Slot')) ?? '');
  const slot = slotId === null ? undefined : ctx.slots.find((s) => s.id === slotId);
  if (slot === undefined || slot.page !== pageIndex) return 'signature of an unknown slot, or on another page';
  if (ctx.signed.has(slot.id)) return `slot ${slot.id} signed twice`;
  const capturedText = text(descriptor.get('CapturedAt'));
  const capturedAt = capturedText === undefined ? new Date(NaN) : new Date(capturedText);
  if (Number.isNaN(capturedAt.getTime())) return 'no capture time';
  const recordId = text(descriptor.get('Record'));
  const accountingDay = descriptor.get('AccountingDay') === true;
  const mandate = descriptor.get('Mandate') === true;
  // The page: the same but for one more content stream and one more image (and the caption fonts).
  const before = file.object(pageNum, r - 1);
  const after = file.object(pageNum, r);
  if (!isDict(before) || !isDict(after)) return 'page is not a dictionary';
  const beforeContents = file.resolve(before.get('Contents'), r - 1);
  const oldContents = Array.isArray(beforeContents) ? beforeContents : before.get('Contents') instanceof PdfRef ? [before.get('Contents')!] : [];
  const newContents = after.get('Contents');
  if (!Array.isArray(newContents) || !sameValue([...oldContents, new PdfRef(contentObj.n, 0)], newContents)) return 'page contents changed otherwise';
  const resBefore = file.resolve(before.get('Resources'), r - 1);
  const resAfter = file.resolve(after.get('Resources'), r);
  if (!isDict(resBefore) || !isDict(resAfter)) return 'page resources missing';
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (key === 'Contents' || key === 'Resources') continue;
    if (!sameValue(before.get(key), after.get(key))) return `page /${key} changed`;
  }
  let imageName: string | undefined;
  let imageRef: PdfRef | undefined;
  for (const key of new Set([...resBefore.keys(), ...resAfter.keys()])) {
    const a = file.resolve(resBefore.get(key), r - 1);
    const b = file.resolve(resAfter.get(key), r);
    if (sameValue(a, b)) continue;
    if (!isDict(b) || (a !== undefined && !isDict(a))) return `resources /${key} changed`;
    const oldMap = (a ?? new Map()) as PdfDict;
    for (const k of new Set([...oldMap.keys(), ...b.keys()])) {
      if (sameValue(oldMap.get(k), b.get(k))) continue;
      if (oldMap.has(k)) return `resource ${key}/${k} replaced`;
      const v = b.get(k);
      if (key === 'Font' && k === CAPTION_FONT_NAMES.regular && v instanceof PdfRef && v.num === ctx.render.captionFonts[0].num) continue;
      if (key === 'Font' && k === CAPTION_FONT_NAMES.bold && v instanceof PdfRef && v.num === ctx.render.captionFonts[1].num) continue;
      if (key === 'XObject' && imageName === undefined && v instanceof PdfRef && added.includes(v.num)) {
        imageName = k;
        imageRef = v;
        continue;
      }
      return `resource ${key}/${k} added`;
    }
  }
  if (imageName === undefined || imageRef === undefined) return 'no signature image';
  const image = file.object(imageRef.num, r);
  const check = checkImage(file, image, r, added);
  if (typeof check === 'string') return check;
  const used = new Set([contentObj.n, imageRef.num, ...(check.smask === undefined ? [] : [check.smask])]);
  if (added.some((n) => !used.has(n))) return 'objects added beyond the signature';
  // The drawing, drawn again and compared.
  let expected: string;
  try {
    expected = signatureContent({
      slot,
      bordereauId: ctx.bordereauId,
      capturedAt,
      accountingDay,
      mandate: mandate || slot.mandate,
      imageName,
      imageWidth: check.width,
      imageHeight: check.height,
    });
  } catch {
    return 'caption cannot be drawn';
  }
  let actual: Uint8Array;
  try {
    actual = file.decode(contentObj.v, 1 << 20);
  } catch {
    return 'signature content unreadable';
  }
  if (!sameBytes(actual, new TextEncoder().encode(expected))) return 'signature content is not the drawing of its slot';
  return { revision: r, slot: slot.id, ...(recordId === undefined ? {} : { recordId }), capturedAt, accountingDay };
}

const IMAGE_KEYS = new Set(['Type', 'Subtype', 'Width', 'Height', 'ColorSpace', 'BitsPerComponent', 'Filter', 'DecodeParms', 'Length', 'SMask']);

/** An image XObject as `placeSignature` writes them: nothing but an image, a soft mask at most. */
function checkImage(file: PdfFile, v: PdfValue, r: number, added: readonly number[]): { width: number; height: number; smask?: number } | string {
  if (!(v instanceof PdfStream) || !isName(v.dict.get('Subtype'), 'Image')) return 'signature image is not an image';
  for (const k of v.dict.keys()) if (!IMAGE_KEYS.has(k)) return `signature image has /${k}`;
  const width = v.dict.get('Width');
  const height = v.dict.get('Height');
  if (!isNumber(width) || !isNumber(height) || width < 1 || height < 1 || width > 4096 || height > 4096) return 'signature image size';
  const smask = v.dict.get('SMask');
  if (smask === undefined) return { width, height };
  if (!(smask instanceof PdfRef) || !added.includes(smask.num)) return 'signature image soft mask';
  const m = file.object(smask.num, r);
  if (!(m instanceof PdfStream) || !isName(m.dict.get('Subtype'), 'Image') || m.dict.has('SMask')) return 'signature image soft mask';
  for (const k of m.dict.keys()) if (!IMAGE_KEYS.has(k)) return `soft mask has /${k}`;
  // A single-ink signature is a 1×1 colour under a full-size soft mask: its size is the mask's.
  const mw = m.dict.get('Width');
  const mh = m.dict.get('Height');
  if (!isNumber(mw) || !isNumber(mh) || mw < 1 || mh < 1 || mw > 4096 || mh > 4096) return 'signature soft mask size';
  return width === 1 && height === 1 ? { width: mw, height: mh, smask: smask.num } : { width, height, smask: smask.num };
}

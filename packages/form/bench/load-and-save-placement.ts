/**
 * The placement as it was before issue 16 (commit 8d3e09b), kept for the
 * benchmark only: every signature loads the whole PDF with pdf-lib, draws,
 * rewrites the slot data and saves the whole file again. Not exported by the
 * package; `placement.bench.ts` measures it against the incremental
 * `placeSignature` in the same run.
 */
import { bordereauIdProblem, readClock, resolveLocale, type Clock, type Locale, type LocalizedText } from '@s3404/core';
import { formatDateTimeFr } from '../src/format.js';
import { FormError } from '../src/errors/form-error.js';
import type { FormErrorCode } from '../src/errors/form-errors.js';
import { checkSignatureImage } from '../src/signature-image.js';
import { parseSlotId, type SlotId } from '../src/signature-slots.js';
import { ACCENT, ContentWriter, GREY } from '../src/pdf/internal/content-writer.js';
import { addFontResources, prepareFonts, type DocumentFonts } from '../src/pdf/internal/font-embedder.js';
import { encodeHex } from '../src/pdf/internal/font-face.js';
import { PDFDict, PDFName, PDFRef, type PDFDocument } from '../src/pdf/internal/engine.js';
import { assertPdfBytes, loadPdf } from '../src/pdf/internal/load-pdf.js';
import { readPieceInfo, writePieceInfo, type SlotRecord } from '../src/pdf/internal/slot-data.js';
import { readCatalogConformance } from '../src/pdf/internal/pdfa-state.js';
import { guardPdf } from '../src/pdf/internal/guard.js';
import { registerFlate } from '../src/pdf/internal/deflate.js';

/** Resource names of the caption fonts every signature shares. */
const CAPTION_FONT_NAMES = { regular: 'S3404CapR', bold: 'S3404CapB' } as const;

/**
 * Every character a caption can show: the fixed words, a Paris date and time,
 * and a bordereau identifier (Crockford base 32, its check symbols, dashes),
 * plus the ellipsis of a caption shortened to fit its slot.
 */
const CAPTION_CHARACTERS = ' 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzé/:·—-*~$=…';

/** The caption fonts a previous signature embedded, found in any page's resources, else `null`. */
function captionFontRefs(doc: PDFDocument): { regular: PDFRef; bold: PDFRef } | null {
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const regular = fonts?.get(PDFName.of(CAPTION_FONT_NAMES.regular));
    const bold = fonts?.get(PDFName.of(CAPTION_FONT_NAMES.bold));
    if (regular instanceof PDFRef && bold instanceof PDFRef) return { regular, bold };
  }
  return null;
}

/** The glyphs of {@link CAPTION_CHARACTERS} in each face: what the shared subset holds. */
function captionGlyphs(fonts: DocumentFonts): { regular: Set<number>; bold: Set<number> } {
  const regular = new Set<number>([0]);
  const bold = new Set<number>([0]);
  encodeHex(fonts.regularFace, CAPTION_CHARACTERS, regular);
  encodeHex(fonts.boldFace, CAPTION_CHARACTERS, bold);
  return { regular, bold };
}

/**
 * The slot's page must exist and its rectangle lie inside that page: slot
 * data naming page 7 of a 3-page PDF is damaged data (`ERR_SLOT_INVALID`),
 * found before anything is drawn (FORM-6).
 */
function checkSlotGeometry(doc: PDFDocument, slot: SlotRecord, locale: Locale): void {
  const pages = doc.getPageCount();
  const invalid = (detail: LocalizedText): FormError => new FormError('ERR_SLOT_INVALID', { params: { received: slot.id, detail }, locale });
  if (!Number.isInteger(slot.page) || slot.page < 0 || slot.page >= pages) {
    const page = Number.isFinite(slot.page) ? String(slot.page + 1) : '?';
    throw invalid({ fr: `page ${page} absente, le PDF a ${pages} page(s)`, en: `page ${page} does not exist, the PDF has ${pages} page(s)` });
  }
  const box = doc.getPage(slot.page).getMediaBox();
  const tolerance = 1;
  if (
    !(slot.width > 0 && slot.height > 0) ||
    slot.x < box.x - tolerance ||
    slot.y < box.y - tolerance ||
    slot.x + slot.width > box.x + box.width + tolerance ||
    slot.y + slot.height > box.y + box.height + tolerance
  ) {
    throw invalid({ fr: `rectangle hors de la page ${slot.page + 1}`, en: `rectangle outside page ${slot.page + 1}` });
  }
}

/** Options of {@link placeSignature} (FORM-6). */
export interface PlaceSignatureOptions {
  /** The slot: `insured`, `director` or `line:N` (1-based fee line). */
  readonly slot: SlotId | string;
  /** The signature image, PNG (≤ 2 MiB, 8 to 4,096 pixels a side, `SIGNATURE_IMAGE_LIMITS` of `@s3404/form`), decoded completely before anything is drawn. */
  readonly image: Uint8Array;
  /** When the signature was captured (shown next to it, French legal time). */
  readonly capturedAt: Date;
  /** The bordereau the signature names; must be this PDF's (SIG-4). */
  readonly bordereauId: string;
  /**
   * The director's signature validates the whole accounting day (SIG-10):
   * the caption reads "jj/mm/aaaa hh:mm journée comptable".
   */
  readonly accountingDay?: boolean;
  /** Show « Mandat » even if the slot was not rendered as a mandate line (SIG-8). */
  readonly mandate?: boolean;
  /** The clock of the modification date written in the PDF. Default: `capturedAt` (so the output depends on the inputs only). */
  readonly now?: Clock;
  /** Language of error messages. Default `'fr'`. */
  readonly locale?: Locale;
}

/**
 * Draws a signature image into its slot of an S3404 PDF produced by this
 * package, with its caption: the capture time and the bordereau identifier,
 * « Mandat » on a delegated line, or "jj/mm/aaaa hh:mm journée comptable"
 * for an accounting-day validation (FORM-6). A slot can be signed once.
 * The result is deterministic for the same inputs. Captions share one font
 * subset, embedded by the first signature: later ones add their image and a
 * few hundred bytes.
 *
 * This is the drawing step only; checking the sealed record and consuming it
 * once belongs to `@s3404/seal`.
 *
 * `import { placeSignature } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const signed = await placeSignature(pdf, { slot: 'insured', image: png, capturedAt: new Date(), bordereauId })
 * ```
 * @throws {@link FormError} `ERR_PDF_UNREADABLE`, `ERR_SIGNATURE_IMAGE_INVALID`, `ERR_SLOT_INVALID` (the slot's page or
 * rectangle is not in the PDF), `ERR_BORDEREAU_ID_FORMAT` / `ERR_BORDEREAU_ID_CHECK` (a malformed identifier) (kind `input`);
 * `ERR_NOT_S3404_PDF`, `ERR_SLOT_UNKNOWN`, `ERR_SLOT_ALREADY_SIGNED`, `ERR_SLOT_BORDEREAU_MISMATCH` (kind `verdict`).
 * Use {@link checkPlacement} to know beforehand, as a verdict.
 * @public
 */
export async function loadAndSavePlacement(pdf: Uint8Array, options: PlaceSignatureOptions): Promise<Uint8Array> {
  const { locale, now } = checkPlacementInputs(pdf, options, 'placeSignature');
  return guardPdf(locale, () => place(pdf, options, now, locale));
}

/**
 * Checks the options and the data that do not need the PDF: a `TypeError`
 * for a programmer's mistake, a coded error for bad data (a malformed
 * bordereau identifier, an image that does not decode).
 */
function checkPlacementInputs(pdf: Uint8Array, options: PlaceSignatureOptions, fn: string): { locale: Locale; now: Date } {
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options are required`);
  const locale = resolveLocale(options.locale);
  assertPdfBytes(pdf, fn);
  if (!(options.capturedAt instanceof Date) || !Number.isFinite(options.capturedAt.getTime())) {
    throw new TypeError(`${fn}: options.capturedAt must be a valid Date`);
  }
  if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError(`${fn}: options.now must be a Clock, a function returning a Date`);
  // A malformed identifier is not "another bordereau": say what is wrong with it.
  const id = bordereauIdProblem(options.bordereauId);
  if (id !== null) throw new FormError(id.code as FormErrorCode, { params: id.params, locale });
  const image = checkSignatureImage(options.image, { locale, path: ['image'] });
  if (!image.ok) throw new FormError('ERR_SIGNATURE_IMAGE_INVALID', { params: image.params, issues: image.issues, locale });
  const now = options.now === undefined ? options.capturedAt : readClock(options.now, fn);
  return { locale, now };
}

async function place(pdf: Uint8Array, options: PlaceSignatureOptions, now: Date, locale: Locale): Promise<Uint8Array> {
  const doc = await loadPdf(pdf, locale);
  const info = readPieceInfo(doc, locale);
  if (options.bordereauId !== info.bordereauId) {
    throw new FormError('ERR_SLOT_BORDEREAU_MISMATCH', { params: { received: String(options.bordereauId).slice(0, 40), expected: info.bordereauId }, locale });
  }
  const slotId = parseSlotId(String(options.slot));
  const index = slotId === null ? -1 : info.slots.findIndex((s) => s.id === slotId);
  const slot = info.slots[index];
  if (slot === undefined) {
    const available = info.slots.map((s) => s.id).join(', ');
    throw new FormError('ERR_SLOT_UNKNOWN', { params: { received: String(options.slot).slice(0, 40), expected: available }, locale });
  }
  if (slot.signed) throw new FormError('ERR_SLOT_ALREADY_SIGNED', { params: { received: slot.id }, locale });
  if (options.accountingDay === true && slot.id !== 'director') {
    throw new FormError('ERR_SLOT_UNKNOWN', {
      params: { received: { fr: `${slot.id} (journée comptable)`, en: `${slot.id} (accounting day)` }, expected: 'director' },
      locale,
    });
  }
  checkSlotGeometry(doc, slot, locale);

  let image: Awaited<ReturnType<PDFDocument['embedPng']>>;
  try {
    image = await doc.embedPng(options.image);
  } catch (cause) {
    throw new FormError('ERR_SIGNATURE_IMAGE_INVALID', { params: { detail: { fr: 'PNG illisible', en: 'unreadable PNG' } }, locale, cause });
  }
  // Captions share one font subset holding every character a caption can
  // show: the first signature embeds it, later ones draw with it. The page's
  // own fonts are left untouched.
  const existing = captionFontRefs(doc);
  const fonts = prepareFonts(doc, { subset: true, names: CAPTION_FONT_NAMES, include: CAPTION_CHARACTERS, ...(existing === null ? {} : { existing }) });
  const page = doc.getPage(slot.page);
  const imageName = `S3404Sig${index}`;
  page.node.setXObject(PDFName.of(imageName), image.ref);
  addFontResources(page, fonts);

  // Caption band at the bottom of the slot, image above it (aspect kept).
  const w = new ContentWriter(fonts);
  const size = Math.max(4.5, Math.min(7, slot.height / 5));
  const when = formatDateTimeFr(options.capturedAt);
  const mandate = slot.mandate || options.mandate === true;
  const captionLines =
    options.accountingDay === true
      ? [`${when} journée comptable`, `Bordereau ${info.bordereauId}`]
      : [`Signé le ${when}${mandate ? ' — Mandat' : ''}`, `Bordereau ${info.bordereauId}`];
  const lineH = size * 1.15;
  const captionH = slot.height >= 4 * lineH ? 2 * lineH : lineH;
  const shown = captionH === lineH ? [`${captionLines[0]} · ${info.bordereauId}`] : captionLines;
  shown.forEach((line, i) => {
    w.textIn(
      line,
      slot.x + 1,
      slot.y + captionH - lineH * (i + 1) + size * 0.3,
      slot.width - 2,
      { size, bold: i === 0, color: i === 0 ? ACCENT : GREY },
      'left',
    );
  });
  const boxH = slot.height - captionH - 1;
  const scale = Math.min((slot.width - 2) / image.width, boxH / image.height);
  const iw = image.width * scale;
  const ih = image.height * scale;
  if (iw > 0 && ih > 0) w.image(imageName, slot.x + (slot.width - iw) / 2, slot.y + captionH + (boxH - ih) / 2, iw, ih);
  page.node.addContentStream(registerFlate(doc.context, w.toString()));
  const allowed = captionGlyphs(fonts);
  for (const face of ['regular', 'bold'] as const) {
    for (const gid of fonts.used[face]) if (!allowed[face].has(gid)) throw new Error(`placeSignature: caption glyph ${gid} outside the shared subset`);
  }
  await fonts.finalize();

  writePieceInfo(doc, { ...info, slots: info.slots.map((s, i) => (i === index ? { ...s, signed: true } : s)) }, now);
  doc.setModificationDate(now);
  const conformance = readCatalogConformance(doc);
  if (conformance !== undefined) doc.convertToPDFA({ conformance });
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}

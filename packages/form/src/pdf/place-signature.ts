import { bordereauIdProblem, resolveLocale, type Issue, type Locale, type LocalizedText, type MessageParams } from '@s3404/core';
import { isDict, isNumber, PdfReadError, PdfRef, type PdfDict } from '@s3404/core/pdf';
import { FormError } from '../errors/form-error.js';
import type { FormErrorCode } from '../errors/form-errors.js';
import { checkSignatureImage } from '../signature-image.js';
import { parseSlotId, type SlotId } from '../signature-slots.js';
import { assertPdfBytes } from './internal/load-pdf.js';
import { readBordereauRevisions, SIGNATURE_KEY, type BordereauRevisions } from './internal/bordereau-revisions.js';
import { pngToPdfImage } from './internal/png-image.js';
import { CAPTION_FONT_NAMES, signatureContent } from './internal/signature-drawing.js';
import type { SlotRecord } from './internal/slot-data.js';
import { openPdfFile, pdfReadFailure } from './revisions.js';
import { appendUpdate, copyDict, nextObjectNumber } from './syntax/append-update.js';
import type { PdfFile } from './syntax/pdf-file.js';
import { ref, textString, type WritableValue } from './syntax/serialize.js';

/**
 * The slot's page must exist and its rectangle lie inside that page: slot
 * data naming page 7 of a 3-page PDF is damaged data (`ERR_SLOT_INVALID`),
 * found before anything is drawn (FORM-6).
 */
function checkSlotGeometry(file: PdfFile, state: BordereauRevisions, slot: SlotRecord, locale: Locale): PdfRef {
  const pages = state.pages.length;
  const invalid = (detail: LocalizedText): FormError => new FormError('ERR_SLOT_INVALID', { params: { received: slot.id, detail }, locale });
  const pageRef = Number.isInteger(slot.page) ? state.pages[slot.page] : undefined;
  if (pageRef === undefined) {
    const page = Number.isFinite(slot.page) ? String(slot.page + 1) : '?';
    throw invalid({ fr: `page ${page} absente, le PDF a ${pages} page(s)`, en: `page ${page} does not exist, the PDF has ${pages} page(s)` });
  }
  const page = file.object(pageRef.num, 1);
  const box = isDict(page) ? file.resolve(page.get('MediaBox'), 1) : undefined;
  const tolerance = 1;
  if (
    !Array.isArray(box) ||
    box.length !== 4 ||
    !box.every(isNumber) ||
    !(slot.width > 0 && slot.height > 0) ||
    slot.x < (box[0] as number) - tolerance ||
    slot.y < (box[1] as number) - tolerance ||
    slot.x + slot.width > (box[2] as number) + tolerance ||
    slot.y + slot.height > (box[3] as number) + tolerance
  ) {
    throw invalid({ fr: `rectangle hors de la page ${slot.page + 1}`, en: `rectangle outside page ${slot.page + 1}` });
  }
  return pageRef;
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
  /**
   * The sealed record this signature comes from (its `id`), written in the
   * signature revision so that verifiers report which record signed which
   * slot (SIG-5). Default: none.
   */
  readonly recordId?: string;
  /** Language of error messages. Default `'fr'`. */
  readonly locale?: Locale;
}

/**
 * Draws a signature image into its slot of an S3404 PDF produced by this
 * package, with its caption: the capture time and the bordereau identifier,
 * « Mandat » on a delegated line, or "jj/mm/aaaa hh:mm journée comptable"
 * for an accounting-day validation (FORM-6). A slot can be signed once.
 *
 * The signature is appended as an incremental update (ISO 32000-1 §7.5.6):
 * the slot's page redefined with one more content stream and one more
 * image, a new cross-reference section and `/Prev`; every byte of the PDF
 * as given stays as it is, so {@link extractPdfRevision} shows the
 * bordereau as it was before each signature. The slots are read from the
 * first revision (the rendering), never from data a later update wrote, and
 * every later revision must be one of this SDK's signature revisions
 * (`ERR_PDF_MODIFIED` otherwise): an update that paints over the totals, a
 * seal, or edited slot data stop the placement. The result is deterministic
 * for the same inputs; captions draw with the caption fonts the rendering
 * embedded.
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
export async function placeSignature(pdf: Uint8Array, options: PlaceSignatureOptions): Promise<Uint8Array> {
  const { locale } = checkPlacementInputs(pdf, options, 'placeSignature');
  try {
    return await place(pdf, options, locale);
  } catch (e) {
    // Objects are read on demand: a damaged one is found while placing.
    if (e instanceof PdfReadError) throw pdfReadFailure(e, locale);
    throw e;
  }
}

/**
 * Checks the options and the data that do not need the PDF: a `TypeError`
 * for a programmer's mistake, a coded error for bad data (a malformed
 * bordereau identifier, an image that does not decode).
 */
function checkPlacementInputs(pdf: Uint8Array, options: PlaceSignatureOptions, fn: string): { locale: Locale } {
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options are required`);
  const locale = resolveLocale(options.locale);
  assertPdfBytes(pdf, fn);
  if (!(options.capturedAt instanceof Date) || !Number.isFinite(options.capturedAt.getTime())) {
    throw new TypeError(`${fn}: options.capturedAt must be a valid Date`);
  }
  if (options.recordId !== undefined && (typeof options.recordId !== 'string' || !/^[0-9a-f-]{1,64}$/.test(options.recordId))) {
    throw new TypeError(`${fn}: options.recordId must be a record id (lowercase hex and dashes)`);
  }
  // A malformed identifier is not "another bordereau": say what is wrong with it.
  const id = bordereauIdProblem(options.bordereauId);
  if (id !== null) throw new FormError(id.code as FormErrorCode, { params: id.params, locale });
  const image = checkSignatureImage(options.image, { locale, path: ['image'] });
  if (!image.ok) throw new FormError('ERR_SIGNATURE_IMAGE_INVALID', { params: image.params, issues: image.issues, locale });
  return { locale };
}

/**
 * The verdict of {@link checkPlacement} (FORM-6): `ok` with the slot that
 * would be signed, or the coded problem that {@link placeSignature} would
 * throw, as one issue.
 *
 * @public
 */
export type PlacementCheck =
  | { readonly ok: true; readonly issues: readonly []; readonly slot: SlotId; readonly bordereauId: string }
  | { readonly ok: false; readonly issues: readonly [Issue]; readonly code: FormErrorCode; readonly params: MessageParams; readonly error: FormError };

/**
 * Whether {@link placeSignature} would succeed with these options, without
 * changing anything (FORM-6, SIG-5): it runs the whole placement in memory —
 * the PDF and its slot data, the identifier, the slot (known, free, on a
 * page that exists, inside that page), the image decoded completely, the
 * drawing and the saving — and discards the result. `@s3404/seal/apply`
 * places before claiming a record, so that nothing that can fail on the PDF
 * fails after the record is used.
 *
 * `import { checkPlacement } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const check = await checkPlacement(pdf, { slot: 'insured', image: png, capturedAt, bordereauId })
 * if (!check.ok) console.log(check.code, check.issues[0].message) // e.g. ERR_SLOT_INVALID
 * ```
 * @returns a verdict; never throws for bad data.
 * @throws TypeError for malformed options (as {@link placeSignature}).
 * @public
 */
export async function checkPlacement(pdf: Uint8Array, options: PlaceSignatureOptions): Promise<PlacementCheck> {
  try {
    await placeSignature(pdf, options);
    return { ok: true, issues: [], slot: parseSlotId(String(options.slot))!, bordereauId: options.bordereauId };
  } catch (e) {
    if (!(e instanceof FormError)) throw e;
    return { ok: false, issues: [{ code: e.code, path: [], message: e.message }], code: e.code, params: e.params, error: e };
  }
}

async function place(pdf: Uint8Array, options: PlaceSignatureOptions, locale: Locale): Promise<Uint8Array> {
  const file = openPdfFile(pdf, locale);
  const state = readState(file, locale);
  const foreign = state.foreign[0];
  if (foreign !== undefined) throw new FormError('ERR_PDF_MODIFIED', { params: { received: foreign.revision, detail: foreign.detail }, locale });
  if (options.bordereauId !== state.bordereauId) {
    throw new FormError('ERR_SLOT_BORDEREAU_MISMATCH', { params: { received: String(options.bordereauId).slice(0, 40), expected: state.bordereauId }, locale });
  }
  const slotId = parseSlotId(String(options.slot));
  const index = slotId === null ? -1 : state.slots.findIndex((s) => s.id === slotId);
  const slot = state.slots[index];
  if (slot === undefined) {
    const available = state.slots.map((s) => s.id).join(', ');
    throw new FormError('ERR_SLOT_UNKNOWN', { params: { received: String(options.slot).slice(0, 40), expected: available }, locale });
  }
  if (slot.signed) throw new FormError('ERR_SLOT_ALREADY_SIGNED', { params: { received: slot.id }, locale });
  if (options.accountingDay === true && slot.id !== 'director') {
    throw new FormError('ERR_SLOT_UNKNOWN', {
      params: { received: { fr: `${slot.id} (journée comptable)`, en: `${slot.id} (accounting day)` }, expected: 'director' },
      locale,
    });
  }
  const render = state.render;
  if (render === undefined) throw new FormError('ERR_NOT_S3404_PDF', { locale });
  const pageRef = checkSlotGeometry(file, state, slot, locale);

  let image: Awaited<ReturnType<typeof pngToPdfImage>>;
  try {
    image = await pngToPdfImage(options.image);
  } catch (cause) {
    throw new FormError('ERR_SIGNATURE_IMAGE_INVALID', { params: { detail: { fr: 'PNG illisible', en: 'unreadable PNG' } }, locale, cause });
  }
  const mandate = slot.mandate || options.mandate === true;
  const accountingDay = options.accountingDay === true;
  const imageName = `S3404Sig${index}`;
  const content = signatureContent({
    slot,
    bordereauId: state.bordereauId,
    capturedAt: options.capturedAt,
    accountingDay,
    mandate,
    imageName,
    imageWidth: image.width,
    imageHeight: image.height,
  });

  // The update: the image (and its soft mask), the drawing with its descriptor, the page.
  let next = nextObjectNumber(file);
  const imageNum = next++;
  const maskNum = image.smask === undefined ? undefined : next++;
  const contentNum = next++;
  const imageDict = new Map(image.dict);
  if (maskNum !== undefined) imageDict.set('SMask', ref(maskNum));
  const descriptor = new Map<string, WritableValue>([
    ['Slot', textString(slot.id)],
    ['CapturedAt', textString(options.capturedAt.toISOString())],
    ...(options.recordId === undefined ? [] : ([['Record', textString(options.recordId)]] as const)),
    ...(accountingDay ? ([['AccountingDay', true]] as const) : []),
    ...(options.mandate === true ? ([['Mandate', true]] as const) : []),
  ]);
  const page = file.object(pageRef.num);
  if (!isDict(page)) throw new FormError('ERR_SLOT_INVALID', { params: { received: slot.id }, locale });
  const newPage = copyDict(page);
  // The page's resources: in the page (the SDK's rendering), or an object of their own (a vendor's form under an overlay).
  const resourcesRef = page.get('Resources') instanceof PdfRef ? (page.get('Resources') as PdfRef) : undefined;
  const resources = resourcesRef === undefined ? page.get('Resources') : file.object(resourcesRef.num);
  if (!isDict(resources)) throw new FormError('ERR_NOT_S3404_PDF', { locale });
  const newResources = copyDict(resources);
  const fonts = file.resolve(resources.get('Font'));
  const newFonts = isDict(fonts) ? copyDict(fonts) : new Map<string, WritableValue>();
  newFonts.set(CAPTION_FONT_NAMES.regular, render.captionFonts[0]);
  newFonts.set(CAPTION_FONT_NAMES.bold, render.captionFonts[1]);
  const xobjects = file.resolve(resources.get('XObject'));
  const newXObjects = isDict(xobjects) ? copyDict(xobjects as PdfDict) : new Map<string, WritableValue>();
  newXObjects.set(imageName, ref(imageNum));
  newResources.set('Font', newFonts);
  newResources.set('XObject', newXObjects);
  if (resourcesRef === undefined) newPage.set('Resources', newResources);
  const contents = page.get('Contents');
  const list = Array.isArray(contents) ? contents : contents instanceof PdfRef ? [contents] : [];
  newPage.set('Contents', [...list, ref(contentNum)]);
  return appendUpdate(file, [
    { num: imageNum, dict: imageDict, data: image.data },
    ...(maskNum === undefined ? [] : [{ num: maskNum, dict: image.smask!.dict, data: image.smask!.data }]),
    {
      num: contentNum,
      // Not compressed: a few hundred bytes, and a deflate call costs its fixed tables (about 200 KB of fresh
      // memory with fflate) — a tenth of a signature's placement (issue 19). Recognised by its decoded bytes.
      dict: new Map<string, WritableValue>([[SIGNATURE_KEY, descriptor]]),
      data: new TextEncoder().encode(content),
    },
    { num: pageRef.num, value: newPage },
    ...(resourcesRef === undefined ? [] : [{ num: resourcesRef.num, value: newResources }]),
  ]).bytes;
}

/** The bordereau's revisions, or `ERR_NOT_S3404_PDF`; unreadable structures become coded errors. */
function readState(file: PdfFile, locale: Locale): BordereauRevisions {
  let state: BordereauRevisions | null;
  try {
    state = readBordereauRevisions(file);
  } catch (e) {
    throw pdfReadFailure(e, locale);
  }
  if (state === null) throw new FormError('ERR_NOT_S3404_PDF', { locale });
  return state;
}

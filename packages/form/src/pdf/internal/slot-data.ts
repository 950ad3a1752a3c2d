import type { Locale } from '@s3404/core';
import { FormError } from '../../errors/form-error.js';
import type { SlotId } from '../../signature-slots.js';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFString, PDFHexString, type PDFDocument, type PDFRef } from './engine.js';

/**
 * The SDK's private data in a bordereau PDF, kept in the catalog's page-piece
 * dictionary (/PieceInfo /S3404, ISO 32000-1 §14.5): identifier, content hash
 * and the signature slots with their rectangles, so a signature can be placed
 * later from the PDF alone (FORM-6).
 */
/**
 * A signature slot of a rendered PDF: where the signature goes (points, PDF
 * coordinates from the bottom-left corner, page index from 0) (FORM-6).
 *
 * @public
 */
export interface RenderedSlot {
  readonly id: SlotId;
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The line is signed « pour mandat » (SIG-8). */
  readonly mandate: boolean;
}

/** A slot as stored in the PDF, with whether it carries a signature yet. */
export interface SlotRecord extends RenderedSlot {
  readonly signed: boolean;
}

export interface S3404PieceInfo {
  readonly bordereauId: string;
  /** FINESS of the establishment that bills (absent from PDFs made before it was recorded). */
  readonly finess?: string | undefined;
  readonly contentHash: string;
  readonly slots: readonly SlotRecord[];
}

const KEY = PDFName.of('S3404');

function pdfDate(date: Date): PDFString {
  return PDFString.fromDate(date);
}

/**
 * What a rendering records so that its first revision can be checked by
 * rendering again (FORM-6, SIG-5): the canonical content (the JSON whose
 * SHA-256 is the content hash), the layout template, the mode, PDF/A and the
 * clock; and the caption fonts every signature revision draws with.
 */
export interface RenderRecord {
  readonly data: PDFRef;
  readonly template: PDFRef;
  readonly mode: 'flat' | 'fillable' | 'overlay';
  readonly pdfa: boolean;
  readonly created: Date;
  readonly captionFonts: readonly [PDFRef, PDFRef];
  /** An overlay flattened the vendor's form. */
  readonly flatten?: boolean;
}

/** Writes (or replaces) the S3404 page-piece data of the document. */
export function writePieceInfo(doc: PDFDocument, info: S3404PieceInfo, modified: Date, render?: RenderRecord): void {
  const ctx = doc.context;
  const slots = info.slots.map((s) =>
    ctx.obj({
      Id: PDFString.of(s.id),
      Page: s.page,
      Rect: [round(s.x), round(s.y), round(s.width), round(s.height)],
      Mandate: s.mandate,
      Signed: s.signed,
    }),
  );
  const data = ctx.obj({
    LastModified: pdfDate(modified),
    Private: ctx.obj({
      Version: 1,
      BordereauId: PDFString.of(info.bordereauId),
      ...(info.finess === undefined ? {} : { Finess: PDFString.of(info.finess) }),
      ContentHash: PDFString.of(info.contentHash),
      Slots: ctx.obj(slots),
      ...(render === undefined
        ? {}
        : {
            Data: render.data,
            Render: ctx.obj({
              Version: 1,
              Template: render.template,
              Mode: PDFName.of(render.mode),
              PdfA: render.pdfa,
              Created: PDFString.of(render.created.toISOString()),
              ...(render.flatten === undefined ? {} : { Flatten: render.flatten }),
            }),
            CaptionFonts: ctx.obj([...render.captionFonts]),
          }),
    }),
  });
  const pieceInfo = doc.catalog.lookupMaybe(PDFName.of('PieceInfo'), PDFDict) ?? ctx.obj({});
  pieceInfo.set(KEY, data);
  doc.catalog.set(PDFName.of('PieceInfo'), pieceInfo);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function text(dict: PDFDict, key: string): string | undefined {
  const v = dict.lookup(PDFName.of(key));
  return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined;
}

/**
 * Reads the S3404 page-piece data.
 *
 * @throws FormError `ERR_NOT_S3404_PDF` when the PDF holds none (or a damaged one).
 */
export function readPieceInfo(doc: PDFDocument, locale: Locale): S3404PieceInfo {
  const fail = (): never => {
    throw new FormError('ERR_NOT_S3404_PDF', { locale });
  };
  try {
    const data = doc.catalog.lookupMaybe(PDFName.of('PieceInfo'), PDFDict)?.lookupMaybe(KEY, PDFDict);
    const priv = data?.lookupMaybe(PDFName.of('Private'), PDFDict);
    const arr = priv?.lookupMaybe(PDFName.of('Slots'), PDFArray);
    if (priv === undefined || arr === undefined) return fail();
    const bordereauId = text(priv, 'BordereauId');
    const contentHash = text(priv, 'ContentHash');
    if (bordereauId === undefined || contentHash === undefined) return fail();
    const slots: SlotRecord[] = [];
    for (let i = 0; i < arr.size() && i < 2000; i++) {
      const d = arr.lookup(i, PDFDict);
      const rect = d.lookup(PDFName.of('Rect'), PDFArray);
      const nums = [0, 1, 2, 3].map((k) => rect.lookup(k, PDFNumber).asNumber());
      const id = text(d, 'Id');
      const page = d.lookup(PDFName.of('Page'), PDFNumber).asNumber();
      if (id === undefined || !nums.every(Number.isFinite)) return fail();
      slots.push({
        id: id as SlotId,
        page,
        x: nums[0]!,
        y: nums[1]!,
        width: nums[2]!,
        height: nums[3]!,
        mandate: d.get(PDFName.of('Mandate'))?.toString() === 'true',
        signed: d.get(PDFName.of('Signed'))?.toString() === 'true',
      });
    }
    return { bordereauId, finess: text(priv, 'Finess'), contentHash, slots };
  } catch (cause) {
    if (cause instanceof FormError) throw cause;
    throw new FormError('ERR_NOT_S3404_PDF', { locale, cause });
  }
}

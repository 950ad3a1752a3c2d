import { PdfReadError, isDict, PdfString } from '@s3404/core/pdf';
import type { PdfDocument } from './document.js';

/**
 * What a bordereau PDF produced by `@s3404/form` says of itself (FORM-3,
 * FORM-6, SCOR-2): its identifier and which signature slots are signed,
 * from the page-piece data `/PieceInfo /S3404 /Private` of its catalog —
 * or, for a PDF without it, the `id:…` keyword of its metadata.
 *
 * @public
 */
export interface S3404Facts {
  readonly bordereauId: string;
  /** FINESS of the establishment, when the PDF records it. */
  readonly finess: string | null;
  /** Signature slots the PDF declares, or `null` when it declares none (keyword only). */
  readonly slots: number | null;
  /** Slots still unsigned (`insured`, `director`, `fee:3`…). */
  readonly unsigned: readonly string[];
}

const ID_KEYWORD = /(?:^|[\s,;])id:([0-9A-Z*~$=-]{8,64})(?=$|[\s,;])/;

export function readS3404Facts(doc: PdfDocument): S3404Facts | null {
  try {
    const catalog = doc.resolve(doc.trailer.get('Root'));
    const piece = isDict(catalog) ? doc.resolve(catalog.get('PieceInfo')) : undefined;
    const data = isDict(piece) ? doc.resolve(piece.get('S3404')) : undefined;
    const priv = isDict(data) ? doc.resolve(data.get('Private')) : undefined;
    if (isDict(priv)) {
      const id = doc.resolve(priv.get('BordereauId'));
      const slots = doc.resolve(priv.get('Slots'));
      if (id instanceof PdfString && Array.isArray(slots)) {
        const unsigned: string[] = [];
        for (const s of slots) {
          const slot = doc.resolve(s);
          if (!isDict(slot)) continue;
          const name = doc.resolve(slot.get('Id'));
          if (doc.resolve(slot.get('Signed')) !== true) unsigned.push(name instanceof PdfString ? name.text().slice(0, 32) : '?');
        }
        const finess = doc.resolve(priv.get('Finess'));
        return { bordereauId: id.text().slice(0, 64), finess: finess instanceof PdfString ? finess.text().slice(0, 9) : null, slots: slots.length, unsigned };
      }
    }
    const info = doc.resolve(doc.trailer.get('Info'));
    const keywords = isDict(info) ? doc.resolve(info.get('Keywords')) : undefined;
    const match = keywords instanceof PdfString ? ID_KEYWORD.exec(keywords.text()) : null;
    return match === null ? null : { bordereauId: match[1]!, finess: null, slots: null, unsigned: [] };
  } catch (e) {
    if (e instanceof PdfReadError && e.reason !== 'too-complex') return null;
    throw e;
  }
}

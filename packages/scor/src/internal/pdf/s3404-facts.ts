import { PdfReadError, isDict, PdfStream, PdfString } from '@s3404/core/pdf';
import { walkPages } from './pages.js';
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

/**
 * The slots the pages show a signature in: each signature `@s3404/form`
 * places is a content stream of its page carrying a `/S3404Sig` descriptor
 * with its `/Slot`. Whether those revisions are genuine is for the caller's
 * `inspectS3404` (packLot) to judge; this only reads the file.
 */
function signedSlots(doc: PdfDocument): Set<string> {
  const out = new Set<string>();
  for (const page of walkPages(doc, 2000).pages) {
    const contents = doc.resolve(page.dict.get('Contents'));
    for (const c of Array.isArray(contents) ? contents : [contents]) {
      const stream = doc.resolve(c);
      if (!(stream instanceof PdfStream)) continue;
      const descriptor = doc.resolve(stream.dict.get('S3404Sig'));
      const slot = isDict(descriptor) ? doc.resolve(descriptor.get('Slot')) : undefined;
      if (slot instanceof PdfString) out.add(slot.text().slice(0, 32));
    }
  }
  return out;
}

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
        const drawn = signedSlots(doc);
        const unsigned: string[] = [];
        for (const s of slots) {
          const slot = doc.resolve(s);
          if (!isDict(slot)) continue;
          const name = doc.resolve(slot.get('Id'));
          const id = name instanceof PdfString ? name.text().slice(0, 32) : '?';
          if (doc.resolve(slot.get('Signed')) !== true && !drawn.has(id)) unsigned.push(id);
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

import type { Locale } from '@s3404/core';
import { readSignatureSlots, verifyBordereauPdf, type SignatureSlotsState } from '@s3404/form/pdf';

/**
 * What a bordereau PDF says it was rendered for, and so what a record must be
 * bound to before it is drawn on it (SIG-4): its identifier and content hash,
 * with its signature slots (FORM-6).
 */
export interface PdfBinding {
  readonly bordereauId: string;
  /** SHA-256 of the bordereau's canonical JSON, lowercase hex: the one printed on every page. */
  readonly contentHash: string;
  readonly slots: SignatureSlotsState;
}

/**
 * Reads the binding target of a bordereau PDF (SIG-4, SIG-5): the ONE place
 * `@s3404/seal/apply` learns which bordereau, with which content, a PDF is.
 * `verifyBordereauPdf` of `@s3404/form/pdf` renders its first revision again
 * from the content it recorded and compares it byte for byte, and checks
 * that every later revision is one of the SDK's signature revisions: the
 * identifier and content hash returned are those of what the pages show,
 * not data an attacker could rewrite. A PDF that fails is refused with the
 * verdict's code before any record is claimed.
 *
 * @throws FormError of `@s3404/form`: `ERR_PDF_UNREADABLE`, `ERR_PDF_XREF_INVALID` (kind `input`), `ERR_NOT_S3404_PDF`,
 * `ERR_PDF_NOT_AUTHENTIC`, `ERR_PDF_MODIFIED` (kind `verdict`).
 */
export async function readPdfBinding(pdf: Uint8Array, locale: Locale, form?: Uint8Array): Promise<PdfBinding> {
  const verdict = await verifyBordereauPdf(pdf, { locale, ...(form === undefined ? {} : { form }) });
  if (verdict.error !== undefined) throw verdict.error;
  const slots = await readSignatureSlots(pdf, { locale });
  return { bordereauId: slots.bordereauId, contentHash: slots.contentHash, slots };
}

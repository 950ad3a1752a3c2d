import type { Locale, LocalizedText } from '@s3404/core';
import { FormError } from '../../errors/form-error.js';
import { BROKEN_STRUCTURE } from './guard.js';
import { PDFDocument } from './engine.js';

/** Largest PDF the SDK opens: 50 MB. */
export const MAX_PDF_BYTES = 50 * 1024 * 1024;

/**
 * Opens a PDF for reading or modification, with coded errors for anything
 * that is not a readable, unencrypted PDF (X-2).
 *
/** Programmer misuse: the PDF must be bytes. */
export function assertPdfBytes(bytes: unknown, fn: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: expected the PDF as a Uint8Array`);
}

/**
 * Opens a PDF for reading or modification, with coded errors for anything
 * that is not a readable, unencrypted PDF (X-2).
 *
 * @throws FormError `ERR_PDF_UNREADABLE` or `ERR_PDF_ENCRYPTED`.
 */
export async function loadPdf(bytes: Uint8Array, locale: Locale): Promise<PDFDocument> {
  const unreadable = (detail: LocalizedText, cause?: unknown): FormError => new FormError('ERR_PDF_UNREADABLE', { params: { detail }, locale, cause });
  if (bytes.byteLength > MAX_PDF_BYTES) throw unreadable({ fr: `plus de ${MAX_PDF_BYTES} octets`, en: `more than ${MAX_PDF_BYTES} bytes` });
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(1024, bytes.length)));
  if (!head.includes('%PDF-')) throw unreadable({ fr: 'en-tête %PDF- absent', en: 'no %PDF- header' });
  let doc: PDFDocument;
  let pages: number;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false, ignoreEncryption: true });
    if (doc.isEncrypted) throw new FormError('ERR_PDF_ENCRYPTED', { locale });
    // Walk the page tree now: a damaged one fails here, not later.
    pages = doc.getPages().length;
  } catch (cause) {
    if (cause instanceof FormError) throw cause;
    throw unreadable(BROKEN_STRUCTURE, cause);
  }
  if (pages === 0) throw unreadable({ fr: 'aucune page', en: 'no page' });
  return doc;
}

import { InputError } from '../../errors/s3404-error.js';
import { messageFor } from '../../errors/messages.js';
import type { Locale } from '../../errors/locale.js';
import { PDFDocument } from './engine.js';

/** Largest PDF the SDK opens: 50 MB. */
export const MAX_PDF_BYTES = 50 * 1024 * 1024;

/**
 * Opens a PDF for reading or modification, with coded errors for anything
 * that is not a readable, unencrypted PDF.
 *
 * @throws InputError `ERR_PDF_UNREADABLE` or `ERR_PDF_ENCRYPTED`.
 */
/** Programmer misuse: the PDF must be bytes. */
export function assertPdfBytes(bytes: unknown, fn: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: expected the PDF as a Uint8Array`);
}

export async function loadPdf(bytes: Uint8Array, locale: Locale): Promise<PDFDocument> {
  const unreadable = (detail: string, cause?: unknown): InputError =>
    new InputError('ERR_PDF_UNREADABLE', messageFor('ERR_PDF_UNREADABLE', { detail }, locale), cause === undefined ? undefined : { cause });
  if (bytes.byteLength > MAX_PDF_BYTES) throw unreadable(`plus de ${MAX_PDF_BYTES} octets`);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(1024, bytes.length)));
  if (!head.includes('%PDF-')) throw unreadable('en-tête %PDF- absent');
  let doc: PDFDocument;
  let pages: number;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false, ignoreEncryption: true });
    if (doc.isEncrypted) throw new InputError('ERR_PDF_ENCRYPTED', messageFor('ERR_PDF_ENCRYPTED', {}, locale));
    // Walk the page tree now: a damaged one fails here, not later.
    pages = doc.getPages().length;
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    throw unreadable('structure incorrecte', cause);
  }
  if (pages === 0) throw unreadable('aucune page');
  return doc;
}

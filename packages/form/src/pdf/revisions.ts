import { resolveLocale, type Locale } from '@s3404/core';
import { PdfReadError } from '@s3404/core/pdf';
import { FormError } from '../errors/form-error.js';
import { assertPdfBytes, MAX_PDF_BYTES } from './internal/load-pdf.js';
import { PdfFile } from './syntax/pdf-file.js';

/** One revision of a PDF, as {@link listPdfRevisions} reports it (FORM-6, SIG-5). @public */
export interface PdfRevision {
  /** 1-based: revision 1 is the file as first written (for a bordereau: as rendered). */
  readonly index: number;
  /** Length of the document as it was at this revision: {@link extractPdfRevision} gives these bytes. */
  readonly byteLength: number;
  /** Bytes this revision added (the whole file for revision 1). */
  readonly addedBytes: number;
  /** Kind of its cross-reference section. */
  readonly xref: 'table' | 'stream';
  /** Objects its cross-reference section defines or redefines. */
  readonly objects: readonly number[];
}

/** The revisions of a PDF (FORM-6, SIG-5). @public */
export interface PdfRevisionList {
  readonly revisions: readonly PdfRevision[];
  /** Bytes after the last `%%EOF` that are not white-space: data appended outside any revision. */
  readonly trailingBytes: number;
}

/**
 * Opens a PDF's revisions strictly (FORM-6, X-2) and maps the reader's
 * failures to coded errors. Shared by every function that reads or
 * appends revisions.
 *
 * @throws FormError `ERR_PDF_UNREADABLE` (not a PDF, too large, too complex), `ERR_PDF_XREF_INVALID` (kind `input`).
 * @internal
 */
export function openPdfFile(pdf: Uint8Array, locale: Locale): PdfFile {
  if (pdf.byteLength > MAX_PDF_BYTES) {
    throw new FormError('ERR_PDF_UNREADABLE', {
      params: { detail: { fr: `plus de ${MAX_PDF_BYTES} octets`, en: `more than ${MAX_PDF_BYTES} bytes` } },
      locale,
    });
  }
  try {
    return new PdfFile(pdf);
  } catch (e) {
    throw pdfReadFailure(e, locale);
  }
}

/**
 * The coded error for a failure of the strict PDF reader: a file without
 * PDF header is `ERR_PDF_UNREADABLE`; broken revisions are
 * `ERR_PDF_XREF_INVALID` with the reader's detail (English, technical).
 *
 * @internal
 */
export function pdfReadFailure(e: unknown, locale: Locale): FormError {
  if (e instanceof FormError) return e;
  if (!(e instanceof PdfReadError)) {
    return new FormError('ERR_PDF_XREF_INVALID', { params: { detail: { fr: 'structure incorrecte', en: 'broken structure' } }, locale, cause: e });
  }
  if (e.detail.startsWith('no startxref'))
    return new FormError('ERR_PDF_UNREADABLE', { params: { detail: { fr: 'ni startxref ni %%EOF', en: 'no startxref nor %%EOF' } }, locale, cause: e });
  if (e.detail.startsWith('no %PDF-'))
    return new FormError('ERR_PDF_UNREADABLE', { params: { detail: { fr: 'en-tête %PDF- absent', en: 'no %PDF- header' } }, locale, cause: e });
  if (e.reason === 'too-complex') return new FormError('ERR_PDF_UNREADABLE', { params: { detail: e.detail.slice(0, 120) }, locale, cause: e });
  return new FormError('ERR_PDF_XREF_INVALID', { params: { detail: e.detail.slice(0, 160) }, locale, cause: e });
}

/**
 * Lists the revisions of a PDF (FORM-6, SIG-5): the file as first written,
 * then each incremental update — for a bordereau of this SDK, the rendered
 * form, then one revision per signature placed and one per seal. Read
 * strictly: cross-reference sections where `startxref` says, chained by
 * `/Prev`, each revision's objects in its own bytes. Bytes appended after
 * the last `%%EOF` are counted, not hidden.
 *
 * `import { listPdfRevisions } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const { revisions } = listPdfRevisions(signedPdf)
 * console.log(revisions.length) // 1 + the signatures placed
 * ```
 * @throws {@link FormError} `ERR_PDF_UNREADABLE`, `ERR_PDF_XREF_INVALID` (a broken or hybrid cross-reference) (kind `input`).
 * @public
 */
export function listPdfRevisions(pdf: Uint8Array, options: { readonly locale?: Locale } = {}): PdfRevisionList {
  assertPdfBytes(pdf, 'listPdfRevisions');
  const locale = resolveLocale(options.locale);
  const file = openPdfFile(pdf, locale);
  return {
    revisions: file.revisions.map((r) => ({
      index: r.index,
      byteLength: r.end,
      addedBytes: r.end - r.start,
      xref: r.xref,
      objects: [...r.entries.keys()].sort((a, b) => a - b),
    })),
    trailingBytes: file.trailingBytes,
  };
}

/**
 * The document as it was at one revision (FORM-6, SIG-5): the exact bytes
 * of the file up to that revision's `%%EOF` — a complete PDF that any
 * viewer opens, showing the bordereau as it was when that signature was
 * placed. Nothing is re-serialised.
 *
 * `import { extractPdfRevision } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const asRendered = extractPdfRevision(signedPdf, 1)
 * ```
 * @throws {@link FormError} `ERR_PDF_REVISION_NOT_FOUND`, `ERR_PDF_UNREADABLE`, `ERR_PDF_XREF_INVALID` (kind `input`).
 * @throws TypeError when `index` is not an integer.
 * @public
 */
export function extractPdfRevision(pdf: Uint8Array, index: number, options: { readonly locale?: Locale } = {}): Uint8Array {
  assertPdfBytes(pdf, 'extractPdfRevision');
  if (!Number.isInteger(index)) throw new TypeError('extractPdfRevision: index must be an integer');
  const locale = resolveLocale(options.locale);
  const file = openPdfFile(pdf, locale);
  const revision = file.revisions[index - 1];
  if (index < 1 || revision === undefined) {
    throw new FormError('ERR_PDF_REVISION_NOT_FOUND', { params: { received: index, expected: file.revisions.length }, locale });
  }
  return pdf.slice(0, revision.end);
}

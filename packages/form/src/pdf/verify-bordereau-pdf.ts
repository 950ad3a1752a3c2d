import { resolveLocale, type Issue, type Locale, type LocalizedText } from '@s3404/core';
import { PdfReadError, PdfStream } from '@s3404/core/pdf';
import { contentHash as hashOf } from '../content-hash.js';
import { FormError } from '../errors/form-error.js';
import type { FormErrorCode } from '../errors/form-errors.js';
import { parseBordereau } from '../validate-bordereau.js';
import type { SlotId } from '../signature-slots.js';
import { readBordereauRevisions, type BordereauRevisions } from './internal/bordereau-revisions.js';
import { assertPdfBytes } from './internal/load-pdf.js';
import { isKnownRendering, rememberKnown, renderingKey } from './internal/authentic-renderings.js';
import { overlayBordereauPdf, parseFieldMap } from './overlay-pdf.js';
import { parseTemplate, renderBordereauPdf } from './render-pdf.js';
import { openPdfFile } from './revisions.js';
import { sameBytes } from './syntax/same-value.js';
import type { PdfFile } from './syntax/pdf-file.js';

/** Options of {@link verifyBordereauPdf} (FORM-6, SIG-4, SIG-5). @public */
export interface VerifyBordereauPdfOptions {
  /** The content hash the PDF must render (the one a signature record carries). Default: the one the PDF declares. */
  readonly contentHash?: string;
  /** For a PDF made by `overlayBordereauPdf`: the vendor's form it was drawn on (the same bytes). */
  readonly form?: Uint8Array;
  /** Language of messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** The verdict of {@link verifyBordereauPdf} (FORM-6, SIG-5, conventions §5). @public */
export interface BordereauPdfVerdict {
  readonly ok: boolean;
  readonly issues: readonly Issue[];
  /** The first problem as the coded error a caller throws to refuse the PDF (absent when `ok`). */
  readonly error?: FormError;
  /** The identifier and content hash revision 1 declares (`undefined` when it is no S3404 PDF). */
  readonly bordereauId?: string;
  readonly contentHash?: string;
  /** Revision 1 is exactly what the SDK renders for that content, with the options and clock it recorded. */
  readonly authentic: boolean;
  /** How revision 1 was made: `overlay` needs the vendor's form (`form`) to be rendered again. */
  readonly mode?: 'flat' | 'fillable' | 'overlay';
  /** The SDK's signature revisions: slot, record, capture time. */
  readonly signatures: readonly { readonly revision: number; readonly slot: SlotId; readonly recordId?: string; readonly capturedAt: string }[];
  /** Revisions that are not SDK signature revisions (a PAdES seal, an edit). */
  readonly otherRevisions: readonly { readonly revision: number; readonly detail: string }[];
}

/**
 * Checks that a bordereau PDF is what it claims to be, before a signature is
 * applied to it (FORM-6, SIG-4, SIG-5): revision 1 is rendered again from
 * the content and the options it recorded (canonical bordereau, layout
 * template or field map, mode, PDF/A, clock) and compared byte for byte —
 * so the pages, the totals and the slot rectangles are exactly what the SDK
 * draws for the content hash a record is bound to —, and every later
 * revision is one of the SDK's signature revisions (each drawing only in its
 * own slot, drawn again and compared). An update that paints over the
 * totals, a slot moved or marked signed, another bordereau's slot data, or
 * pages edited in revision 1 itself all fail.
 *
 * Rendering again costs what rendering costs (a few milliseconds flat, about
 * 0.1 s fillable). A PAdES seal is a foreign revision here: a sealed
 * bordereau is finished.
 *
 * `import { verifyBordereauPdf } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const verdict = await verifyBordereauPdf(pdf, { contentHash: record.scope.contentHash })
 * if (!verdict.ok) console.log(verdict.issues[0]?.message)
 * ```
 * @returns a verdict; never throws for bad data.
 * @throws TypeError when `pdf` is not a `Uint8Array`.
 * @public
 */
export async function verifyBordereauPdf(pdf: Uint8Array, options: VerifyBordereauPdfOptions = {}): Promise<BordereauPdfVerdict> {
  assertPdfBytes(pdf, 'verifyBordereauPdf');
  const locale = resolveLocale(options.locale);
  const errors: FormError[] = [];
  const issue = (code: FormErrorCode, params: Record<string, string | number | LocalizedText> = {}): Issue => {
    const error = new FormError(code, { params, locale });
    errors.push(error);
    return { code, path: [], message: error.message };
  };
  const empty = { authentic: false, signatures: [], otherRevisions: [] };
  let file: PdfFile;
  let state: BordereauRevisions | null;
  try {
    file = openPdfFile(pdf, locale);
    state = readBordereauRevisions(file);
  } catch (e) {
    if (e instanceof FormError) return { ok: false, issues: [{ code: e.code, path: [], message: e.message }], error: e, ...empty };
    if (e instanceof PdfReadError) {
      const issues = [issue('ERR_PDF_XREF_INVALID', { detail: e.detail.slice(0, 160) })];
      return { ok: false, issues, error: errors[0]!, ...empty };
    }
    throw e;
  }
  if (state === null) {
    const issues = [issue('ERR_NOT_S3404_PDF')];
    return { ok: false, issues, error: errors[0]!, ...empty };
  }
  const issues: Issue[] = [];
  if (options.contentHash !== undefined && options.contentHash !== state.contentHash) {
    issues.push(issue('ERR_PDF_CONTENT_MISMATCH', { received: state.contentHash, expected: String(options.contentHash).slice(0, 64) }));
  }
  const authentic = await rendersAgain(file, state, options.form, locale);
  if (authentic !== true) issues.push(issue('ERR_PDF_NOT_AUTHENTIC', { detail: authentic }));
  const foreign = state.foreign[0];
  if (foreign !== undefined) issues.push(issue('ERR_PDF_MODIFIED', { received: foreign.revision, detail: foreign.detail }));
  return {
    ok: issues.length === 0,
    issues,
    ...(errors[0] === undefined ? {} : { error: errors[0] }),
    bordereauId: state.bordereauId,
    contentHash: state.contentHash,
    authentic: authentic === true,
    ...(state.render === undefined ? {} : { mode: state.render.mode }),
    signatures: state.signatures.map((g) => ({
      revision: g.revision,
      slot: g.slot,
      ...(g.recordId === undefined ? {} : { recordId: g.recordId }),
      capturedAt: g.capturedAt.toISOString(),
    })),
    otherRevisions: state.foreign,
  };
}

/** `true` when revision 1 is the SDK's rendering of what it recorded; otherwise why not. */
async function rendersAgain(file: PdfFile, state: BordereauRevisions, form: Uint8Array | undefined, locale: Locale): Promise<true | LocalizedText> {
  const r = state.render;
  if (r === undefined)
    return { fr: 'rendu par une version antérieure du SDK, sans ses données de rendu', en: 'rendered by an earlier SDK version, without its rendering record' };
  // The same first revision (byte for byte) rendered, or already rendered again, in this process: same verdict
  // (issue 19). (Overlays, rendered again on the vendor's form, are not remembered.)
  const first = file.bytes.subarray(0, file.revisions[0]!.end);
  const key = form === undefined ? renderingKey(first, state.contentHash) : undefined;
  if (key !== undefined && isKnownRendering(key)) return true;
  try {
    const data = file.object(r.data.num, 1);
    const template = file.object(r.template.num, 1);
    if (!(data instanceof PdfStream) || !(template instanceof PdfStream)) return { fr: 'données de rendu absentes', en: 'rendering record missing' };
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const bordereau = parseBordereau(JSON.parse(decoder.decode(file.decode(data, 8 << 20))), { locale });
    if (hashOf(bordereau) !== state.contentHash)
      return { fr: 'le contenu enregistré n’a pas l’empreinte déclarée', en: 'the recorded content does not have the declared hash' };
    const layout: unknown = JSON.parse(decoder.decode(file.decode(template, 1 << 20)));
    const now = (): Date => r.created;
    let again: Uint8Array;
    if (r.mode === 'overlay') {
      if (form === undefined)
        return {
          fr: 'bordereau superposé au formulaire officiel : fournissez ce formulaire (form)',
          en: 'overlay on the official form: supply that form (form)',
        };
      again = (await overlayBordereauPdf(bordereau, form, parseFieldMap(layout, { locale }), { now, pdfa: r.pdfa, flatten: r.flatten, locale })).bytes;
    } else {
      again = (await renderBordereauPdf(bordereau, { template: parseTemplate(layout, { locale }), mode: r.mode, pdfa: r.pdfa, now, locale })).bytes;
    }
    if (!sameBytes(again, first)) return { fr: 'les pages diffèrent du rendu de ce contenu', en: 'the pages differ from the rendering of this content' };
    if (key !== undefined) rememberKnown(key);
    return true;
  } catch (e) {
    if (e instanceof FormError || e instanceof PdfReadError || e instanceof SyntaxError || e instanceof TypeError) {
      return { fr: 'données de rendu illisibles', en: 'unreadable rendering record' };
    }
    throw e;
  }
}

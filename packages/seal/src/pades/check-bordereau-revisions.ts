import { resolveLocale, type Locale } from '@s3404/core';
import { FORM_ERRORS } from '@s3404/form/errors';
import { verifyBordereauPdf } from '@s3404/form/pdf';
import { describePdfRevisions } from './describe-revisions.js';

/**
 * A problem with a signed bordereau's revisions (SIG-5, SCOR-2): its code and
 * its message in the locale asked for.
 *
 * `import type { BordereauRevisionProblem } from '@s3404/seal/pdf'`
 *
 * @public
 */
export interface BordereauRevisionProblem {
  readonly code: string;
  readonly message: string;
}

/**
 * Options of {@link checkBordereauRevisions} (SIG-5).
 *
 * `import type { CheckBordereauRevisionsOptions } from '@s3404/seal/pdf'`
 *
 * @public
 */
export interface CheckBordereauRevisionsOptions {
  /** Language of the messages. Default `fr`. */
  readonly locale?: Locale | undefined;
}

/**
 * Whether a bordereau PDF follows the pattern the SDK writes (SIG-5, SCOR-2):
 * revision 1 is the SDK's rendering of the content hash it declares
 * (rendered again and compared; an overlay on a vendor's form cannot be
 * rendered again without that form and is judged on its later revisions
 * only), then the SDK's signature revisions, then PAdES seals and their
 * validation data — nothing else. `verifyBordereauPdf` of `@s3404/form`
 * recognises the rendering and signature revisions, {@link describePdfRevisions}
 * the seals; what `s3404 scor pack` and the conformance suite give
 * `packLot`'s `inspectS3404`. An empty list: the bordereau is as the SDK left it.
 *
 * `import { checkBordereauRevisions } from '@s3404/seal/pdf'`
 *
 * @example
 * ```ts
 * const problems = await checkBordereauRevisions(pdf, { locale: 'en' })
 * if (problems.length > 0) console.log(problems[0].code) // 'ERR_PDF_MODIFIED'
 * ```
 * @throws FormError `ERR_PDF_INVALID` for bytes that are not a PDF.
 * @public
 */
export async function checkBordereauRevisions(pdf: Uint8Array, options: CheckBordereauRevisionsOptions = {}): Promise<BordereauRevisionProblem[]> {
  const locale = resolveLocale(options.locale);
  const verdict = await verifyBordereauPdf(pdf, { locale });
  const problems: BordereauRevisionProblem[] = [];
  for (const issue of verdict.issues) {
    if (issue.code === 'ERR_PDF_MODIFIED') continue; // judged below: seals are allowed
    if (issue.code === 'ERR_PDF_NOT_AUTHENTIC' && verdict.mode === 'overlay') continue;
    problems.push({ code: issue.code, message: issue.message });
  }
  if (verdict.otherRevisions.length > 0) {
    const kinds = await describePdfRevisions(pdf, { locale });
    const modified = verdict.otherRevisions.find((r) => {
      const kind = kinds[r.revision - 1]?.kind;
      return kind !== 'signature' && kind !== 'dss';
    });
    if (modified !== undefined) {
      const detail = kinds[modified.revision - 1]?.detail ?? modified.detail;
      problems.push({ code: 'ERR_PDF_MODIFIED', message: FORM_ERRORS.message('ERR_PDF_MODIFIED', { received: modified.revision, detail }, locale) });
    }
  }
  return problems;
}

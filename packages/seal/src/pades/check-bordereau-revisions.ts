import { resolveLocale, type Issue, type Locale } from '@s3404/core';
import { FORM_ERRORS } from '@s3404/form/errors';
import { verifyBordereauPdf } from '@s3404/form/pdf';
import { describePdfRevisions } from './describe-revisions.js';

/**
 * The verdict of {@link checkBordereauRevisions} (SIG-5, SCOR-2): `ok` when
 * the bordereau is as the SDK left it; otherwise its issues (the rendering's
 * codes of `@s3404/form`, `ERR_PDF_MODIFIED` for a revision that is neither a
 * signature of the SDK nor a seal), messages in the locale asked for.
 *
 * `import type { BordereauRevisionVerdict } from '@s3404/seal/pdf'`
 *
 * @public
 */
export interface BordereauRevisionVerdict {
  readonly ok: boolean;
  readonly issues: readonly Issue[];
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
 * the seals; its issues are what `s3404 scor pack` and the conformance suite
 * give `packLot`'s `inspectS3404`.
 *
 * `import { checkBordereauRevisions } from '@s3404/seal/pdf'`
 *
 * @example
 * ```ts
 * const verdict = await checkBordereauRevisions(pdf, { locale: 'en' })
 * if (!verdict.ok) console.log(verdict.issues[0]?.code) // 'ERR_PDF_MODIFIED'
 * ```
 * @throws FormError `ERR_PDF_INVALID` for bytes that are not a PDF.
 * @public
 */
export async function checkBordereauRevisions(pdf: Uint8Array, options: CheckBordereauRevisionsOptions = {}): Promise<BordereauRevisionVerdict> {
  const locale = resolveLocale(options.locale);
  const verdict = await verifyBordereauPdf(pdf, { locale });
  const issues: Issue[] = [];
  for (const issue of verdict.issues) {
    if (issue.code === 'ERR_PDF_MODIFIED') continue; // judged below: seals are allowed
    if (issue.code === 'ERR_PDF_NOT_AUTHENTIC' && verdict.mode === 'overlay') continue;
    issues.push(issue);
  }
  if (verdict.otherRevisions.length > 0) {
    const kinds = await describePdfRevisions(pdf, { locale });
    const modified = verdict.otherRevisions.find((r) => {
      const kind = kinds[r.revision - 1]?.kind;
      return kind !== 'signature' && kind !== 'dss';
    });
    if (modified !== undefined) {
      const detail = kinds[modified.revision - 1]?.detail ?? modified.detail;
      issues.push({
        code: 'ERR_PDF_MODIFIED',
        path: ['revisions', modified.revision],
        message: FORM_ERRORS.message('ERR_PDF_MODIFIED', { received: modified.revision, detail }, locale),
      });
    }
  }
  return { ok: issues.length === 0, issues };
}

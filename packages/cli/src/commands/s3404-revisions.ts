import type { Locale } from '@s3404/core';
import { FORM_ERRORS } from '@s3404/form/errors';
import { verifyBordereauPdf } from '@s3404/form/pdf';
import { describePdfRevisions } from '@s3404/seal/pdf';

/** A problem with a signed S3404's revisions, as `scor check` and `scor pack` report it (SIG-5). */
export interface RevisionProblem {
  readonly code: string;
  readonly message: string;
}

/**
 * Whether a bordereau PDF follows the pattern the SDK writes (SIG-5, SCOR-2):
 * revision 1 is the SDK's rendering of the content hash it declares
 * (rendered again and compared; an overlay on a vendor's form cannot be
 * rendered again without that form and is judged on its later revisions
 * only), then the SDK's signature revisions, then PAdES seals and their
 * validation data — nothing else. The glue between `@s3404/form`, which
 * recognises signature revisions, `@s3404/seal`, which recognises seals, and
 * `@s3404/scor`, which packs the lot.
 */
export async function s3404RevisionProblems(pdf: Uint8Array, locale: Locale): Promise<RevisionProblem[]> {
  const verdict = await verifyBordereauPdf(pdf, { locale });
  const problems: RevisionProblem[] = [];
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

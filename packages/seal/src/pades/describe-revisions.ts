import { resolveLocale, type Locale } from '@s3404/core';
import { FormError } from '@s3404/form';
import { openPdfFile, readSignatureSlots, type PdfFile } from '@s3404/form/pdf';
import { classifyRevision, type RevisionKind } from './classify-revision.js';

/** One revision of the verified PDF and what it did (SIG-5). @public */
export interface RevisionReport {
  readonly index: number;
  readonly kind: 'original' | RevisionKind;
  readonly detail?: string;
  readonly slot?: string;
  readonly recordId?: string;
}

/**
 * Every revision of a PDF and what it did (SIG-5), without checking any
 * signature: revision 1 is `original`; a bordereau's handwritten signatures
 * placed by this SDK are `sdk-signature` (with the slot and the sealed
 * record's id); seals are `signature`, validation data `dss`, anything else
 * `other` — as {@link verifyPdfSeal} reports them. What `scor pack` uses to
 * refuse a bordereau whose revisions do not follow the pattern rendering,
 * signatures, seals.
 *
 * `import { describePdfRevisions } from '@s3404/seal/pdf'`
 *
 * @example
 * ```ts
 * const revisions = await describePdfRevisions(pdf)
 * if (revisions.some((r) => r.kind === 'other')) console.log('modifié hors du SDK')
 * ```
 * @throws `FormError` `ERR_PDF_UNREADABLE`, `ERR_PDF_XREF_INVALID` (kind `input`).
 * @public
 */
export async function describePdfRevisions(pdf: Uint8Array, options: { readonly locale?: Locale } = {}): Promise<RevisionReport[]> {
  if (!(pdf instanceof Uint8Array)) throw new TypeError('describePdfRevisions: the PDF must be a Uint8Array');
  const locale = resolveLocale(options.locale);
  return revisionReports(pdf, openPdfFile(pdf, locale), locale);
}

/** The revisions of an opened file, classified. */
export async function revisionReports(pdf: Uint8Array, file: PdfFile, locale: Locale): Promise<RevisionReport[]> {
  // A bordereau of this SDK: its handwritten signature revisions, recognised by @s3404/form.
  const handwritten = new Map<number, { slot: string; recordId?: string }>();
  try {
    for (const g of (await readSignatureSlots(pdf, { locale })).signatures) handwritten.set(g.revision, g);
  } catch (e) {
    if (!(e instanceof FormError)) throw e;
  }
  const revisions: RevisionReport[] = [{ index: 1, kind: 'original' }];
  for (let i = 2; i <= file.revisions.length; i++) {
    const g = handwritten.get(i);
    if (g !== undefined) {
      revisions.push({ index: i, kind: 'sdk-signature', slot: g.slot, ...(g.recordId === undefined ? {} : { recordId: g.recordId }) });
      continue;
    }
    let c: { kind: RevisionKind; detail?: string };
    try {
      c = classifyRevision(file, i);
    } catch {
      c = { kind: 'other', detail: 'unreadable objects' };
    }
    revisions.push({ index: i, kind: c.kind, ...(c.detail === undefined ? {} : { detail: c.detail }) });
  }
  return revisions;
}

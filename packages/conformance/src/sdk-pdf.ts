/**
 * What `verifyPdfSeal` of the SDK answers, as far as the runner judges it (SIG-3, SIG-4, X-3): the
 * three-valued verdict, its issues' codes, and each signature's status and ETSI EN 319 102-1
 * sub-indication. `PdfSealVerdict` of `@s3404/seal/pdf` has this shape.
 *
 * `import type { ConformancePdfSealVerdict } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformancePdfSealVerdict {
  readonly ok: boolean;
  readonly status: 'passed' | 'failed' | 'indeterminate';
  readonly issues: readonly { readonly code: string }[];
  readonly signatures: readonly { readonly status: 'passed' | 'failed' | 'indeterminate'; readonly subIndication?: string; readonly code?: string }[];
}

/**
 * What `verifyBordereauPdf` of the SDK answers (FORM-6, X-3): accepted, or refused with its issues'
 * codes. `BordereauPdfVerdict` of `@s3404/form/pdf` has this shape.
 *
 * `import type { ConformanceBordereauPdfVerdict } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceBordereauPdfVerdict {
  readonly ok: boolean;
  readonly issues: readonly { readonly code: string }[];
  /** The identifier and content hash revision 1 declares. Optional: with `signatures`, what `judgeArtifacts` matches records with (SIG-4, SIG-6). */
  readonly bordereauId?: string;
  readonly contentHash?: string;
  /** The signature revisions and the record each names. Optional. */
  readonly signatures?: readonly { readonly slot: string; readonly recordId?: string }[];
}

/**
 * The bordereau PDF checks under test (FORM-4, FORM-6, FORM-7, SIG-3, SIG-4, X-3): `verifyPdfSeal`
 * of `@s3404/seal/pdf` and `verifyBordereauPdf` of `@s3404/form/pdf` as they are, or a vendor's own.
 * Trust anchors are DER certificates; `now` is the vector's checking time.
 *
 * `import type { ConformancePdfSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { verifyBordereauPdf } from '@s3404/form/pdf'
 * import { verifyPdfSeal } from '@s3404/seal/pdf'
 * const pdf: ConformancePdfSdk = { verifyPdfSeal, verifyBordereauPdf }
 * ```
 * @public
 */
export interface ConformancePdfSdk {
  readonly verifyPdfSeal: (
    pdf: Uint8Array,
    options: { readonly trustAnchors: readonly Uint8Array[]; readonly now: () => Date },
  ) => Promise<ConformancePdfSealVerdict>;
  readonly verifyBordereauPdf: (pdf: Uint8Array, options: { readonly contentHash?: string }) => Promise<ConformanceBordereauPdfVerdict>;
  /**
   * The revisions pattern of a signed bordereau (SIG-5): `ok` when the PDF is
   * the SDK's rendering, its signature revisions, then PAdES seals only; else
   * the issues found (`checkBordereauRevisions` of `@s3404/seal/pdf`). Used
   * by `judgeArtifacts`; without it, SIG-5 of a bordereau PDF is indeterminate.
   */
  readonly checkBordereauRevisions?: (
    pdf: Uint8Array,
  ) => Promise<{ readonly ok: boolean; readonly issues: readonly { readonly code: string; readonly message?: string }[] }>;
}

/**
 * The fillable-form reading under test (FORM-5, X-3): `readBordereauFromPdf`
 * of `@s3404/form/pdf` or a vendor's own. It reads a fillable bordereau PDF
 * (rendered with `mode: 'fillable'`, perhaps edited) back into the model, and
 * refuses with a coded error (`ERR_BORDEREAU_INVALID` with its `issues`,
 * `ERR_ACROFORM_MISSING`, `ERR_PDF_UNREADABLE`…).
 *
 * `import type { ConformanceFormFillableSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { readBordereauFromPdf } from '@s3404/form/pdf'
 * const sdk: ConformanceSdk = { formFillable: { readBordereauFromPdf } }
 * ```
 * @public
 */
export interface ConformanceFormFillableSdk {
  readonly readBordereauFromPdf: (pdf: Uint8Array) => Promise<unknown>;
}

/**
 * The bordereau validation under test (FORM-1, FORM-2, FORM-3, X-3): the
 * `validateBordereau` of `@s3404/form` or a vendor's own. It takes the
 * bordereau as parsed JSON (`unknown`: vectors also give `null`, arrays and
 * wrong types) and answers a verdict with every issue found, the first one
 * first.
 *
 * `import type { ConformanceFormModelSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { validateBordereau } from '@s3404/form'
 * const sdk: ConformanceSdk = { formModel: { validateBordereau } }
 * ```
 * @public
 */
export interface ConformanceFormModelSdk {
  readonly validateBordereau: (json: unknown) => { readonly ok: boolean; readonly issues: readonly { readonly code: string }[] };
}

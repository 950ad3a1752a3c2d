/**
 * The policy a PJ-check vector sets (SCOR-1, X-3): the `PjPolicy` of `@s3404/scor`, as JSON. A
 * field left out takes the default — 200 dpi, colour and grey accepted, bilevel accepted, 50
 * pages, 20 MiB, 5 % coverage for a scan, damaged files repaired with a warning.
 *
 * `import type { ConformanceScorPjPolicy } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceScorPjPolicy {
  readonly minDpi?: number;
  readonly colour?: 'colour' | 'grey';
  readonly allowBilevel?: boolean;
  readonly maxPages?: number;
  readonly maxBytes?: number;
  readonly scanCoverage?: number;
  readonly strict?: boolean;
}

/**
 * What a PJ check of the SDK answers (SCOR-1, X-3): acceptable or not, every issue it reports
 * with its code and severity (`error` refuses the PJ, `warning` reports a repair), and, when it
 * measures them, each page's size and each image's resolution as painted (compared with the sizes
 * and resolutions `pdfinfo` and `pdfimages -list` read).
 *
 * `import type { ConformanceScorPjReport } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceScorPjReport {
  readonly ok: boolean;
  readonly issues: readonly { readonly code: string; readonly severity: 'error' | 'warning' }[];
  readonly pages?: readonly {
    readonly widthMm: number;
    readonly heightMm: number;
    readonly images: readonly { readonly dpiX: number; readonly dpiY: number; readonly scan: boolean }[];
  }[];
}

/**
 * The PJ check under test (SCOR-1, X-3): `checkPj` of `@s3404/scor` or a vendor's own, given
 * the bytes of a pièce justificative and the vector's policy.
 *
 * `import type { ConformanceScorPjSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { checkPj } from '@s3404/scor'
 * const scorPj: ConformanceScorPjSdk = {
 *   checkPj: (bytes, { policy }) => checkPj(bytes, policy), // { ok, issues, pages, … }
 * }
 * ```
 * @public
 */
export interface ConformanceScorPjSdk {
  readonly checkPj: (bytes: Uint8Array, options: { readonly policy: ConformanceScorPjPolicy }) => ConformanceScorPjReport | Promise<ConformanceScorPjReport>;
}

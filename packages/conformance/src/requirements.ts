/**
 * Every requirement of the SPEC's list, in the SPEC's order: the rows of
 * a conformance report. A requirement is covered when at least
 * {@link MIN_PASSING_VECTORS} of its vectors pass.
 *
 * `import { SPEC_REQUIREMENTS } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * SPEC_REQUIREMENTS.includes('FORM-2') // true
 * ```
 * @public
 */
export const SPEC_REQUIREMENTS: readonly string[] = Object.freeze([
  ...['1', '2', '3', '4', '5', '6', '7'].map((n) => `FORM-${n}`),
  ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].map((n) => `SIG-${n}`),
  ...['1', '2', '3', '4'].map((n) => `AUD-${n}`),
  ...['1', '2', '3'].map((n) => `SCOR-${n}`),
  ...['1', '2', '3', '4'].map((n) => `X-${n}`),
]);

/**
 * How many passing vectors a requirement needs to be `passed`; with
 * fewer and none failed, it is `not-covered`.
 *
 * `import { MIN_PASSING_VECTORS } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * MIN_PASSING_VECTORS // 3
 * ```
 * @public
 */
export const MIN_PASSING_VECTORS = 3;

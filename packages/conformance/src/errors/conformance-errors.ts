import { defineErrors } from '@s3404/core';

/**
 * The codes of `@s3404/conformance`: a vector file that is not an
 * envelope version 2, a filter that selects nothing. Both are of kind
 * `input` (the CLI exits 2).
 *
 * `import { CONFORMANCE_ERRORS } from '@s3404/conformance/errors'`
 *
 * @example
 * ```ts
 * CONFORMANCE_ERRORS.message('ERR_VECTORS_FILTER', { filter: 'FORM-9' }, 'en')
 * ```
 * @public
 */
export const CONFORMANCE_ERRORS = defineErrors({
  ERR_VECTORS_INVALID: {
    kind: 'input',
    fr: (p) => `fichier de vecteurs ${p.path} invalide (enveloppe s3404-test-vectors/2.0 attendue) : ${p.detail}`,
    en: (p) => `invalid vector file ${p.path} (envelope s3404-test-vectors/2.0 expected): ${p.detail}`,
  },
  ERR_VECTORS_FILTER: {
    kind: 'input',
    fr: (p) => `le filtre ${p.filter} ne désigne aucune exigence, aucun domaine ni aucun fichier de vecteurs (exemples : FORM-2, audit, form/identifiers.json)`,
    en: (p) => `the filter ${p.filter} names no requirement, area or vector file (examples: FORM-2, audit, form/identifiers.json)`,
  },
});

/**
 * A code of {@link CONFORMANCE_ERRORS}.
 *
 * `import type { ConformanceErrorCode } from '@s3404/conformance/errors'`
 *
 * @public
 */
export type ConformanceErrorCode = (typeof CONFORMANCE_ERRORS.codes)[number];

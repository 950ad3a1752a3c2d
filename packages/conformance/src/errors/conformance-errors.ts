import { defineErrors } from '@s3404/core';

/**
 * The codes of `@s3404/conformance`: a vector file that is not an
 * envelope version 2, a filter that selects nothing, an adapter module that is
 * not one, ends its process or stops answering. Of kind `input` (the CLI
 * exits 2), but for a factory that fails (`unavailable`).
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
  ERR_ARTIFACTS_EMPTY: {
    kind: 'input',
    fr: (p) => `aucun fichier à juger dans ${p.path} (dossier des sorties d’un éditeur : bordereaux PDF, enregistrements scellés, lots, traces, exports)`,
    en: (p) => `no file to judge in ${p.path} (a vendor's output folder: bordereau PDFs, sealed records, lots, traces, exports)`,
  },
  ERR_ADAPTER_INVALID: {
    kind: 'input',
    fr: (p) => `le module ${p.module} n’est pas un adaptateur de conformité valide (defineAdapter de @s3404/conformance/contracts) : ${p.detail}`,
    en: (p) => `the module ${p.module} is not a valid conformance adapter (defineAdapter of @s3404/conformance/contracts): ${p.detail}`,
  },
  ERR_ADAPTER_EXITED: {
    kind: 'input',
    fr: (p) =>
      `le processus de l’adaptateur ${p.module} s’est terminé sans rendre de rapport (${p.how}) : un module qui met fin au processus n’est jamais jugé conforme ; dernière sortie : ${p.output}`,
    en: (p) =>
      `the process of the adapter ${p.module} ended without a report (${p.how}): a module that ends the process is never judged conformant; last output: ${p.output}`,
  },
  ERR_ADAPTER_TIMEOUT: {
    kind: 'input',
    fr: (p) => `l’adaptateur ${p.module} ${p.what} en ${p.seconds} s ; son processus a été arrêté`,
    en: (p) => `the adapter ${p.module} ${p.what} within ${p.seconds} s; its process was stopped`,
  },
  ERR_ADAPTER_FACTORY: {
    kind: 'unavailable',
    fr: (p) => `la fabrique ${p.factory} de l’adaptateur ${p.module} a échoué : ${p.detail}`,
    en: (p) => `the factory ${p.factory} of the adapter ${p.module} failed: ${p.detail}`,
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

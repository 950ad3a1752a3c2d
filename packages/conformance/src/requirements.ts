import type { LocalizedText } from '@s3404/core';

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

/**
 * The short title of each requirement of the SPEC's list, in French and
 * in English, as the SPEC names it: what a report shows next to the id, so an
 * examiner reads "SIG-5 Usage unique" rather than "SIG-5".
 *
 * `import { REQUIREMENT_TITLES } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * REQUIREMENT_TITLES['SIG-5']?.fr // 'Usage unique'
 * REQUIREMENT_TITLES['SIG-5']?.en // 'Single use'
 * ```
 * @public
 */
export const REQUIREMENT_TITLES: Readonly<Record<string, LocalizedText>> = Object.freeze({
  'FORM-1': { fr: 'Modèle', en: 'Model' },
  'FORM-2': { fr: 'Contrôle des identifiants', en: 'Identifier checks' },
  'FORM-3': { fr: 'Identifiant unique', en: 'Unique identifier' },
  'FORM-4': { fr: 'Rendu', en: 'Rendering' },
  'FORM-5': { fr: 'Remplissable et pré-rempli', en: 'Fillable and pre-filled' },
  'FORM-6': { fr: 'Placement de la signature', en: 'Signature placement' },
  'FORM-7': { fr: 'Qualité d’archivage', en: 'Archive quality' },
  'SIG-1': { fr: 'Contexte de capture', en: 'Capture context' },
  'SIG-2': { fr: 'Contenu de l’enregistrement', en: 'Record content' },
  'SIG-3': { fr: 'Scellé et signé', en: 'Sealed and signed' },
  'SIG-4': { fr: 'Lié à un seul bordereau', en: 'Bound to one bordereau' },
  'SIG-5': { fr: 'Usage unique', en: 'Single use' },
  'SIG-6': { fr: 'Supprimé après usage, aucune conservation durable', en: 'Deleted after use; no lasting storage' },
  'SIG-7': { fr: 'Signataires autorisés seulement', en: 'Only authorised signers' },
  'SIG-8': { fr: 'Mandat', en: 'Mandat (delegated signature)' },
  'SIG-9': { fr: 'Convention de preuve', en: 'Convention de preuve (proof agreement)' },
  'SIG-10': { fr: 'Journée comptable', en: 'Journée comptable (accounting day)' },
  'AUD-1': { fr: 'Chaque action tracée', en: 'Every action traced' },
  'AUD-2': { fr: 'Altération détectable', en: 'Tamper evident' },
  'AUD-3': { fr: 'Durée de conservation', en: 'Retention' },
  'AUD-4': { fr: 'Export standard', en: 'Standard export' },
  'SCOR-1': { fr: 'Contrôle des pièces justificatives', en: 'PJ checks' },
  'SCOR-2': { fr: 'Lot', en: 'Lot' },
  'SCOR-3': { fr: 'Cycle de vie', en: 'Lifecycle' },
  'X-1': { fr: 'Pur et indépendant de tout framework', en: 'Pure and framework-agnostic' },
  'X-2': { fr: 'Entrées invalides', en: 'Bad input' },
  'X-3': { fr: 'Vecteurs de conformité', en: 'Conformance vectors' },
  'X-4': { fr: 'Honnêteté', en: 'Honesty' },
});

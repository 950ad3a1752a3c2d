import type { Locale } from '@s3404/core';
import type { RequirementVerdict } from '../report.js';

/** A verdict's label and the sign printed with it, so that no verdict is told by colour alone. */
export const VERDICT_LABELS: Readonly<Record<RequirementVerdict, { readonly sign: string; readonly fr: string; readonly en: string }>> = {
  passed: { sign: '✓', fr: 'Réussie', en: 'Passed' },
  failed: { sign: '✗', fr: 'Échouée', en: 'Failed' },
  indeterminate: { sign: '?', fr: 'Indéterminée', en: 'Indeterminate' },
  'not-covered': { sign: '–', fr: 'Non couverte', en: 'Not covered' },
};

/** A test's outcome, in words (a test is masculine in French: « réussi »). */
export const OUTCOME_LABELS: Readonly<Record<string, { readonly fr: string; readonly en: string }>> = {
  passed: { fr: 'Réussi', en: 'Passed' },
  failed: { fr: 'Échoué', en: 'Failed' },
  indeterminate: { fr: 'Indéterminé', en: 'Indeterminate' },
};

/** What the vector expects, in words. */
export const RESULT_LABELS: Readonly<Record<string, { readonly fr: string; readonly en: string }>> = {
  valid: { fr: 'accepté (valide)', en: 'accepted (valid)' },
  invalid: { fr: 'refusé (invalide)', en: 'refused (invalid)' },
  acceptable: { fr: 'accepté ou refusé', en: 'accepted or refused' },
};

/** The fixed words of the HTML report, in French and in English. */
export interface HtmlWords {
  /** `' : '` in French (a no-break space before the colon), `': '` in English. */
  readonly colon: string;
  readonly title: string;
  readonly sdk: string;
  readonly runtime: string;
  readonly date: string;
  readonly filter: string;
  readonly noFilter: string;
  readonly verdict: string;
  readonly conformant: string;
  readonly notConformant: string;
  readonly conformantWhy: (requirements: number) => string;
  readonly notConformantWhy: (notPassed: number, total: number, failedTests: number, tests: number) => string;
  readonly howTitle: string;
  readonly how: readonly string[];
  readonly howVerdicts: readonly (readonly [RequirementVerdict, string])[];
  readonly totals: string;
  readonly tests: string;
  readonly negatives: (n: number) => string;
  readonly requirementsTitle: string;
  readonly requirementsCaption: string;
  readonly requirement: string;
  readonly requirementTitle: string;
  readonly passedCount: string;
  readonly failedCount: string;
  readonly indeterminateCount: string;
  readonly filesTitle: string;
  readonly filesCaption: string;
  readonly file: string;
  readonly hash: string;
  readonly hashedBytes: string;
  readonly hashedCanonical: string;
  readonly detailTitle: string;
  readonly noTest: string;
  readonly testsCaption: (requirement: string) => string;
  readonly test: string;
  readonly description: string;
  readonly expected: string;
  readonly outcome: string;
  readonly answer: string;
  readonly time: string;
  readonly inputHash: string;
  readonly input: string;
  readonly notAnswered: string;
  readonly generated: string;
  readonly unknown: string;
}

const FR: HtmlWords = {
  colon: '\u00a0: ',
  title: 'Rapport de conformité s3404',
  sdk: 'Version du SDK',
  runtime: 'Environnement d’exécution',
  date: 'Date',
  filter: 'Périmètre',
  noFilter: 'toutes les exigences de la SPEC',
  verdict: 'Verdict',
  conformant: 'CONFORME',
  notConformant: 'NON CONFORME',
  conformantWhy: (n) => `Chacune des ${n} exigences du périmètre est réussie.`,
  notConformantWhy: (notPassed, total, failed, tests) =>
    `${notPassed} exigence(s) sur ${total} ne sont pas réussies ; ${failed} test(s) échoué(s) sur ${tests}.`,
  howTitle: 'Comment lire ce rapport',
  how: [
    'Chaque test (« vecteur ») soumet au SDK une entrée connue — un numéro NIR, un enregistrement scellé, un PDF, une trace d’audit… — et compare sa réponse à celle qu’attend le vecteur : accepter une entrée valide, refuser une entrée invalide avec le bon code d’erreur. Un vecteur négatif est une attaque ou une erreur que le SDK doit refuser.',
    'Une exigence de la SPEC est jugée sur tous ses tests : il lui faut au moins 3 tests réussis et aucun test échoué ni indéterminé.',
  ],
  howVerdicts: [
    ['passed', 'au moins 3 tests réussis, aucun échoué ni indéterminé.'],
    ['failed', 'au moins un test a reçu une mauvaise réponse du SDK (le détail dit laquelle).'],
    ['indeterminate', 'au moins un test n’a pas pu être jugé (fonction absente du SDK, fichier de test illisible) ; ce n’est jamais compté comme réussi.'],
    ['not-covered', 'moins de 3 tests réussis : l’exigence n’est pas encore démontrée.'],
  ],
  totals: 'Totaux',
  tests: 'tests',
  negatives: (n) => `dont ${n} négatif(s) : le SDK doit refuser`,
  requirementsTitle: 'Verdict par exigence',
  requirementsCaption: 'Verdict de chaque exigence de la SPEC et nombre de tests réussis, échoués et indéterminés',
  requirement: 'Exigence',
  requirementTitle: 'Intitulé',
  passedCount: 'Réussis',
  failedCount: 'Échoués',
  indeterminateCount: 'Indéterminés',
  filesTitle: 'Fichiers de vecteurs exécutés',
  filesCaption: 'Chaque fichier de vecteurs, son empreinte SHA-256 et son nombre de tests exécutés',
  file: 'Fichier',
  hash: 'SHA-256',
  hashedBytes: 'du fichier (sha256sum)',
  hashedCanonical: 'du JSON canonique (RFC 8785)',
  detailTitle: 'Tests par exigence',
  noTest: 'Aucun test pour cette exigence.',
  testsCaption: (id) => `Tests de l’exigence ${id}, les échecs en premier`,
  test: 'Test',
  description: 'Ce qui est vérifié',
  expected: 'Attendu',
  outcome: 'Résultat',
  answer: 'Réponse du SDK',
  time: 'Durée',
  inputHash: 'Empreintes SHA-256',
  input: 'entrée',
  notAnswered: 'pas de réponse',
  generated:
    'Rapport produit par s3404 conformance (exigence X-3 de la SPEC). Les empreintes SHA-256 permettent de vérifier que les vecteurs et les fichiers de test sont ceux qui ont été exécutés.',
  unknown: 'inconnue',
};

const EN: HtmlWords = {
  colon: ': ',
  title: 's3404 conformance report',
  sdk: 'SDK version',
  runtime: 'Runtime',
  date: 'Date',
  filter: 'Scope',
  noFilter: 'every requirement of the SPEC',
  verdict: 'Verdict',
  conformant: 'CONFORMANT',
  notConformant: 'NOT CONFORMANT',
  conformantWhy: (n) => `Each of the ${n} requirements in scope passed.`,
  notConformantWhy: (notPassed, total, failed, tests) => `${notPassed} of ${total} requirement(s) not passed; ${failed} of ${tests} test(s) failed.`,
  howTitle: 'How to read this report',
  how: [
    'Each test (a “vector”) gives the SDK a known input — a NIR number, a sealed record, a PDF, an audit trace… — and compares its answer with the one the vector expects: accept a valid input, refuse an invalid one with the right error code. A negative vector is an attack or a mistake the SDK must refuse.',
    'A requirement of the SPEC is judged on all its tests: it needs at least 3 passing tests and none failed or indeterminate.',
  ],
  howVerdicts: [
    ['passed', 'at least 3 passing tests, none failed or indeterminate.'],
    ['failed', 'at least one test got a wrong answer from the SDK (the detail says which).'],
    ['indeterminate', 'at least one test could not be judged (a function the SDK lacks, an unreadable test file); never counted as passed.'],
    ['not-covered', 'fewer than 3 passing tests: the requirement is not yet demonstrated.'],
  ],
  totals: 'Totals',
  tests: 'tests',
  negatives: (n) => `${n} negative: the SDK must refuse`,
  requirementsTitle: 'Verdict per requirement',
  requirementsCaption: 'The verdict of each requirement of the SPEC and its number of passed, failed and indeterminate tests',
  requirement: 'Requirement',
  requirementTitle: 'Title',
  passedCount: 'Passed',
  failedCount: 'Failed',
  indeterminateCount: 'Indeterminate',
  filesTitle: 'Vector files run',
  filesCaption: 'Each vector file, its SHA-256 and its number of tests run',
  file: 'File',
  hash: 'SHA-256',
  hashedBytes: 'of the file (sha256sum)',
  hashedCanonical: 'of the canonical JSON (RFC 8785)',
  detailTitle: 'Tests per requirement',
  noTest: 'No test for this requirement.',
  testsCaption: (id) => `Tests of requirement ${id}, failures first`,
  test: 'Test',
  description: 'What it checks',
  expected: 'Expected',
  outcome: 'Outcome',
  answer: 'SDK answer',
  time: 'Time',
  inputHash: 'SHA-256 hashes',
  input: 'input',
  notAnswered: 'no answer',
  generated:
    'Report produced by s3404 conformance (requirement X-3 of the SPEC). The SHA-256 hashes let anyone check that the vectors and test files are the ones that were run.',
  unknown: 'unknown',
};

/** The words of one locale. */
export function htmlWords(locale: Locale): HtmlWords {
  return locale === 'en' ? EN : FR;
}

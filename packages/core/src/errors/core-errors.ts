import { defineErrors, type ResolvedParams } from './define-errors.js';

const got = (p: ResolvedParams, fr: boolean): string => (p.received === undefined ? '' : fr ? ` ; reçu ${p.received}` : `; received ${p.received}`);
const eg = (p: ResolvedParams, fr: boolean): string => (p.example === undefined ? '' : fr ? ` (exemple : ${p.example})` : ` (example: ${p.example})`);

/**
 * The codes `@s3404/core` itself reports (X-2): canonical JSON, the shared
 * identifiers (bordereau identifier, FINESS), file input/output, and the
 * cross-process file lock (`ERR_LOCK_TIMEOUT`, kind `unavailable`). Other
 * catalogues include them (`defineErrors({ ...CORE_ERRORS.definitions, … })`)
 * where their functions report these codes too.
 *
 * `import { CORE_ERRORS } from '@s3404/core'`
 *
 * @public
 */
export const CORE_ERRORS = defineErrors({
  ERR_CANONICAL_JSON: {
    kind: 'input',
    fr: (p) => `Valeur non sérialisable en JSON canonique (RFC 8785) : ${p.detail}.`,
    en: (p) => `Value cannot be serialised as canonical JSON (RFC 8785): ${p.detail}.`,
  },
  ERR_BORDEREAU_ID_FORMAT: {
    kind: 'input',
    fr: (p) => `Identifiant de bordereau mal formé : attendu 6 groupes Crockford base 32 séparés par des tirets${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Malformed bordereau identifier: expected 6 Crockford base-32 groups separated by hyphens${got(p, false)}${eg(p, false)}.`,
  },
  ERR_BORDEREAU_ID_CHECK: {
    kind: 'input',
    fr: (p) => `Identifiant de bordereau altéré : le caractère de contrôle devrait être ${p.expected ?? 'différent'}${got(p, true)}.`,
    en: (p) => `Altered bordereau identifier: the check character should be ${p.expected ?? 'different'}${got(p, false)}.`,
  },
  ERR_FINESS_FORMAT: {
    kind: 'input',
    fr: (p) => `FINESS mal formé : attendu 9 caractères (département dont 2A/2B, 6 chiffres, clé)${got(p, true)}${eg(p, true)}.`,
    en: (p) => `Malformed FINESS: expected 9 characters (department code incl. 2A/2B, 6 digits, key)${got(p, false)}${eg(p, false)}.`,
  },
  ERR_FINESS_KEY: {
    kind: 'input',
    fr: (p) => `Clé FINESS incorrecte : attendu ${p.expected}${got(p, true)} (clé de Luhn).`,
    en: (p) => `Wrong FINESS key: expected ${p.expected}${got(p, false)} (Luhn key).`,
  },
  ERR_FILE_UNREADABLE: {
    kind: 'input',
    fr: (p) => `Fichier illisible : ${p.path}${p.reason === undefined ? '' : ` (${p.reason})`}.`,
    en: (p) => `Unreadable file: ${p.path}${p.reason === undefined ? '' : ` (${p.reason})`}.`,
  },
  // A broken invariant, or a failure that is no coded error. Without `detail` (what a service
  // answers a client: `toErrorMessage` of @s3404/seal) the message reveals nothing of the cause.
  ERR_INTERNAL: {
    kind: 'internal',
    fr: (p) =>
      p.detail === undefined
        ? "Erreur interne : l'opération n'a pas abouti. Réessayez ; si l'erreur persiste, signalez-la à l'éditeur."
        : `Erreur interne du SDK (à signaler) : ${p.detail}`,
    en: (p) =>
      p.detail === undefined
        ? 'Internal error: the operation did not complete. Try again; if the error persists, report it to the vendor.'
        : `Internal error of the SDK (please report it): ${p.detail}`,
  },
  ERR_FILE_UNWRITABLE: {
    kind: 'input',
    fr: (p) => `Impossible d'écrire le fichier ${p.path}${p.reason === undefined ? '' : ` (${p.reason})`} : rien n'a été écrit.`,
    en: (p) => `Cannot write the file ${p.path}${p.reason === undefined ? '' : ` (${p.reason})`}: nothing was written.`,
  },
  ERR_INPUT_TOO_LARGE: {
    kind: 'input',
    fr: (p) => `Entrée trop volumineuse : ${p.received} octets pour ${p.limit} au plus.`,
    en: (p) => `Input too large: ${p.received} bytes, at most ${p.limit}.`,
  },
  // `acquireFileLock` of @s3404/core/node: a live process kept the lock longer than the caller waits.
  ERR_LOCK_TIMEOUT: {
    kind: 'unavailable',
    fr: (p) => `Verrou tenu par un autre processus : ${p.path}${p.holder === undefined ? '' : ` (${p.holder})`} ; réessayez plus tard.`,
    en: (p) => `Lock held by another process: ${p.path}${p.holder === undefined ? '' : ` (${p.holder})`}; try again later.`,
  },
  // `@s3404/core/maintenance`: a job's lease expired or was taken by another instance; its work must not commit.
  ERR_LEASE_LOST: {
    kind: 'unavailable',
    fr: (p) => `Bail perdu pour la tâche ${p.key} (jeton ${p.token}) : une autre instance l'a repris ; rien n'est validé, elle s'en charge.`,
    en: (p) => `Lease lost for job ${p.key} (token ${p.token}): another instance took it over; nothing is committed, it will do the work.`,
  },
  // `@s3404/core/postgres`, `@s3404/core/redis`: the backend of a lease failed.
  ERR_LEASE_STORE_UNAVAILABLE: {
    kind: 'unavailable',
    fr: (p) => `Stockage des baux indisponible (${p.detail}) ; réessayez plus tard.`,
    en: (p) => `Lease store unavailable (${p.detail}); try again later.`,
  },
  // `@s3404/core/postgres`, `@s3404/core/redis`: the backend refuses the lease for good (a right, a table, issue 19).
  ERR_LEASE_STORE_MISCONFIGURED: {
    kind: 'internal',
    fr: (p) => `Stockage des baux refusé par son serveur (${p.detail}) : droits, schéma ou configuration à corriger ; réessayer n'y changera rien.`,
    en: (p) => `Lease store refused by its server (${p.detail}): rights, schema or configuration to fix; retrying will not help.`,
  },
  // `@s3404/core/redis`: the lease's key holds what the lease never writes (a key of another kind, issue 19).
  ERR_LEASE_STORE_CORRUPT: {
    kind: 'internal',
    fr: (p) =>
      `Stockage des baux incohérent (${p.detail}) : il contient ce que le bail n'écrit jamais ; réessayer n'y changera rien, un opérateur doit le vérifier.`,
    en: (p) => `Lease store inconsistent (${p.detail}): it holds what the lease never writes; retrying will not help, an operator must look at it.`,
  },
});

/** A code `@s3404/core` reports (X-2). @public */
export type CoreErrorCode = (typeof CORE_ERRORS.codes)[number];

import { CORE_ERRORS, S3404Error, defineErrors, type S3404ErrorOptions } from '@s3404/core';

/**
 * The codes of the `s3404` command itself (CLI contract, X-2): a wrong
 * command line (kind `input`, exit 2) and an internal error (exit 70).
 * Every message exists in French and English; `--lang en` or `S3404_LANG=en`
 * picks English.
 *
 * `import { CLI_ERRORS } from '@s3404/cli'`
 *
 * @public
 */
export const CLI_ERRORS = defineErrors({
  ERR_USAGE: {
    kind: 'input',
    fr: (p) => `utilisation incorrecte : ${p.detail}`,
    en: (p) => `wrong usage: ${p.detail}`,
  },
  ERR_USAGE_COMMAND: {
    kind: 'input',
    fr: (p) => `commande inconnue : ${p.command}`,
    en: (p) => `unknown command: ${p.command}`,
  },
  ERR_USAGE_PLANNED: {
    kind: 'input',
    fr: (p) => `s3404 ${p.command} : commande annoncée dans le contrat, pas encore disponible dans cette version`,
    en: (p) => `s3404 ${p.command}: a command of the contract, not available in this version yet`,
  },
  ERR_USAGE_OPTION: {
    kind: 'input',
    fr: (p) => `option inconnue : ${p.option}`,
    en: (p) => `unknown option: ${p.option}`,
  },
  ERR_USAGE_REQUIRED: {
    kind: 'input',
    fr: (p) => `${p.option} est obligatoire`,
    en: (p) => `${p.option} is required`,
  },
  ERR_USAGE_VALUE: {
    kind: 'input',
    fr: (p) => `${p.option} attend ${p.expected}${p.received === undefined ? '' : ` (reçu ${p.received})`}`,
    en: (p) => `${p.option} expects ${p.expected}${p.received === undefined ? '' : ` (received ${p.received})`}`,
  },
  ERR_USAGE_EXCLUSIVE: {
    kind: 'input',
    fr: (p) => `${p.first} et ${p.second} ne vont pas ensemble`,
    en: (p) => `${p.first} and ${p.second} cannot be used together`,
  },
  ERR_USAGE_TOGETHER: {
    kind: 'input',
    fr: (p) => `${p.first} va avec ${p.second}`,
    en: (p) => `${p.first} goes with ${p.second}`,
  },
  ERR_USAGE_ARGUMENTS: {
    kind: 'input',
    fr: (p) => `usage : ${p.usage}`,
    en: (p) => `usage: ${p.usage}`,
  },
  ERR_DEMO_PDF_SEAL: {
    kind: 'verdict',
    fr: (p) => `s3404 demo : le sceau PAdES de ${p.file} ne se vérifie pas (${p.status}) : [${p.code}] ${p.detail}`,
    en: (p) => `s3404 demo: the PAdES seal of ${p.file} does not verify (${p.status}): [${p.code}] ${p.detail}`,
  },
  ERR_DEMO_THREAD_ENDED: {
    kind: 'internal',
    fr: (p) => `s3404 demo : un fil de signature s’est arrêté (${p.detail}) ; les bordereaux qu’il traitait ne sont pas signés`,
    en: (p) => `s3404 demo: a signing thread ended (${p.detail}); the bordereaux it was working on are not signed`,
  },
  ERR_DEMO_INCOMPLETE: {
    kind: 'unavailable',
    fr: (p) =>
      `s3404 demo : la journée s’est arrêtée avant la fin (${p.detail}) ; ${p.out} est incomplet, sans summary.json : corrigez la cause (place disque…) puis relancez la démonstration, elle repart de zéro`,
    en: (p) =>
      `s3404 demo: the day stopped before its end (${p.detail}); ${p.out} is incomplete, without summary.json: fix the cause (disk space…) then run the demo again, it starts over`,
  },
  ERR_MAINTENANCE_LOTS_FAILED: {
    kind: 'internal',
    fr: (p) => `scor.tick : ${p.count} lot(s) non traité(s) : ${p.lots} ; les autres lots l’ont été`,
    en: (p) => `scor.tick: ${p.count} lot(s) not handled: ${p.lots}; the other lots were`,
  },
  // The signing service (`s3404 serve`, `@s3404/cli/serve`): HTTP requests and terminal authentication.
  ERR_HTTP_NOT_FOUND: {
    kind: 'input',
    fr: (p) => `aucune ressource ${p.path} sur ce service (voir /openapi.json)`,
    en: (p) => `no resource ${p.path} on this service (see /openapi.json)`,
  },
  ERR_HTTP_METHOD: {
    kind: 'input',
    fr: (p) => `méthode ${p.method} non admise pour ${p.path} (admise : ${p.allowed})`,
    en: (p) => `method ${p.method} not allowed for ${p.path} (allowed: ${p.allowed})`,
  },
  ERR_HTTP_BODY_TOO_LARGE: {
    kind: 'input',
    fr: (p) => `corps de requête trop grand : ${p.limit} octets au plus`,
    en: (p) => `request body too large: ${p.limit} bytes at most`,
  },
  ERR_HTTP_BODY_TIMEOUT: {
    kind: 'input',
    fr: (p) => `corps de requête incomplet après ${p.seconds} s : envoyez-le d'un seul tenant`,
    en: (p) => `request body incomplete after ${p.seconds} s: send it in one go`,
  },
  ERR_HTTP_CONTENT_TYPE: {
    kind: 'input',
    fr: (p) => `type de contenu ${p.received} refusé : application/json attendu`,
    en: (p) => `content type ${p.received} refused: application/json expected`,
  },
  ERR_HTTP_JSON_INVALID: {
    kind: 'input',
    fr: 'corps de requête illisible : un objet JSON en UTF-8 est attendu, par exemple {"handle": "s3404-pending.1…"}',
    en: 'unreadable request body: a JSON object in UTF-8 is expected, for example {"handle": "s3404-pending.1…"}',
  },
  ERR_HTTP_REQUEST_INVALID: {
    kind: 'input',
    fr: (p) => `requête invalide : ${p.detail} (voir /openapi.json)`,
    en: (p) => `invalid request: ${p.detail} (see /openapi.json)`,
  },
  ERR_BORDEREAU_UNKNOWN: {
    kind: 'input',
    fr: (p) => `bordereau inconnu de ce service : ${p.bordereauId}`,
    en: (p) => `bordereau unknown to this service: ${p.bordereauId}`,
  },
  ERR_TABLET_UNAVAILABLE: {
    kind: 'unavailable',
    fr: 'script de la tablette introuvable : construisez @s3404/cli (pnpm --filter @s3404/cli build)',
    en: 'tablet script not found: build @s3404/cli (pnpm --filter @s3404/cli build)',
  },
  ERR_SERVICE_BUSY: {
    kind: 'unavailable',
    fr: 'service occupé : réessayez dans un instant',
    en: 'service busy: try again in a moment',
  },
  ERR_TERMINAL_AUTH_MISSING: {
    kind: 'verdict',
    fr: (p) => `requête non authentifiée : en-tête ${p.header} absent ou mal formé (S3404-Terminal, S3404-Timestamp, S3404-Nonce, S3404-Signature)`,
    en: (p) => `unauthenticated request: header ${p.header} missing or malformed (S3404-Terminal, S3404-Timestamp, S3404-Nonce, S3404-Signature)`,
  },
  ERR_TERMINAL_UNKNOWN: {
    kind: 'verdict',
    fr: 'terminal inconnu ou révoqué : appairez-le avec un code d’appairage',
    en: 'unknown or revoked terminal: pair it with a pairing code',
  },
  ERR_TERMINAL_SIGNATURE_INVALID: {
    kind: 'verdict',
    fr: 'signature de la requête invalide',
    en: 'invalid request signature',
  },
  ERR_TERMINAL_CLOCK_SKEW: {
    kind: 'verdict',
    fr: (p) => `horodatage de la requête hors de la fenêtre de ${p.seconds} s : réglez l’horloge de la tablette`,
    en: (p) => `request timestamp outside the ${p.seconds} s window: set the tablet's clock`,
  },
  ERR_TERMINAL_NONCE_REPLAYED: {
    kind: 'verdict',
    fr: 'requête rejouée : ce nonce a déjà servi',
    en: 'replayed request: this nonce was already used',
  },
  ERR_TERMINAL_KEY_INVALID: {
    kind: 'input',
    fr: 'clé publique du terminal refusée : une clé JWK ECDSA P-256 publique est attendue ({"kty":"EC","crv":"P-256","x":…,"y":…})',
    en: 'terminal public key refused: a public ECDSA P-256 JWK is expected ({"kty":"EC","crv":"P-256","x":…,"y":…})',
  },
  ERR_TERMINAL_ALREADY_ENROLLED: {
    kind: 'verdict',
    fr: (p) => `le terminal ${p.terminalId} est déjà appairé avec une autre clé : révoquez-le d’abord, ou choisissez un autre identifiant`,
    en: (p) => `terminal ${p.terminalId} is already paired with another key: revoke it first, or choose another identifier`,
  },
  ERR_PAIRING_CODE_INVALID: {
    kind: 'verdict',
    fr: 'code d’appairage refusé (inconnu, déjà utilisé ou expiré) : demandez-en un nouveau',
    en: 'pairing code refused (unknown, already used or expired): ask for a new one',
  },
  ERR_INTERNAL: CORE_ERRORS.definitions.ERR_INTERNAL,
});

/** A code of the `s3404` command (X-2). @public */
export type CliErrorCode = (typeof CLI_ERRORS.codes)[number];

/**
 * A coded error of the `s3404` command (X-2): a wrong command line.
 *
 * @public
 */
export class CliError extends S3404Error<CliErrorCode> {
  constructor(code: CliErrorCode, options: S3404ErrorOptions = {}) {
    super(CLI_ERRORS, code, options);
  }
}

import { S3404Error, defineErrors, type S3404ErrorOptions } from '@s3404/core';

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
  ERR_INTERNAL: {
    kind: 'internal',
    fr: (p) => `erreur interne du SDK (à signaler) : ${p.detail}`,
    en: (p) => `internal error of the SDK (please report it): ${p.detail}`,
  },
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

import { identifierCheck, luhnCheckDigit, truncateForMessage, type IdentifierCheck, type IdentifierCheckOptions, type IdentifierProblem } from '@s3404/core';
import { FORM_ERRORS } from '../errors/form-errors.js';

/** The problem of an RPPS number, or `null` when valid (FORM-2). @public */
export function rppsProblem(rpps: unknown): IdentifierProblem {
  if (typeof rpps !== 'string' || !/^\d{11}$/.test(rpps)) {
    return { code: 'ERR_RPPS_FORMAT', params: { received: truncateForMessage(rpps), example: '10003554213' } };
  }
  const expected = luhnCheckDigit(rpps.slice(0, 10));
  return String(expected) === rpps[10] ? null : { code: 'ERR_RPPS_KEY', params: { expected, received: rpps[10] } };
}

/**
 * Checks an RPPS number (Répertoire partagé des professionnels de santé):
 * 11 digits, the last being the Luhn key of the first ten (FORM-2).
 *
 * `import { checkRpps } from '@s3404/form'`
 *
 * @example
 * ```ts
 * checkRpps('10003554213').ok // true
 * ```
 * @returns a verdict: `ok`, else `ERR_RPPS_FORMAT` or `ERR_RPPS_KEY`.
 * @public
 */
export function checkRpps(rpps: unknown, options: IdentifierCheckOptions = {}): IdentifierCheck {
  return identifierCheck(FORM_ERRORS, rppsProblem(rpps), options);
}

/** True when `rpps` is a valid RPPS number (FORM-2). @public */
export function isValidRpps(rpps: unknown): boolean {
  return rppsProblem(rpps) === null;
}

import { truncateForMessage } from '../errors/messages.js';
import type { CheckFailure } from './check-result.js';
import { luhnCheckDigit } from './luhn.js';

/**
 * Checks an RPPS number (Répertoire partagé des professionnels de santé):
 * 11 digits, the last being the Luhn key of the first ten (FORM-2).
 *
 * `import { checkRpps } from '@s3404/form'`
 *
 * @returns `null` when valid, otherwise `ERR_RPPS_FORMAT` or `ERR_RPPS_KEY`.
 * @public
 */
export function checkRpps(rpps: string): CheckFailure {
  if (typeof rpps !== 'string' || !/^\d{11}$/.test(rpps)) {
    return { code: 'ERR_RPPS_FORMAT', params: { received: truncateForMessage(rpps), example: '10003554213' } };
  }
  const expected = luhnCheckDigit(rpps.slice(0, 10));
  return String(expected) === rpps[10] ? null : { code: 'ERR_RPPS_KEY', params: { expected, received: rpps[10] } };
}

/** True when `rpps` is a valid RPPS number (FORM-2). @public */
export function isValidRpps(rpps: string): boolean {
  return checkRpps(rpps) === null;
}

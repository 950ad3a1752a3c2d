import { CORE_ERRORS } from '../errors/core-errors.js';
import { truncateForMessage } from '../errors/truncate.js';
import { identifierCheck, type IdentifierCheck, type IdentifierCheckOptions, type IdentifierProblem } from './identifier-check.js';
import { luhnCheckDigit } from './luhn.js';

const FIRST8 = /^(\d{2}|2A|2B)\d{6}$/;
const FINESS = /^(\d{2}|2A|2B)\d{7}$/;

/**
 * Computes the check digit of the first 8 characters of a FINESS number: the
 * Luhn key, where a Corsican département counts as `2A` → `21`, `2B` → `22`.
 *
 * The rule was confirmed on about 160 real published mainland numbers (AP-HP
 * 750712184, AP-HM 130786049, HCL 690781810…) and on the six real Corsican
 * numbers found (2A0000154, 2B0000038, 2B0005359…); see
 * `docs/identifiers.md` for the sources (FORM-2).
 *
 * `import { finessKey } from '@s3404/core'` (also from `@s3404/form`)
 *
 * @example
 * ```ts
 * finessKey('75071218') // 4
 * ```
 * @throws TypeError when `first8` is not 8 FINESS characters.
 * @public
 */
export function finessKey(first8: string): number {
  if (typeof first8 !== 'string' || !FIRST8.test(first8)) {
    throw new TypeError('finessKey: expected the first 8 FINESS characters (2 digits or 2A/2B, then 6 digits)');
  }
  const numeric = first8.startsWith('2A') ? `21${first8.slice(2)}` : first8.startsWith('2B') ? `22${first8.slice(2)}` : first8;
  return luhnCheckDigit(numeric);
}

/**
 * The problem of a FINESS number, or `null` when valid (FORM-2): the
 * building block of {@link checkFiness}.
 *
 * @public
 */
export function finessProblem(finess: unknown): IdentifierProblem {
  if (typeof finess !== 'string' || !FINESS.test(finess)) {
    return { code: 'ERR_FINESS_FORMAT', params: { received: truncateForMessage(finess), example: '750712184' } };
  }
  const expected = finessKey(finess.slice(0, 8));
  return String(expected) === finess[8] ? null : { code: 'ERR_FINESS_KEY', params: { expected, received: finess[8] } };
}

/**
 * Checks a FINESS number (établissement or entité juridique): 9 characters,
 * département (2 digits, or 2A/2B), 6 digits, Luhn key (FORM-2).
 *
 * `import { checkFiness } from '@s3404/core'` (also from `@s3404/form`)
 *
 * @example
 * ```ts
 * checkFiness('750712184').ok // true
 * checkFiness('750712185').issues[0]?.code // 'ERR_FINESS_KEY'
 * ```
 * @public
 */
export function checkFiness(finess: unknown, options: IdentifierCheckOptions = {}): IdentifierCheck {
  return identifierCheck(CORE_ERRORS, finessProblem(finess), options);
}

/** True when `finess` is a valid FINESS number (FORM-2). @public */
export function isValidFiness(finess: unknown): boolean {
  return finessProblem(finess) === null;
}

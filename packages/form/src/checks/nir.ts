import { identifierCheck, truncateForMessage, type IdentifierCheck, type IdentifierCheckOptions, type IdentifierProblem } from '@s3404/core';
import { FORM_ERRORS } from '../errors/form-errors.js';

const NIR_SHAPE = /^[1-478]\d{2}(0[1-9]|1[0-2]|[2-4]\d|[5-9]\d)(\d{2}|2A|2B)\d{6}$/;

/**
 * Computes the 2-digit key of a 13-character NIR (numéro d'inscription au
 * répertoire): `97 − (NIR mod 97)`, where Corsican départements count as
 * numbers: `2A` → `19`, `2B` → `18` (FORM-2).
 *
 * `import { nirKey } from '@s3404/form'`
 *
 * @example
 * ```ts
 * nirKey('2550814168025') // '38'
 * ```
 * @throws TypeError when `nir` is not 13 characters of the NIR alphabet.
 * @public
 */
export function nirKey(nir: string): string {
  if (typeof nir !== 'string' || !/^\d{5}(\d{2}|2A|2B)\d{6}$/.test(nir)) {
    throw new TypeError('nirKey: expected 13 NIR characters (digits, 2A or 2B at positions 6-7)');
  }
  const numeric = nir.slice(0, 5) + (nir.slice(5, 7) === '2A' ? '19' : nir.slice(5, 7) === '2B' ? '18' : nir.slice(5, 7)) + nir.slice(7);
  // 13 digits exceed 2^53 only far above 9.0e15: a Number is exact here.
  const mod = Number(BigInt(numeric) % 97n);
  return String(97 - mod).padStart(2, '0');
}

/**
 * The problem of a NIR and its key, or `null` when valid (FORM-2): the
 * building block of {@link checkNir}.
 *
 * @public
 */
export function nirProblem(nir: unknown, key: unknown): IdentifierProblem {
  if (typeof nir !== 'string' || !NIR_SHAPE.test(nir)) {
    return { code: 'ERR_NIR_FORMAT', params: { received: truncateForMessage(nir), example: '2550814168025' } };
  }
  if (typeof key !== 'string' || !/^\d{2}$/.test(key)) {
    return { code: 'ERR_FORMAT', params: { expected: { fr: '2 chiffres', en: '2 digits' }, received: truncateForMessage(key), example: '38' } };
  }
  const expected = nirKey(nir);
  return expected === key ? null : { code: 'ERR_NIR_KEY', params: { expected, received: key } };
}

/**
 * Checks a NIR and its key (FORM-2). The NIR is the 13-character number
 * (sex 1/2, or 3/4/7/8 for provisional numbers; year; month 01–12 or the
 * conventional 20–42 / 50–99; département with 2A/2B; commune; order).
 *
 * `import { checkNir } from '@s3404/form'`
 *
 * @example
 * ```ts
 * checkNir('2550814168025', '38').ok // true
 * checkNir('2550814168025', '39', { locale: 'en' }).issues[0]?.message // 'Wrong NIR key: expected 38; received 39 (key = 97 − NIR mod 97).'
 * ```
 * @returns a verdict: `ok`, else `ERR_NIR_FORMAT`, `ERR_FORMAT` (the key) or `ERR_NIR_KEY`.
 * @public
 */
export function checkNir(nir: unknown, key: unknown, options: IdentifierCheckOptions = {}): IdentifierCheck {
  return identifierCheck(FORM_ERRORS, nirProblem(nir, key), options);
}

/** True when `nir` + `key` form a valid NIR (FORM-2). @public */
export function isValidNir(nir: unknown, key: unknown): boolean {
  return nirProblem(nir, key) === null;
}

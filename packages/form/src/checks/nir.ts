import {
  identifierCheck,
  truncateForMessage,
  type IdentifierCheck,
  type IdentifierCheckOptions,
  type IdentifierProblem,
  type LocalizedText,
} from '@s3404/core';
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

/** Letters typed for the digits they look like. */
const LOOK_ALIKES: Readonly<Record<string, LocalizedText>> = {
  O: { fr: ' (la lettre O pour le chiffre 0 ?)', en: ' (the letter O for the digit 0?)' },
  I: { fr: ' (la lettre I pour le chiffre 1 ?)', en: ' (the letter I for the digit 1?)' },
  L: { fr: ' (la lettre L pour le chiffre 1 ?)', en: ' (the letter L for the digit 1?)' },
};

/** What is wrong in the shape of a NIR, position by position, in both languages; `null` when the shape is right. */
function nirShapeDetail(nir: string): LocalizedText | null {
  if (NIR_SHAPE.test(nir)) return null;
  const chars = [...nir];
  if (chars.length !== 13) {
    const spaces = /[\s.-]/.test(nir) ? { fr: ', sans espaces ni séparateurs', en: ', without spaces or separators' } : { fr: '', en: '' };
    return { fr: `${chars.length} caractères au lieu de 13${spaces.fr}`, en: `${chars.length} characters instead of 13${spaces.en}` };
  }
  for (const [k, ch] of chars.entries()) {
    const corsica = (k === 5 && ch === '2' && /[AB]/.test(chars[6]!)) || (k === 6 && /[AB]/.test(ch) && chars[5] === '2');
    if (/\d/.test(ch) || corsica) continue;
    const s = /^[\x21-\x7e\u00a0-\u024f]$/.test(ch)
      ? { fr: `« ${ch} »`, en: `"${ch}"` }
      : { fr: 'un caractère invisible ou non latin', en: 'an invisible or non-Latin character' };
    const hint = LOOK_ALIKES[ch.toUpperCase()] ?? { fr: '', en: '' };
    const allowed =
      k === 5 || k === 6 ? { fr: 'un chiffre (ou 2A / 2B en Corse)', en: 'a digit (or 2A / 2B for Corsica)' } : { fr: 'un chiffre', en: 'a digit' };
    return {
      fr: `le caractère ${k + 1} est ${s.fr}, ${allowed.fr} est attendu${hint.fr}`,
      en: `character ${k + 1} is ${s.en} where ${allowed.en} is expected${hint.en}`,
    };
  }
  if (!/^[1-478]/.test(nir)) return { fr: 'le caractère 1 (sexe) doit être 1, 2, 3, 4, 7 ou 8', en: 'character 1 (sex) must be 1, 2, 3, 4, 7 or 8' };
  return {
    fr: 'les caractères 4 et 5 (mois) doivent être 01 à 12, 20 à 42 ou 50 à 99',
    en: 'characters 4 and 5 (month) must be 01 to 12, 20 to 42 or 50 to 99',
  };
}

/** `ERR_NIR_FORMAT` with what is wrong, or `null` when the NIR (without its key) has the right shape (FORM-2). */
export function nirFormatProblem(nir: unknown): IdentifierProblem {
  const detail = typeof nir === 'string' ? nirShapeDetail(nir) : { fr: 'un texte est attendu', en: 'a string is expected' };
  return detail === null ? null : { code: 'ERR_NIR_FORMAT', params: { detail, received: truncateForMessage(nir), example: '2550814168025' } };
}

/**
 * The problem of a NIR and its key, or `null` when valid (FORM-2): the
 * building block of {@link checkNir}.
 *
 * @public
 */
export function nirProblem(nir: unknown, key: unknown): IdentifierProblem {
  const format = nirFormatProblem(nir);
  if (format !== null) return format;
  if (typeof key !== 'string' || !/^\d{2}$/.test(key)) {
    return { code: 'ERR_FORMAT', params: { expected: { fr: '2 chiffres', en: '2 digits' }, received: truncateForMessage(key), example: '38' } };
  }
  const expected = nirKey(nir as string);
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

import { identifierCheck, truncateForMessage, type IdentifierCheck, type IdentifierCheckOptions, type IdentifierProblem } from '@s3404/core';
import { FORM_ERRORS } from '../errors/form-errors.js';

/**
 * The problem of a CCAM act code, or `null`: 4 capital letters then 3
 * digits (e.g. `NEKA020`, `JQGA002`) (FORM-2). The code's existence in the CCAM
 * release is not checked: the nomenclature is not bundled.
 *
 * @public
 */
export function ccamProblem(code: unknown): IdentifierProblem {
  return typeof code === 'string' && /^[A-Z]{4}\d{3}$/.test(code)
    ? null
    : { code: 'ERR_CCAM_FORMAT', params: { received: truncateForMessage(code), example: 'NEKA020' } };
}

/**
 * The problem of an LPP code (Liste des produits et prestations), or
 * `null`: 7 digits (e.g. `3113124`). No check digit is published for LPP codes (FORM-2).
 *
 * @public
 */
export function lppProblem(code: unknown): IdentifierProblem {
  return typeof code === 'string' && /^\d{7}$/.test(code)
    ? null
    : { code: 'ERR_LPP_FORMAT', params: { received: truncateForMessage(code), example: '3113124' } };
}

/**
 * Computes the key (7th digit) of a UCD 7 code: Σ(dᵢ × wᵢ) mod 11 over the
 * first six digits with weights 2…7, the rule CIP 7 uses too. Returns `null`
 * when the remainder is 10 (no such code is allocated).
 */
export function ucd7Key(first6: string): number | null {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += (first6.charCodeAt(i) - 48) * (i + 2);
  const key = sum % 11;
  return key === 10 ? null : key;
}

/** EAN-13 check digit of 12 digits (weights 1, 3, 1, 3… from the left). */
export function ean13Key(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/**
 * The problem of a UCD code (unité commune de dispensation) of a drug billed
 * on top of the stay, or `null` (FORM-2):
 * - UCD 7: 7 digits starting with 9, the last being the mod-11 key
 *   (e.g. `9261104`, Avastin);
 * - UCD 13: `34008` + UCD 7 + EAN-13 key (e.g. `3400893766521`).
 *
 * Both rules were confirmed on real published codes (`docs/identifiers.md`).
 *
 * @public
 */
export function ucdProblem(code: unknown): IdentifierProblem {
  if (typeof code !== 'string' || !(/^9\d{6}$/.test(code) || /^340089\d{7}$/.test(code))) {
    return { code: 'ERR_UCD_FORMAT', params: { received: truncateForMessage(code), example: '9261104' } };
  }
  if (code.length === 13) {
    const ean = ean13Key(code.slice(0, 12));
    if (String(ean) !== code[12]) return { code: 'ERR_UCD_KEY', params: { expected: ean, received: code[12] } };
  }
  const ucd7 = code.length === 13 ? code.slice(5, 12) : code;
  const key = ucd7Key(ucd7.slice(0, 6));
  if (key === null || String(key) !== ucd7[6]) {
    return { code: 'ERR_UCD_KEY', params: { expected: key ?? '—', received: ucd7[6] } };
  }
  return null;
}

/**
 * Checks the shape of a CCAM act code: 4 capital letters then 3 digits
 * (FORM-2). `import { checkCcamCode } from '@s3404/form'`
 *
 * @example
 * ```ts
 * checkCcamCode('NEKA020').ok // true
 * ```
 * @returns a verdict: `ok`, else `ERR_CCAM_FORMAT`.
 * @public
 */
export function checkCcamCode(code: unknown, options: IdentifierCheckOptions = {}): IdentifierCheck {
  return identifierCheck(FORM_ERRORS, ccamProblem(code), options);
}

/**
 * Checks the shape of an LPP code: 7 digits (FORM-2).
 * `import { checkLppCode } from '@s3404/form'`
 *
 * @example
 * ```ts
 * checkLppCode('3113124').ok // true
 * ```
 * @returns a verdict: `ok`, else `ERR_LPP_FORMAT`.
 * @public
 */
export function checkLppCode(code: unknown, options: IdentifierCheckOptions = {}): IdentifierCheck {
  return identifierCheck(FORM_ERRORS, lppProblem(code), options);
}

/**
 * Checks a UCD code (UCD 7 with its mod-11 key, or UCD 13 with its EAN-13
 * key) (FORM-2). `import { checkUcdCode } from '@s3404/form'`
 *
 * @example
 * ```ts
 * checkUcdCode('9261104').ok // true
 * ```
 * @returns a verdict: `ok`, else `ERR_UCD_FORMAT` or `ERR_UCD_KEY`.
 * @public
 */
export function checkUcdCode(code: unknown, options: IdentifierCheckOptions = {}): IdentifierCheck {
  return identifierCheck(FORM_ERRORS, ucdProblem(code), options);
}

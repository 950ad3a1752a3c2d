import { truncateForMessage } from '../errors/messages.js';
import type { CheckFailure } from './check-result.js';

/**
 * Checks the shape of a CCAM act code: 4 capital letters then 3 digits
 * (e.g. `NEKA020`, `JQGA002`) (FORM-2). The code's existence in the CCAM
 * release is not checked: the nomenclature is not bundled.
 *
 * @public
 */
export function checkCcamCode(code: string): CheckFailure {
  return typeof code === 'string' && /^[A-Z]{4}\d{3}$/.test(code)
    ? null
    : { code: 'ERR_CCAM_FORMAT', params: { received: truncateForMessage(code), example: 'NEKA020' } };
}

/**
 * Checks the shape of an LPP code (Liste des produits et prestations): 7 digits
 * (e.g. `3113124`). No check digit is published for LPP codes (FORM-2).
 *
 * @public
 */
export function checkLppCode(code: string): CheckFailure {
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
 * Checks a UCD code (unité commune de dispensation) of a drug billed on top
 * of the stay (FORM-2):
 * - UCD 7: 7 digits starting with 9, the last being the mod-11 key
 *   (e.g. `9261104`, Avastin);
 * - UCD 13: `34008` + UCD 7 + EAN-13 key (e.g. `3400893766521`).
 *
 * Both rules were confirmed on real published codes (`docs/identifiers.md`).
 *
 * @public
 */
export function checkUcdCode(code: string): CheckFailure {
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

/**
 * Luhn (mod 10) check digit of a string of decimal digits, as used by FINESS
 * and RPPS keys: the digit to append (FORM-2).
 *
 * `import { luhnCheckDigit } from '@s3404/core'`
 *
 * @example
 * ```ts
 * luhnCheckDigit('75071218') // 4 — FINESS 750712184
 * ```
 * @public
 */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  // The rightmost payload digit is doubled (it becomes the second from the
  // right once the check digit is appended).
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

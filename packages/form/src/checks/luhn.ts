/**
 * Luhn (mod 10) check digit of a string of decimal digits, as used by FINESS
 * and RPPS keys. The digit returned is the one to append.
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

/** True when the last digit of `digits` is its Luhn check digit. */
export function luhnIsValid(digits: string): boolean {
  if (digits.length < 2) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

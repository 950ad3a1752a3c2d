import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '@s3404/core';

// 13 characters (sex, year, month, department incl. 2A/2B, commune, order), optional key; spaces allowed.
const NIR = /(?<![0-9A-Za-z])[1-478]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}(?:\s?\d{2})?(?![0-9A-Za-z])/gi;

/**
 * Replaces anything that looks like a NIR (numéro de sécurité sociale) in a
 * traced text by a pseudonym, so a NIR is never stored in clear (AUD-1,
 * AUD-4): `nir~` and 16 hex digits of HMAC-SHA-256 under the
 * establishment's key (the same NIR gives the same pseudonym, without the
 * key nobody can test a guess), or `nir~masque` without a key.
 *
 * `import { pseudonymizeNirs } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * pseudonymizeNirs('patient 2 55 08 14 168 025 38', key) // 'patient nir~3f…'
 * ```
 * @public
 */
export function pseudonymizeNirs(text: string, key?: Uint8Array): string {
  if (typeof text !== 'string') return text;
  NIR.lastIndex = 0;
  if (!NIR.test(text)) return text;
  NIR.lastIndex = 0;
  return text.replace(NIR, (match) => {
    if (key === undefined) return 'nir~masque';
    const normalized = match.replace(/\s/g, '').toUpperCase().slice(0, 13);
    return `nir~${toHex(hmac(sha256, key, new TextEncoder().encode(normalized))).slice(0, 16)}`;
  });
}

import { sha256 } from '@noble/hashes/sha2.js';
import { isValidFiness, normalizeBordereauId, resolveLocale, toHex, type Locale, type LocalizedText } from '@s3404/core';
import { SealError } from './errors/seal-error.js';
import type { Scope } from './record-schema.js';

/** Options of {@link accountingDayScope} (SIG-10). @public */
export interface AccountingDayScopeOptions {
  /** FINESS of the establishment whose day it is. */
  readonly finess: string;
  /** The accounting day, `AAAA-MM-JJ`. */
  readonly day: string;
  /** Identifiers of every bordereau of that day (any order, no duplicates). */
  readonly bordereauIds: readonly string[];
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale | undefined;
}

/**
 * The digest that binds a journée comptable record to the exact set of that
 * day's bordereaux (SIG-10): SHA-256, in lowercase hex, of the normalised
 * identifiers sorted in code-point order and joined with `\n` (no trailing
 * newline).
 *
 * `import { dayBordereauxDigest } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * dayBordereauxDigest(['6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', …]) // '3f1c…' (64 hex digits)
 * ```
 * @throws {@link SealError} `ERR_RECORD_INVALID` for an invalid or duplicated identifier, or an empty set.
 * @public
 */
export function dayBordereauxDigest(bordereauIds: readonly string[], options: { readonly locale?: Locale | undefined } = {}): string {
  const locale = resolveLocale(options.locale);
  const invalid = (detail: LocalizedText): SealError => new SealError('ERR_RECORD_INVALID', { params: { detail }, locale });
  if (!Array.isArray(bordereauIds) || bordereauIds.length === 0 || bordereauIds.length > 100_000) {
    throw invalid({ fr: 'ensemble de bordereaux vide ou trop grand', en: 'empty or too large set of bordereaux' });
  }
  const ids = bordereauIds.map((id) => {
    const n = typeof id === 'string' ? normalizeBordereauId(id) : null;
    if (n === null) throw invalid({ fr: 'identifiant de bordereau invalide', en: 'invalid bordereau identifier' });
    return n;
  });
  ids.sort();
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === ids[i - 1]) throw invalid({ fr: `bordereau en double ${ids[i]}`, en: `duplicate bordereau ${ids[i]}` });
  }
  return toHex(sha256(new TextEncoder().encode(ids.join('\n'))));
}

/**
 * The scope of a director's journée comptable signature (SIG-10): the
 * establishment, the day, and the count and digest of its bordereaux.
 *
 * `import { accountingDayScope } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const scope = accountingDayScope({ finess: '750300360', day: '2026-03-20', bordereauIds })
 * ```
 * @throws {@link SealError} `ERR_RECORD_INVALID` for a bad FINESS, day or identifier.
 * @public
 */
export function accountingDayScope(options: AccountingDayScopeOptions): Extract<Scope, { kind: 'accounting-day' }> {
  const { finess, day, bordereauIds } = options;
  const locale = resolveLocale(options.locale);
  if (typeof finess !== 'string' || !isValidFiness(finess)) throw new SealError('ERR_RECORD_INVALID', { params: { detail: 'FINESS' }, locale });
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new SealError('ERR_RECORD_INVALID', { params: { detail: { fr: 'journée AAAA-MM-JJ', en: 'day YYYY-MM-DD' } }, locale });
  }
  return { kind: 'accounting-day', finess, day, bordereaux: { count: bordereauIds.length, digest: dayBordereauxDigest(bordereauIds, { locale }) } };
}

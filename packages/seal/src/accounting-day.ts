import { sha256 } from '@noble/hashes/sha2.js';
import { isValidFiness, normalizeBordereauId } from '@s3404/form';
import type { Locale } from '@s3404/form/errors';
import { SealError } from './errors/seal-error.js';
import { toHex } from './internal/base64.js';
import type { Scope } from './record-schema.js';

/** Options of {@link accountingDayScope} (SIG-10). @public */
export interface AccountingDayScopeOptions {
  /** FINESS of the establishment whose day it is. */
  readonly finess: string;
  /** The accounting day, `AAAA-MM-JJ`. */
  readonly day: string;
  /** Identifiers of every bordereau of that day (any order, no duplicates). */
  readonly bordereauIds: readonly string[];
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
 * @throws {@link SealError} `ERR_RECORD_INVALID` for an invalid or duplicated identifier, or an empty set.
 * @public
 */
export function dayBordereauxDigest(bordereauIds: readonly string[], options: { readonly locale?: Locale | undefined } = {}): string {
  if (!Array.isArray(bordereauIds) || bordereauIds.length === 0 || bordereauIds.length > 100_000) {
    throw new SealError('ERR_RECORD_INVALID', { params: { detail: 'ensemble de bordereaux vide ou trop grand / empty or too large set' }, locale: options.locale });
  }
  const ids = bordereauIds.map((id) => {
    const n = typeof id === 'string' ? normalizeBordereauId(id) : null;
    if (n === null) throw new SealError('ERR_RECORD_INVALID', { params: { detail: `identifiant de bordereau invalide / invalid bordereau id` }, locale: options.locale });
    return n;
  });
  ids.sort();
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === ids[i - 1]) throw new SealError('ERR_RECORD_INVALID', { params: { detail: `bordereau en double / duplicate bordereau ${ids[i]}` }, locale: options.locale });
  }
  return toHex(sha256(new TextEncoder().encode(ids.join('\n'))));
}

/**
 * The scope of a director's journée comptable signature (SIG-10): the
 * establishment, the day, and the count and digest of its bordereaux.
 *
 * @example
 * ```ts
 * const scope = accountingDayScope({ finess: '750300360', day: '2026-03-20', bordereauIds })
 * ```
 * @throws {@link SealError} `ERR_RECORD_INVALID` for a bad FINESS, day or identifier.
 * @public
 */
export function accountingDayScope(options: AccountingDayScopeOptions): Extract<Scope, { kind: 'accounting-day' }> {
  const { finess, day, bordereauIds, locale } = options;
  if (typeof finess !== 'string' || !isValidFiness(finess)) throw new SealError('ERR_RECORD_INVALID', { params: { detail: 'FINESS' }, locale });
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new SealError('ERR_RECORD_INVALID', { params: { detail: 'journée AAAA-MM-JJ / day YYYY-MM-DD' }, locale });
  }
  return { kind: 'accounting-day', finess, day, bordereaux: { count: bordereauIds.length, digest: dayBordereauxDigest(bordereauIds, { locale }) } };
}

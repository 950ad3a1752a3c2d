import { sha256 } from '@noble/hashes/sha2.js';
import { isValidFiness, normalizeBordereauId, resolveLocale, toHex, type Locale, type LocalizedText } from '@s3404/core';
import { SealError } from './errors/seal-error.js';
import type { Scope } from './record-schema.js';

/**
 * One bordereau of an accounting day as the director's signature binds it
 * (SIG-4, SIG-10): its identifier and the hash of its exact content
 * (`contentHash()` of `@s3404/form`, printed on every page of its PDF and
 * returned by `readSignatureSlots`; 64 lowercase hex digits).
 *
 * @public
 */
export interface DayBordereau {
  readonly bordereauId: string;
  readonly contentHash: string;
}

/** Options of {@link accountingDayScope} (SIG-10). @public */
export interface AccountingDayScopeOptions {
  /** FINESS of the establishment whose day it is. */
  readonly finess: string;
  /** The accounting day, `AAAA-MM-JJ`. */
  readonly day: string;
  /** Every bordereau of that day, with its content hash (any order, one entry per identifier). */
  readonly bordereaux: readonly DayBordereau[];
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale | undefined;
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * The digest that binds a journée comptable record to the exact set of that
 * day's bordereaux and to their exact content (SIG-4, SIG-10): SHA-256, in
 * lowercase hex, of one line `ID CONTENTHASH` per bordereau (normalised
 * identifier, one space, content hash in lowercase hex), the lines sorted in
 * code-point order and joined with `\n` (no trailing newline). A bordereau
 * altered after the signature changes its hash, so the digest no longer
 * matches.
 *
 * `import { dayBordereauxDigest } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * dayBordereauxDigest([{ bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', contentHash: contentHash(b) }, …]) // '3f1c…' (64 hex digits)
 * ```
 * @throws {@link SealError} `ERR_RECORD_INVALID` for an invalid identifier or content hash, an identifier given twice,
 * or an empty set.
 * @public
 */
export function dayBordereauxDigest(bordereaux: readonly DayBordereau[], options: { readonly locale?: Locale | undefined } = {}): string {
  const locale = resolveLocale(options.locale);
  const invalid = (detail: LocalizedText): SealError => new SealError('ERR_RECORD_INVALID', { params: { detail }, locale });
  if (!Array.isArray(bordereaux) || bordereaux.length === 0 || bordereaux.length > 100_000) {
    throw invalid({ fr: 'ensemble de bordereaux vide ou trop grand', en: 'empty or too large set of bordereaux' });
  }
  const entries = bordereaux.map((entry: unknown) => {
    const e = (entry ?? {}) as { readonly bordereauId?: unknown; readonly contentHash?: unknown };
    const id = typeof e.bordereauId === 'string' ? normalizeBordereauId(e.bordereauId) : null;
    if (id === null) throw invalid({ fr: 'identifiant de bordereau invalide', en: 'invalid bordereau identifier' });
    if (typeof e.contentHash !== 'string' || !HASH.test(e.contentHash)) {
      throw invalid({
        fr: `empreinte du contenu du bordereau ${id} invalide (64 chiffres hexadécimaux en minuscules)`,
        en: `invalid content hash of bordereau ${id} (64 lowercase hex digits)`,
      });
    }
    return { id, line: `${id} ${e.contentHash}` };
  });
  entries.sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    const id = entries[i]!.id;
    if (id === entries[i - 1]!.id) throw invalid({ fr: `bordereau en double ${id}`, en: `duplicate bordereau ${id}` });
  }
  return toHex(sha256(new TextEncoder().encode(entries.map((e) => e.line).join('\n'))));
}

/**
 * The scope of a director's journée comptable signature (SIG-4, SIG-10): the
 * establishment, the day, and the count and digest of its bordereaux, each
 * bound by identifier and content hash ({@link dayBordereauxDigest}).
 *
 * `import { accountingDayScope } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const scope = accountingDayScope({ finess: '750300360', day: '2026-03-20',
 *   bordereaux: rendered.map((r) => ({ bordereauId: r.bordereauId, contentHash: r.contentHash })) })
 * ```
 * @throws {@link SealError} `ERR_RECORD_INVALID` for a bad FINESS or day, an invalid identifier or content hash, an
 * identifier given twice, or an empty set.
 * @throws TypeError for the `bordereauIds` option of record format 1.0 (now `bordereaux`, with content hashes).
 * @public
 */
export function accountingDayScope(options: AccountingDayScopeOptions): Extract<Scope, { kind: 'accounting-day' }> {
  if (options !== null && typeof options === 'object' && 'bordereauIds' in options) {
    throw new TypeError('accountingDayScope: bordereauIds was replaced by bordereaux: [{ bordereauId, contentHash }] (SIG-4, record format 1.1)');
  }
  const { finess, day, bordereaux } = options;
  const locale = resolveLocale(options.locale);
  if (typeof finess !== 'string' || !isValidFiness(finess)) throw new SealError('ERR_RECORD_INVALID', { params: { detail: 'FINESS' }, locale });
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new SealError('ERR_RECORD_INVALID', { params: { detail: { fr: 'journée AAAA-MM-JJ', en: 'day YYYY-MM-DD' } }, locale });
  }
  return { kind: 'accounting-day', finess, day, bordereaux: { count: bordereaux.length, digest: dayBordereauxDigest(bordereaux, { locale }) } };
}

import { resolveLocale, type Locale } from '@s3404/core';
import { AuditError } from './errors/audit-error.js';

/**
 * Default retention of traces, months (AUD-3): the 2016 text's 24 (the 2018 annex says 12).
 *
 * `import { DEFAULT_RETENTION_MONTHS } from '@s3404/audit'`
 *
 * @public
 */
export const DEFAULT_RETENTION_MONTHS = 24;
/**
 * Shortest retention accepted, months (AUD-3).
 *
 * `import { MIN_RETENTION_MONTHS } from '@s3404/audit'`
 *
 * @public
 */
export const MIN_RETENTION_MONTHS = 12;

/**
 * Options of {@link resolveRetentionMonths} (AUD-3).
 *
 * `import type { RetentionMonthsOptions } from '@s3404/audit'`
 *
 * @public
 */
export interface RetentionMonthsOptions {
  /** Language of the error message. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * The retention a setting gives (AUD-3): 24 months when `undefined`, else
 * the setting itself, which must be an integer number of months, at least
 * 12, at most 1200. `createAuditLog` resolves its `retentionMonths` so.
 *
 * `import { resolveRetentionMonths } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * resolveRetentionMonths(undefined)             // 24
 * resolveRetentionMonths(36)                    // 36
 * resolveRetentionMonths(6, { locale: 'en' })   // throws ERR_AUDIT_RETENTION_TOO_SHORT
 * ```
 * @throws {@link AuditError} `ERR_AUDIT_RETENTION_TOO_SHORT` (kind `input`).
 * @public
 */
export function resolveRetentionMonths(months: number | undefined, options: RetentionMonthsOptions = {}): number {
  if (months === undefined) return DEFAULT_RETENTION_MONTHS;
  if (!Number.isInteger(months) || months < MIN_RETENTION_MONTHS || months > 1200) {
    throw new AuditError('ERR_AUDIT_RETENTION_TOO_SHORT', { params: { months: String(months) }, locale: resolveLocale(options?.locale) });
  }
  return months;
}

/**
 * The oldest instant that must still be kept at the instant `at` (AUD-3):
 * `at` minus `months` calendar months (UTC), clamped to the month's last
 * day.
 *
 * `import { retentionCutoff } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * retentionCutoff(new Date('2026-03-31T00:00:00Z'), 24) // 2024-03-31T00:00:00Z
 * ```
 * @public
 */
export function retentionCutoff(at: Date, months: number = DEFAULT_RETENTION_MONTHS): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() - months;
  const target = new Date(Date.UTC(y, m, 1, at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return target;
}

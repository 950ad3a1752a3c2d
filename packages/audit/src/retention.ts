import type { Locale } from '@s3404/form/errors';
import { AuditError } from './errors/audit-error.js';

/** Default retention of traces, months (AUD-3): the 2016 text's 24 (the 2018 annex says 12). @public */
export const DEFAULT_RETENTION_MONTHS = 24;
/** Shortest retention accepted, months (AUD-3). @public */
export const MIN_RETENTION_MONTHS = 12;

/**
 * Checks a retention setting (AUD-3): an integer number of months, at least
 * 12, at most 1200.
 *
 * @throws {@link AuditError} `ERR_AUDIT_RETENTION_TOO_SHORT`.
 * @public
 */
export function checkRetentionMonths(months: number = DEFAULT_RETENTION_MONTHS, locale: Locale = 'fr'): number {
  if (!Number.isInteger(months) || months < MIN_RETENTION_MONTHS || months > 1200) {
    throw new AuditError('ERR_AUDIT_RETENTION_TOO_SHORT', { params: { months: String(months) }, locale });
  }
  return months;
}

/**
 * The oldest instant that must still be kept (AUD-3): `now` minus
 * `months` calendar months (UTC), clamped to the month's last day.
 *
 * @example `retentionCutoff(new Date('2026-03-31T00:00:00Z'), 24)` → 2024-03-31T00:00:00Z
 * @public
 */
export function retentionCutoff(now: Date, months: number = DEFAULT_RETENTION_MONTHS): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const target = new Date(Date.UTC(y, m, 1, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  return target;
}

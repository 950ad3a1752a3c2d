import { resolveLocale, truncateForMessage, type Locale } from '@s3404/core';
import { AuditError } from '../errors/audit-error.js';

/**
 * Options of {@link parsePeriod} (AUD-4).
 *
 * `import type { PeriodOptions } from '@s3404/audit'`
 *
 * @public
 */
export interface PeriodOptions {
  /** Language of the error message. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** A half-open export period `[from, to)` (AUD-4). `import type { ExportPeriod } from '@s3404/audit'` @public */
export interface ExportPeriod {
  /** First instant included. */
  readonly from: Date;
  /** First instant excluded. */
  readonly to: Date;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;
/** Smallest and largest instants whose ISO form compares as a string (years 0000…9999). */
const MIN_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

function periodError(detail: string, options: PeriodOptions | undefined): AuditError {
  return new AuditError('ERR_AUDIT_PERIOD_INVALID', { params: { detail }, locale: resolveLocale(options?.locale) });
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Midnight UTC of a `YYYY-MM-DD` date, or null when it is not a real calendar date. */
function dateMs(text: string): number | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return t.getTime();
}

/** An ISO 8601 instant with an explicit offset (`Z` or `±HH:MM`), or null. */
function instantMs(text: string): number | null {
  const m = INSTANT.exec(text);
  if (m === null) return null;
  const day = dateMs(`${m[1]}-${m[2]}-${m[3]}`);
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? '0')];
  if (day === null || h > 23 || mi > 59 || s > 59) return null;
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  let offset = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[8]!.slice(1, 3));
    const om = Number(m[8]!.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offset = (m[8]!.startsWith('-') ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return day + ((h * 60 + mi) * 60 + s) * 1000 + ms - offset;
}

/**
 * Checks an export period (AUD-4): two valid dates, `from` strictly before
 * `to`, both within the years 0000…9999 (so ISO strings compare as
 * instants); returns copies. Internal: `exportEvents` checks its `from` and
 * `to` with it.
 *
 * @throws {@link AuditError} `ERR_AUDIT_PERIOD_INVALID` (kind `input`).
 */
export function checkPeriod(from: Date, to: Date, options?: PeriodOptions): ExportPeriod {
  const ok = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime()) && d.getTime() >= MIN_MS && d.getTime() <= MAX_MS;
  if (!ok(from)) throw periodError(`from = ${String(from)}`, options);
  if (!ok(to)) throw periodError(`to = ${String(to)}`, options);
  if (from.getTime() >= to.getTime()) throw periodError(`${from.toISOString()} ≥ ${to.toISOString()}`, options);
  return { from: new Date(from.getTime()), to: new Date(to.getTime()) };
}

/**
 * Reads an export period from text, as a command line gives it (AUD-4).
 *
 * - A date `YYYY-MM-DD` is a whole **UTC** day (not a Paris day): as
 *   `from` it means that day at 00:00:00.000Z; as `to` it is **inclusive**
 *   and means the next day at 00:00:00.000Z. `parsePeriod('2026-03-01',
 *   '2026-03-31')` is the whole of March (UTC).
 * - An instant is ISO 8601 with an explicit offset,
 *   `YYYY-MM-DDTHH:mm[:ss[.sss]](Z|±HH:MM)`; as `to` it is **exclusive**.
 *   Without an offset it is refused (local time would be ambiguous).
 *
 * `import { parsePeriod } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * parsePeriod('2026-03-20', '2026-03-21') // { from: 2026-03-20T00:00Z, to: 2026-03-22T00:00Z }
 * parsePeriod('2026-03-20T08:00+01:00', '2026-03-20T12:00Z')
 * ```
 * @throws {@link AuditError} `ERR_AUDIT_PERIOD_INVALID` (kind `input`) for an unreadable date or `from` not before `to`.
 * @public
 */
export function parsePeriod(from: string, to: string, options?: PeriodOptions): ExportPeriod {
  if (typeof from !== 'string' || typeof to !== 'string') throw periodError(`${String(from)} → ${String(to)}`, options);
  const f = dateMs(from) ?? instantMs(from);
  if (f === null) throw periodError(truncateForMessage(from, 64), options);
  const toDay = dateMs(to);
  const t = toDay === null ? instantMs(to) : toDay + DAY_MS;
  if (t === null) throw periodError(truncateForMessage(to, 64), options);
  return checkPeriod(new Date(f), new Date(t), options);
}

/**
 * The stem of an export's file names: an ISO 8601 interval with `--` for
 * `/` (ISO 8601-1 allows it in file names). Whole UTC days are written as
 * dates, the last day included (`audit-2026-03-20--2026-03-21`, or
 * `audit-2026-03-20` for one day); otherwise as basic-format instants,
 * `to` excluded (`audit-20260320T081500Z--20260320T120000Z`).
 */
export function periodStem(p: ExportPeriod): string {
  const f = p.from.getTime();
  const t = p.to.getTime();
  if (f % DAY_MS === 0 && t % DAY_MS === 0) {
    const first = p.from.toISOString().slice(0, 10);
    const last = new Date(t - DAY_MS).toISOString().slice(0, 10);
    return first === last ? `audit-${first}` : `audit-${first}--${last}`;
  }
  const basic = (d: Date): string => {
    const iso = d.toISOString();
    return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${d.getUTCMilliseconds() === 0 ? '' : iso.slice(19, 23)}Z`;
  };
  return `audit-${basic(p.from)}--${basic(p.to)}`;
}

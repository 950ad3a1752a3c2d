/**
 * French formatting of amounts and dates, deterministic and independent of
 * the runtime's ICU data (Intl output varies between Node builds and
 * browsers; a PDF must not).
 */

const NNBSP = '\u202f';

/**
 * Formats cents as French euros: `123456` → `1 234,56 €` (narrow no-break
 * space between thousands, no-break space before €), as
 * `Intl.NumberFormat('fr-FR')` does (FORM-4).
 *
 * @public
 */
export function formatCents(cents: number, options: { readonly currency?: boolean } = {}): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const euros = Math.floor(abs / 100).toString();
  const rest = (abs % 100).toString().padStart(2, '0');
  let grouped = '';
  for (let i = 0; i < euros.length; i++) {
    if (i > 0 && (euros.length - i) % 3 === 0) grouped += NNBSP;
    grouped += euros[i];
  }
  return `${negative ? '−' : ''}${grouped},${rest}${options.currency === false ? '' : '\u00a0€'}`;
}

/**
 * Formats an ISO date `2026-03-14` as `14/03/2026` (jj/mm/aaaa).
 *
 * @public
 */
export function formatDateFr(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * Formats an instant as `jj/mm/aaaa hh:mm` (or with seconds) in French legal
 * time (Europe/Paris), computed without Intl time-zone data: CET/CEST
 * switch on the last Sunday of March and October at 01:00 UTC (FORM-6, SIG-1).
 *
 * @public
 */
export function formatDateTimeFr(instant: Date, options: { readonly seconds?: boolean } = {}): string {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new TypeError('formatDateTimeFr: invalid Date');
  const local = new Date(t + parisOffsetMinutes(instant) * 60_000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const base = `${p2(local.getUTCDate())}/${p2(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}`;
  return options.seconds === true ? `${base}:${p2(local.getUTCSeconds())}` : base;
}

function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1, 0, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.getTime();
}

/** Offset of Europe/Paris from UTC, in minutes (60 or 120), EU rules since 1996. */
export function parisOffsetMinutes(instant: Date): number {
  const year = instant.getUTCFullYear();
  const t = instant.getTime();
  return t >= lastSundayUtc(year, 2) && t < lastSundayUtc(year, 9) ? 120 : 60;
}

import { formatDateTimeFr } from '@s3404/form';

/** The calendar day in Paris of an instant, `AAAA-MM-JJ` (mandates and agreements are dated in French time). */
export function parisDay(instant: Date): string {
  const [d, m, y] = formatDateTimeFr(instant).slice(0, 10).split('/');
  return `${y}-${m}-${d}`;
}

/** An instant as the record writes it: ISO 8601 UTC with milliseconds. */
export function isoInstant(date: Date): string {
  return date.toISOString();
}

/** Reads a clock option (a function, for determinism) or the system clock. */
export function clock(now: (() => Date) | undefined): () => Date {
  return now ?? (() => new Date());
}

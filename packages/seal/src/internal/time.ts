import { formatDateTimeFr } from '@s3404/form';

/** The calendar day in Paris of an instant, `AAAA-MM-JJ` (mandates and agreements are dated in French time). */
export function parisDay(instant: Date): string {
  const [d, m, y] = formatDateTimeFr(instant).slice(0, 10).split('/');
  return `${y}-${m}-${d}`;
}

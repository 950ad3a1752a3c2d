const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in Paris of an ISO instant, `AAAA-MM-JJ` (checkpoints are daily in French time). */
export function parisDay(iso: string): string {
  return format.format(new Date(iso));
}

const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

const HOUR_MS = 3_600_000;

/** The last UTC hour whose instants all fall on one Paris day, and that day: `from` to `to` inclusive (ms). */
let from = 0;
let to = -1;
let day = '';

/**
 * The calendar day in Paris of an ISO instant, `AAAA-MM-JJ` (checkpoints
 * are daily in French time). The log asks twice per event once it has a
 * signer, and `Intl` formatting cost four tenths of an append (issue 19):
 * the day of the UTC hour last asked is kept, when its first and last
 * milliseconds fall on the same Paris day (Paris days begin on a UTC hour),
 * and an instant in it is answered without formatting.
 *
 * @throws RangeError for an instant that is not a date, as `Intl` does.
 */
export function parisDay(iso: string): string {
  const ms = Date.parse(iso);
  if (ms >= from && ms <= to) return day;
  const d = format.format(new Date(ms));
  const start = ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS);
  const end = start + HOUR_MS - 1;
  if (format.format(new Date(start)) === d && format.format(new Date(end)) === d) {
    from = start;
    to = end;
    day = d;
  }
  return d;
}

/**
 * French working-day calendar ("jours ouvrés") in Paris time, for SCOR-3:
 * without a positive ARL PJ a lot is retried for 5 working days from its
 * first attempt, then flagged for the paper fallback.
 *
 * Holidays: Code du travail L3133-1 (metropolitan France); local law of
 * Alsace-Moselle, Code du travail L3134-13 (Vendredi saint, 26 décembre).
 * Pure and runtime-agnostic: only `Date` and `Intl` are used.
 *
 * @packageDocumentation
 */

/**
 * A public holiday (SCOR-3; Code du travail L3133-1, and L3134-13 for
 * Alsace-Moselle).
 *
 * `import { frenchPublicHolidays, type PublicHoliday } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const easterMonday: PublicHoliday = frenchPublicHolidays(2026)[1]! // { date: '2026-04-06', name: 'Lundi de Pâques' }
 * ```
 * @public
 */
export interface PublicHoliday {
  /** The day, `YYYY-MM-DD`. */
  readonly date: string;
  /** French name, e.g. `'Lundi de Pâques'`. */
  readonly name: string;
}

/**
 * Options of {@link frenchCalendar} (SCOR-3; Code du travail L3133-1, and
 * local law of Alsace-Moselle, Code du travail L3134-13).
 *
 * `import { frenchCalendar, type FrenchCalendarOptions } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const options: FrenchCalendarOptions = { alsaceMoselle: true, extraHolidays: ['2026-12-24'] }
 * const calendar = frenchCalendar(options)
 * ```
 * @public
 */
export interface FrenchCalendarOptions {
  /**
   * Adds the two Alsace-Moselle holidays (Vendredi saint, 26 décembre
   * « Saint-Étienne »; Code du travail L3134-13). L3134-13 makes Good Friday a
   * holiday only in communes with a Protestant temple or a mixed church; it is
   * applied here to the whole of Alsace-Moselle, as is usual. Default false.
   */
  readonly alsaceMoselle?: boolean;
  /** Extra non-working days `YYYY-MM-DD` (an establishment's closure, a new holiday). */
  readonly extraHolidays?: readonly string[];
}

/**
 * A working-day calendar in Paris time (SCOR-3). A working day ("jour ouvré")
 * is a Monday–Friday that is neither a public holiday (Code du travail
 * L3133-1; L3134-13 in Alsace-Moselle) nor an extra holiday.
 *
 * `import { frenchCalendar, type WorkingCalendar } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const calendar: WorkingCalendar = frenchCalendar()
 * calendar.isWorkingDay('2026-04-06') // false (Lundi de Pâques)
 * ```
 * @public
 */
export interface WorkingCalendar {
  /** Whether the Alsace-Moselle holidays apply. */
  readonly alsaceMoselle: boolean;
  /** true for Monday–Friday that is not a holiday; `day` is YYYY-MM-DD. */
  isWorkingDay(day: string): boolean;
  /** The Paris calendar day (YYYY-MM-DD) of an instant. */
  dayOf(instant: Date): string;
  /** The instant (UTC Date) of 00:00 Paris time on `day` (handles CET/CEST). */
  startOfDay(day: string): Date;
  /**
   * The end of the `n`-th working day after the Paris day of `from` (the day of `from` itself never counts,
   * whatever the hour; French "dies a quo" rule), i.e. 00:00 Paris time of the following calendar day.
   * n = 0 returns the end of the day of `from`. Example: from Monday 2026-03-02 10:00 Paris, n = 5 → the instant
   * 2026-03-10T00:00 Paris (end of Monday 2026-03-09). From Saturday → ends on Friday of the next week, etc.
   */
  workingDaysDeadline(from: Date, n: number): Date;
  /** Number of working days strictly after the Paris day of `from` up to and including the Paris day of `to` (0 if to <= from). */
  workingDaysBetween(from: Date, to: Date): number;
  /**
   * Holidays of a year under this calendar's options, sorted by date: the
   * public holidays, then each extra holiday of that year that is not already
   * one, named `'Jour non ouvré supplémentaire'`.
   */
  holidays(year: number): readonly PublicHoliday[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MIN_YEAR = 1583; // first full Gregorian year
const MAX_YEAR = 9999;
const MAX_N = 366;
const EXTRA_HOLIDAY_NAME = 'Jour non ouvré supplémentaire';
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 (UTC civil arithmetic, no time zone involved). */
type EpochDay = number;

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`SCOR-3 calendar: year must be an integer ${MIN_YEAR}–${MAX_YEAR}, got ${String(year)}`);
  }
}

function checkDate(value: Date, label: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`SCOR-3 calendar: ${label} must be a valid Date`);
  }
}

function toEpochDay(year: number, month: number, day: number): EpochDay {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function yearOf(day: EpochDay): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function formatDay(day: EpochDay): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Parses a `YYYY-MM-DD` real date of years 1583–9999. */
function parseDay(day: string): EpochDay {
  if (typeof day !== 'string') throw new TypeError('SCOR-3 calendar: a day must be a YYYY-MM-DD string');
  const match = DAY_PATTERN.exec(day);
  if (match === null) throw new RangeError(`SCOR-3 calendar: not a YYYY-MM-DD day: ${JSON.stringify(day)}`);
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  checkYear(year);
  const epochDay = toEpochDay(year, month, date);
  if (formatDay(epochDay) !== day) {
    throw new RangeError(`SCOR-3 calendar: not a real date: ${day}`);
  }
  return epochDay;
}

/** Monday–Friday. 1970-01-01 was a Thursday. */
function isWeekday(day: EpochDay): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday >= 1 && weekday <= 5;
}

/** Number of Monday–Friday days before `day` since Monday 1970-01-05 (negative before). */
function weekdaysBefore(day: EpochDay): number {
  const sinceMonday = day - 4;
  const weeks = Math.floor(sinceMonday / 7);
  return 5 * weeks + Math.min(sinceMonday - 7 * weeks, 5);
}

/**
 * Easter Sunday of a Gregorian year, `YYYY-MM-DD`, by the anonymous Gregorian
 * algorithm (Meeus–Jones–Butcher). It dates the movable holidays of SCOR-3's
 * calendar: Lundi de Pâques, Ascension, Lundi de Pentecôte (Code du travail
 * L3133-1) and Vendredi saint in Alsace-Moselle (Code du travail L3134-13).
 *
 * `import { easterSunday } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * easterSunday(2026) // '2026-04-05'
 * ```
 * @throws RangeError when `year` is not an integer 1583–9999.
 * @public
 */
export function easterSunday(year: number): string {
  checkYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDay(toEpochDay(year, month, day));
}

/**
 * The public holidays of a year in France, sorted by date (SCOR-3): the
 * eleven of Code du travail L3133-1, plus Vendredi saint and 26 décembre
 * « Saint-Étienne » with `alsaceMoselle` (local law, Code du travail
 * L3134-13). When two holidays fall on the same day (Ascension on 1 or 8 May,
 * e.g. 2008-05-01) both are listed.
 *
 * `import { frenchPublicHolidays } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * frenchPublicHolidays(2026, { alsaceMoselle: true })[1] // { date: '2026-04-03', name: 'Vendredi saint' }
 * ```
 * @throws RangeError when `year` is not an integer 1583–9999.
 * @public
 */
export function frenchPublicHolidays(year: number, options: { readonly alsaceMoselle?: boolean } = {}): readonly PublicHoliday[] {
  const easter = parseDay(easterSunday(year));
  const fixed = (month: number, day: number): string => formatDay(toEpochDay(year, month, day));
  const movable = (offset: number): string => formatDay(easter + offset);
  const list: PublicHoliday[] = [
    { date: fixed(1, 1), name: "Jour de l'an" },
    { date: movable(1), name: 'Lundi de Pâques' },
    { date: fixed(5, 1), name: 'Fête du travail' },
    { date: fixed(5, 8), name: 'Victoire 1945' },
    { date: movable(39), name: 'Ascension' },
    { date: movable(50), name: 'Lundi de Pentecôte' },
    { date: fixed(7, 14), name: 'Fête nationale' },
    { date: fixed(8, 15), name: 'Assomption' },
    { date: fixed(11, 1), name: 'Toussaint' },
    { date: fixed(11, 11), name: 'Armistice' },
    { date: fixed(12, 25), name: 'Noël' },
  ];
  if (options.alsaceMoselle === true) {
    list.push({ date: movable(-2), name: 'Vendredi saint' }, { date: fixed(12, 26), name: 'Saint-Étienne' });
  }
  return Object.freeze(list.sort(byDate).map((holiday) => Object.freeze(holiday)));
}

function byDate(x: PublicHoliday, y: PublicHoliday): number {
  return x.date < y.date ? -1 : x.date > y.date ? 1 : 0;
}

/** A year's holidays under a calendar's options. */
interface YearHolidays {
  readonly list: readonly PublicHoliday[];
  readonly offDays: ReadonlySet<EpochDay>;
}

/**
 * Creates a French working-day calendar in Paris time (SCOR-3: a lot without
 * a positive ARL PJ is retried for 5 working days from its first attempt).
 * Holidays: Code du travail L3133-1; with `alsaceMoselle`, the local law of
 * Alsace-Moselle (Code du travail L3134-13). Deadlines follow the French
 * "dies a quo" rule: the day of the start never counts, and a deadline ends at
 * 00:00 Paris time after its last working day.
 *
 * `import { frenchCalendar } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const calendar = frenchCalendar()
 * const firstAttempt = new Date('2026-03-02T09:00:00Z') // Monday 10:00 Paris
 * calendar.workingDaysDeadline(firstAttempt, 5) // 2026-03-09T23:00:00.000Z (end of Monday 2026-03-09, Paris)
 * ```
 * @throws RangeError when an extra holiday is not a real `YYYY-MM-DD` day of 1583–9999, or the runtime's
 * `Intl` lacks the `Europe/Paris` time zone.
 * @throws TypeError when `extraHolidays` is not an array.
 * @public
 */
export function frenchCalendar(options: FrenchCalendarOptions = {}): WorkingCalendar {
  const alsaceMoselle = options.alsaceMoselle === true;
  const extraList = options.extraHolidays ?? [];
  if (!Array.isArray(extraList as unknown)) throw new TypeError('SCOR-3 calendar: extraHolidays must be an array');
  const extraDays: ReadonlySet<EpochDay> = new Set(extraList.map((day) => parseDay(day)));
  const formatter = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const cache = new Map<number, YearHolidays>();

  function holidaysOf(year: number): YearHolidays {
    const cached = cache.get(year);
    if (cached !== undefined) return cached;
    const list = [...frenchPublicHolidays(year, { alsaceMoselle })];
    const offDays = new Set(list.map((holiday) => parseDay(holiday.date)));
    for (const day of extraDays) {
      if (yearOf(day) === year && !offDays.has(day)) {
        offDays.add(day);
        list.push(Object.freeze({ date: formatDay(day), name: EXTRA_HOLIDAY_NAME }));
      }
    }
    const entry: YearHolidays = { list: Object.freeze(list.sort(byDate)), offDays };
    cache.set(year, entry);
    return entry;
  }

  function isWorking(day: EpochDay): boolean {
    return isWeekday(day) && !holidaysOf(yearOf(day)).offDays.has(day);
  }

  /** The Paris day of an instant (ms), unchecked for the year range. */
  function parisDay(time: number): EpochDay {
    const parts: Record<string, number> = {};
    for (const part of formatter.formatToParts(time)) parts[part.type] = Number(part.value);
    const day = toEpochDay(parts['year'] ?? NaN, parts['month'] ?? NaN, parts['day'] ?? NaN);
    // Paris is never more than a day away from UTC; anything else is an era or formatting surprise.
    if (!(Math.abs(day - Math.floor(time / DAY_MS)) <= 1)) {
      throw new RangeError(`SCOR-3 calendar: cannot date ${new Date(time).toISOString()} in Paris time`);
    }
    return day;
  }

  function parisDayOf(instant: Date, label: string): EpochDay {
    checkDate(instant, label);
    const day = parisDay(instant.getTime());
    checkYear(yearOf(day));
    return day;
  }

  /** 00:00 Paris time of `day`: the first instant whose Paris day is `day`. */
  function startOf(day: EpochDay): Date {
    const midnightUtc = day * DAY_MS;
    for (const offsetHours of [1, 2]) {
      // CET (UTC+1) or CEST (UTC+2): the usual cases since 1976.
      const candidate = midnightUtc - offsetHours * HOUR_MS;
      if (parisDay(candidate) === day && parisDay(candidate - 1) < day) return new Date(candidate);
    }
    // Older offsets (WET, PMT, LMT +0:09:21, …): bisection to the millisecond over a
    // 4-hour window (Paris has always been within UTC+0…UTC+2), at most 24 steps.
    let before = midnightUtc - 3 * HOUR_MS;
    let after = midnightUtc + HOUR_MS;
    if (!(parisDay(before) < day && parisDay(after) >= day)) {
      throw new RangeError(`SCOR-3 calendar: cannot find 00:00 Paris time on ${formatDay(day)}`);
    }
    while (after - before > 1) {
      const middle = Math.floor((before + after) / 2);
      if (parisDay(middle) >= day) after = middle;
      else before = middle;
    }
    return new Date(after);
  }

  return Object.freeze({
    alsaceMoselle,
    isWorkingDay: (day: string): boolean => isWorking(parseDay(day)),
    dayOf: (instant: Date): string => formatDay(parisDayOf(instant, 'instant')),
    startOfDay: (day: string): Date => startOf(parseDay(day)),
    workingDaysDeadline(from: Date, n: number): Date {
      let day = parisDayOf(from, 'from');
      if (!Number.isInteger(n) || n < 0 || n > MAX_N) {
        throw new RangeError(`SCOR-3 calendar: n must be an integer 0–${MAX_N}, got ${String(n)}`);
      }
      // Any 7 consecutive days hold a working day unless extra holidays fill them: a safe bound.
      const maxSteps = 7 * n + extraDays.size + 7;
      for (let remaining = n, steps = 0; remaining > 0; steps++) {
        if (steps > maxSteps) throw new RangeError('SCOR-3 calendar: no working day found');
        day += 1;
        if (isWorking(day)) remaining -= 1;
      }
      return startOf(day + 1);
    },
    workingDaysBetween(from: Date, to: Date): number {
      const first = parisDayOf(from, 'from');
      const last = parisDayOf(to, 'to');
      if (last <= first) return 0;
      let count = weekdaysBefore(last + 1) - weekdaysBefore(first + 1);
      for (let year = yearOf(first + 1); year <= yearOf(last); year++) {
        for (const off of holidaysOf(year).offDays) {
          if (off > first && off <= last && isWeekday(off)) count -= 1;
        }
      }
      return count;
    },
    holidays: (year: number): readonly PublicHoliday[] => holidaysOf(year).list,
  });
}

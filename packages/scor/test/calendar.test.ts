import { describe, expect, it } from 'vitest';
import { easterSunday, frenchCalendar, frenchPublicHolidays, type WorkingCalendar } from '@s3404/scor';

const HOUR = 3_600_000;
const DAY = 86_400_000;

const metropolitan = frenchCalendar();
const alsace = frenchCalendar({ alsaceMoselle: true });

/** The deadline as an ISO instant, for readable assertions. */
function deadline(calendar: WorkingCalendar, from: string, n: number): string {
  return calendar.workingDaysDeadline(new Date(from), n).toISOString();
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Easter by Gauss's algorithm with its two corrections (independent of the
 * Meeus–Jones–Butcher computus under test, and of `Date`).
 */
function gaussEaster(year: number): string {
  const a = year % 19;
  const b = year % 4;
  const c = year % 7;
  const k = Math.floor(year / 100);
  const p = Math.floor((13 + 8 * k) / 25);
  const q = Math.floor(k / 4);
  const m = (15 - p + k - q) % 30;
  const n = (4 + k - q) % 7;
  const d = (19 * a + m) % 30;
  const e = (2 * b + 4 * c + 6 * d + n) % 7;
  let month = 3;
  let day = 22 + d + e;
  if (d === 29 && e === 6) [month, day] = [4, 19];
  else if (d === 28 && e === 6 && (11 * m + 11) % 30 < 19) [month, day] = [4, 18];
  else if (day > 31) [month, day] = [4, day - 31];
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Last Sunday of a month (UTC civil arithmetic), YYYY-MM-DD. */
function lastSunday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
}

/** Deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('easterSunday', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
    [1961, '1961-04-02'],
    [2000, '2000-04-23'],
    [2019, '2019-04-21'],
  ])('Easter %i is %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it('agrees with Gauss’s algorithm for each of the 201 years 1900–2100', () => {
    const years = Array.from({ length: 201 }, (_, i) => 1900 + i);
    expect(years.map(easterSunday)).toEqual(years.map(gaussEaster));
  });

  it('agrees with Gauss’s algorithm over the whole supported range 1583–9999', () => {
    const mismatches: number[] = [];
    for (let year = 1583; year <= 9999; year++) if (easterSunday(year) !== gaussEaster(year)) mismatches.push(year);
    expect(mismatches).toEqual([]);
  });

  it('always falls on a Sunday between 22 March and 25 April', () => {
    for (let year = 1583; year <= 9999; year += 7) {
      const easter = easterSunday(year);
      expect(new Date(`${easter}T00:00:00Z`).getUTCDay()).toBe(0);
      expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
    }
  });
});

describe('frenchPublicHolidays', () => {
  const metropolitan2026 = [
    { date: '2026-01-01', name: "Jour de l'an" },
    { date: '2026-04-06', name: 'Lundi de Pâques' },
    { date: '2026-05-01', name: 'Fête du travail' },
    { date: '2026-05-08', name: 'Victoire 1945' },
    { date: '2026-05-14', name: 'Ascension' },
    { date: '2026-05-25', name: 'Lundi de Pentecôte' },
    { date: '2026-07-14', name: 'Fête nationale' },
    { date: '2026-08-15', name: 'Assomption' },
    { date: '2026-11-01', name: 'Toussaint' },
    { date: '2026-11-11', name: 'Armistice' },
    { date: '2026-12-25', name: 'Noël' },
  ];
  const alsaceMoselle2026 = [
    { date: '2026-01-01', name: "Jour de l'an" },
    { date: '2026-04-03', name: 'Vendredi saint' },
    { date: '2026-04-06', name: 'Lundi de Pâques' },
    { date: '2026-05-01', name: 'Fête du travail' },
    { date: '2026-05-08', name: 'Victoire 1945' },
    { date: '2026-05-14', name: 'Ascension' },
    { date: '2026-05-25', name: 'Lundi de Pentecôte' },
    { date: '2026-07-14', name: 'Fête nationale' },
    { date: '2026-08-15', name: 'Assomption' },
    { date: '2026-11-01', name: 'Toussaint' },
    { date: '2026-11-11', name: 'Armistice' },
    { date: '2026-12-25', name: 'Noël' },
    { date: '2026-12-26', name: 'Saint-Étienne' },
  ];

  it('lists the 11 metropolitan holidays of 2026 (Code du travail L3133-1)', () => {
    expect(frenchPublicHolidays(2026)).toEqual(metropolitan2026);
    expect(frenchPublicHolidays(2026, { alsaceMoselle: false })).toEqual(metropolitan2026);
    expect(metropolitan.holidays(2026)).toEqual(metropolitan2026);
  });

  it('lists the 13 Alsace-Moselle holidays of 2026 (Code du travail L3134-13)', () => {
    expect(frenchPublicHolidays(2026, { alsaceMoselle: true })).toEqual(alsaceMoselle2026);
    expect(alsace.holidays(2026)).toEqual(alsaceMoselle2026);
  });

  it('keeps both holidays when Ascension falls on 1 May (2008)', () => {
    const may = frenchPublicHolidays(2008).filter((h) => h.date.startsWith('2008-05'));
    expect(may).toEqual([
      { date: '2008-05-01', name: 'Fête du travail' },
      { date: '2008-05-01', name: 'Ascension' },
      { date: '2008-05-08', name: 'Victoire 1945' },
      { date: '2008-05-12', name: 'Lundi de Pentecôte' },
    ]);
  });

  it('returns frozen lists, cached per year inside a calendar', () => {
    const list = metropolitan.holidays(2027);
    expect(Object.isFrozen(list)).toBe(true);
    expect(Object.isFrozen(list[0])).toBe(true);
    expect(metropolitan.holidays(2027)).toBe(list);
    expect(Object.isFrozen(frenchPublicHolidays(2027))).toBe(true);
  });
});

describe('isWorkingDay', () => {
  it('is false on weekends and true on ordinary weekdays', () => {
    expect(metropolitan.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(metropolitan.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(metropolitan.isWorkingDay('2026-03-02')).toBe(true); // Monday
    expect(metropolitan.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(metropolitan.isWorkingDay('2024-02-29')).toBe(true); // leap day, Thursday
  });

  it('is false on holidays', () => {
    for (const day of ['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-11-11', '2026-12-25']) {
      expect(metropolitan.isWorkingDay(day), day).toBe(false);
    }
  });

  it('treats Vendredi saint and 26 December as holidays only in Alsace-Moselle', () => {
    expect(metropolitan.alsaceMoselle).toBe(false);
    expect(alsace.alsaceMoselle).toBe(true);
    expect(metropolitan.isWorkingDay('2026-04-03')).toBe(true);
    expect(alsace.isWorkingDay('2026-04-03')).toBe(false);
    expect(metropolitan.isWorkingDay('2025-12-26')).toBe(true); // Friday
    expect(alsace.isWorkingDay('2025-12-26')).toBe(false);
    expect(alsace.isWorkingDay('2026-04-02')).toBe(true);
  });

  it('honours extraHolidays, and lists them among the year’s holidays', () => {
    const calendar = frenchCalendar({ extraHolidays: ['2026-03-03', '2026-03-03', '2026-05-01', '2027-01-04'] });
    expect(calendar.isWorkingDay('2026-03-03')).toBe(false);
    expect(calendar.isWorkingDay('2026-03-04')).toBe(true);
    expect(calendar.isWorkingDay('2027-01-04')).toBe(false);
    expect(metropolitan.isWorkingDay('2026-03-03')).toBe(true);
    const holidays = calendar.holidays(2026);
    expect(holidays).toHaveLength(12); // 11 + 2026-03-03; 1 May is already a holiday
    expect(holidays[1]).toEqual({ date: '2026-03-03', name: 'Jour non ouvré supplémentaire' });
    expect(calendar.holidays(2027).map((h) => h.date)).toContain('2027-01-04');
    expect(calendar.workingDaysDeadline(new Date('2026-03-02T10:00:00+01:00'), 5).toISOString()).toBe('2026-03-10T23:00:00.000Z');
  });
});

describe('dayOf', () => {
  it.each([
    ['2026-06-30T22:30:00Z', '2026-07-01'],
    ['2026-06-30T21:59:59.999Z', '2026-06-30'],
    ['2026-06-30T22:00:00Z', '2026-07-01'],
    ['2026-01-31T23:30:00Z', '2026-02-01'],
    ['2026-01-31T22:59:59.999Z', '2026-01-31'],
    ['2026-01-31T23:00:00Z', '2026-02-01'],
    ['2026-12-31T23:00:00Z', '2027-01-01'],
    ['2026-03-29T00:59:59.999Z', '2026-03-29'], // 01:59:59.999 CET, just before the spring change
    ['2026-10-24T21:59:59.999Z', '2026-10-24'],
    ['2026-10-25T00:30:00Z', '2026-10-25'], // 02:30 CEST, first pass
    ['2026-10-25T01:30:00Z', '2026-10-25'], // 02:30 CET, second pass
    ['2026-10-25T22:59:59.999Z', '2026-10-25'],
  ])('%s is %s in Paris', (instant, day) => {
    expect(metropolitan.dayOf(new Date(instant))).toBe(day);
  });
});

describe('startOfDay', () => {
  it.each([
    ['2026-01-15', '2026-01-14T23:00:00.000Z'],
    ['2026-07-01', '2026-06-30T22:00:00.000Z'],
    ['2026-03-29', '2026-03-28T23:00:00.000Z'], // the spring change happens at 02:00 that day
    ['2026-03-30', '2026-03-29T22:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'], // the autumn change happens at 03:00 that day
    ['2026-10-26', '2026-10-25T23:00:00.000Z'],
  ])('00:00 Paris on %s is %s', (day, instant) => {
    expect(metropolitan.startOfDay(day).toISOString()).toBe(instant);
  });

  it('is exact every day of 2024–2030: 23 h and 25 h days on the last Sundays of March and October', () => {
    let start = metropolitan.startOfDay('2024-01-01');
    for (let t = Date.UTC(2024, 0, 1); t <= Date.UTC(2030, 11, 31); t += DAY) {
      const day = new Date(t).toISOString().slice(0, 10);
      const year = Number(day.slice(0, 4));
      const next = metropolitan.startOfDay(new Date(t + DAY).toISOString().slice(0, 10));
      expect(metropolitan.dayOf(start), day).toBe(day);
      expect(metropolitan.dayOf(new Date(start.getTime() - 1)), day).toBe(new Date(t - DAY).toISOString().slice(0, 10));
      const summer = day > lastSunday(year, 3) && day <= lastSunday(year, 10);
      expect(t - start.getTime(), day).toBe(summer ? 2 * HOUR : HOUR);
      const length = day === lastSunday(year, 3) ? 23 : day === lastSunday(year, 10) ? 25 : 24;
      expect(next.getTime() - start.getTime(), day).toBe(length * HOUR);
      start = next;
    }
  });

  it('finds 00:00 Paris for days with older offsets, and at the ends of the range', () => {
    for (const day of ['1583-01-02', '1900-01-01', '1911-06-01', '1940-06-15', '1975-07-01', '9999-12-31']) {
      const start = metropolitan.startOfDay(day);
      expect(metropolitan.dayOf(start), day).toBe(day);
      const previous = new Date(Date.parse(`${day}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
      expect(metropolitan.dayOf(new Date(start.getTime() - 1)), day).toBe(previous);
    }
    expect(metropolitan.dayOf(metropolitan.startOfDay('1583-01-01'))).toBe('1583-01-01');
  });
});

describe('workingDaysDeadline (SCOR-3: 5 working days, dies a quo)', () => {
  it('from Monday 2026-03-02 10:00 Paris, 5 working days end with Monday 2026-03-09', () => {
    expect(deadline(metropolitan, '2026-03-02T10:00:00+01:00', 5)).toBe('2026-03-09T23:00:00.000Z');
    // The day of the start never counts, whatever the hour.
    expect(deadline(metropolitan, '2026-03-02T00:00:00+01:00', 5)).toBe('2026-03-09T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-03-02T23:59:59.999+01:00', 5)).toBe('2026-03-09T23:00:00.000Z');
    // A Sunday 23:30 Paris is 22:30Z: still Sunday, so Monday counts.
    expect(deadline(metropolitan, '2026-03-01T22:30:00Z', 5)).toBe('2026-03-06T23:00:00.000Z');
  });

  it('n = 0 is the end of the day of the start', () => {
    expect(deadline(metropolitan, '2026-03-02T10:00:00+01:00', 0)).toBe('2026-03-02T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-03-07T10:00:00+01:00', 0)).toBe('2026-03-07T23:00:00.000Z'); // Saturday
  });

  it('from a Friday', () => {
    expect(deadline(metropolitan, '2026-03-06T10:00:00+01:00', 1)).toBe('2026-03-09T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-03-06T10:00:00+01:00', 5)).toBe('2026-03-13T23:00:00.000Z');
  });

  it('from a Saturday or a Sunday: ends on Friday of the next week', () => {
    expect(deadline(metropolitan, '2026-03-07T10:00:00+01:00', 5)).toBe('2026-03-13T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-03-08T10:00:00+01:00', 5)).toBe('2026-03-13T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-03-08T10:00:00+01:00', 1)).toBe('2026-03-09T23:00:00.000Z');
  });

  it('from a holiday', () => {
    // Tuesday 14 July 2026: Wed 15, Thu 16, Fri 17, Mon 20, Tue 21.
    expect(deadline(metropolitan, '2026-07-14T10:00:00+02:00', 5)).toBe('2026-07-21T22:00:00.000Z');
    // Friday 1 May 2026: Mon 4, Tue 5, Wed 6, Thu 7, (Fri 8 Victoire 1945), Mon 11.
    expect(deadline(metropolitan, '2026-05-01T10:00:00+02:00', 5)).toBe('2026-05-11T22:00:00.000Z');
  });

  it('spans Easter 2026, with and without Alsace-Moselle', () => {
    // Thu 2 April: Fri 3, (Mon 6 Lundi de Pâques), Tue 7, Wed 8, Thu 9, Fri 10.
    expect(deadline(metropolitan, '2026-04-02T10:00:00+02:00', 5)).toBe('2026-04-10T22:00:00.000Z');
    // Alsace-Moselle: (Fri 3 Vendredi saint), (Mon 6), Tue 7, Wed 8, Thu 9, Fri 10, Mon 13.
    expect(deadline(alsace, '2026-04-02T10:00:00+02:00', 5)).toBe('2026-04-13T22:00:00.000Z');
    expect(deadline(metropolitan, '2026-04-02T10:00:00+02:00', 1)).toBe('2026-04-03T22:00:00.000Z');
    expect(deadline(alsace, '2026-04-02T10:00:00+02:00', 1)).toBe('2026-04-07T22:00:00.000Z');
  });

  it('spans Ascension (14 May 2026) and Lundi de Pentecôte (25 May 2026)', () => {
    // Tue 12 May: Wed 13, (Thu 14), Fri 15, Mon 18, Tue 19, Wed 20.
    expect(deadline(metropolitan, '2026-05-12T10:00:00+02:00', 5)).toBe('2026-05-20T22:00:00.000Z');
    // Wed 20 May: Thu 21, Fri 22, (Mon 25), Tue 26, Wed 27, Thu 28.
    expect(deadline(metropolitan, '2026-05-20T10:00:00+02:00', 5)).toBe('2026-05-28T22:00:00.000Z');
    // Wed 13 May, 10 days across both: ends Fri 29.
    expect(deadline(metropolitan, '2026-05-13T10:00:00+02:00', 10)).toBe('2026-05-29T22:00:00.000Z');
    // Thu 30 April: (Fri 1 May), Mon 4, Tue 5, Wed 6, Thu 7, (Fri 8 May), Mon 11.
    expect(deadline(metropolitan, '2026-04-30T10:00:00+02:00', 5)).toBe('2026-05-11T22:00:00.000Z');
  });

  it('spans Christmas week 2026 in Alsace-Moselle (25 Friday, 26 Saturday) and the new year', () => {
    // Wed 23 Dec: Thu 24, (Fri 25), (Sat 26), Mon 28, Tue 29, Wed 30, Thu 31.
    expect(deadline(alsace, '2026-12-23T10:00:00+01:00', 5)).toBe('2026-12-31T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-12-23T10:00:00+01:00', 5)).toBe('2026-12-31T23:00:00.000Z');
    // Then (Fri 1 January 2027), Mon 4.
    expect(deadline(alsace, '2026-12-23T10:00:00+01:00', 6)).toBe('2027-01-04T23:00:00.000Z');
    // From Thu 24 Dec 2026: Mon 28 is the first working day.
    expect(deadline(alsace, '2026-12-24T10:00:00+01:00', 1)).toBe('2026-12-28T23:00:00.000Z');
  });

  it('counts 26 December only in Alsace-Moselle (Friday 26 December 2025)', () => {
    // Tue 23 Dec 2025: Wed 24, (Thu 25), Fri 26, Mon 29 — Alsace-Moselle: Wed 24, Mon 29, Tue 30.
    expect(deadline(metropolitan, '2025-12-23T10:00:00+01:00', 3)).toBe('2025-12-29T23:00:00.000Z');
    expect(deadline(alsace, '2025-12-23T10:00:00+01:00', 3)).toBe('2025-12-30T23:00:00.000Z');
  });

  it('lands exactly after the spring change of 29 March 2026 (CET → CEST)', () => {
    // Fri 20 March: 5 days end Fri 27 in CET (23:00Z); the 6th is Mon 30, ending in CEST (22:00Z).
    expect(deadline(metropolitan, '2026-03-20T10:00:00+01:00', 5)).toBe('2026-03-27T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-03-20T10:00:00+01:00', 6)).toBe('2026-03-30T22:00:00.000Z');
    expect(deadline(metropolitan, '2026-03-27T10:00:00+01:00', 1)).toBe('2026-03-30T22:00:00.000Z');
    expect(deadline(metropolitan, '2026-03-28T10:00:00+01:00', 0)).toBe('2026-03-28T23:00:00.000Z');
    // Sunday 29 March is 23 hours long: it starts at 23:00Z and ends at 22:00Z.
    expect(deadline(metropolitan, '2026-03-29T12:00:00+02:00', 0)).toBe('2026-03-29T22:00:00.000Z');
  });

  it('lands exactly after the autumn change of 25 October 2026 (CEST → CET)', () => {
    expect(deadline(metropolitan, '2026-10-23T10:00:00+02:00', 0)).toBe('2026-10-23T22:00:00.000Z');
    expect(deadline(metropolitan, '2026-10-23T10:00:00+02:00', 1)).toBe('2026-10-26T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-10-20T10:00:00+02:00', 5)).toBe('2026-10-27T23:00:00.000Z');
    // Sunday 25 October is 25 hours long: it ends at 23:00Z.
    expect(deadline(metropolitan, '2026-10-25T02:30:00+02:00', 0)).toBe('2026-10-25T23:00:00.000Z');
    expect(deadline(metropolitan, '2026-10-25T02:30:00+01:00', 0)).toBe('2026-10-25T23:00:00.000Z');
  });

  it('always ends at 00:00 Paris time just after a working day', () => {
    const end = metropolitan.workingDaysDeadline(new Date('2026-02-10T08:00:00Z'), 366);
    const lastDay = metropolitan.dayOf(new Date(end.getTime() - 1));
    expect(metropolitan.isWorkingDay(lastDay)).toBe(true);
    expect(end.getTime()).toBe(metropolitan.startOfDay(metropolitan.dayOf(end)).getTime());
    expect(metropolitan.workingDaysBetween(new Date('2026-02-10T08:00:00Z'), new Date(end.getTime() - 1))).toBe(366);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days of a whole year (2026: 261 weekdays, 9 on holidays; 10 in Alsace-Moselle)', () => {
    const from = new Date('2025-12-31T12:00:00+01:00');
    const to = new Date('2026-12-31T12:00:00+01:00');
    expect(metropolitan.workingDaysBetween(from, to)).toBe(252);
    expect(alsace.workingDaysBetween(from, to)).toBe(251);
  });

  it('is 0 when to is on or before the day of from', () => {
    const from = new Date('2026-03-02T10:00:00+01:00');
    expect(metropolitan.workingDaysBetween(from, from)).toBe(0);
    expect(metropolitan.workingDaysBetween(from, new Date('2026-03-02T23:59:00+01:00'))).toBe(0);
    expect(metropolitan.workingDaysBetween(from, new Date('2026-02-20T10:00:00+01:00'))).toBe(0);
  });

  it('counts the day of to, whatever the hour, and never the day of from', () => {
    const from = new Date('2026-03-02T23:00:00+01:00');
    expect(metropolitan.workingDaysBetween(from, new Date('2026-03-03T00:00:00+01:00'))).toBe(1);
    expect(metropolitan.workingDaysBetween(from, new Date('2026-03-08T23:59:00+01:00'))).toBe(4);
  });

  it('agrees with a day-by-day count over long spans', () => {
    const random = mulberry32(0x5c03);
    for (let i = 0; i < 20; i++) {
      const start = Date.UTC(2024, 0, 1) + Math.floor(random() * 5 * 365) * DAY + 12 * HOUR;
      const end = start + Math.floor(random() * 800) * DAY;
      let expected = 0;
      for (let t = start + DAY; t <= end; t += DAY) if (alsace.isWorkingDay(alsace.dayOf(new Date(t)))) expected++;
      expect(alsace.workingDaysBetween(new Date(start), new Date(end))).toBe(expected);
    }
  });

  it('is consistent with workingDaysDeadline on 500 seeded random starts in 2024–2030, n = 0…10', () => {
    const random = mulberry32(20260302);
    const low = Date.UTC(2024, 0, 1);
    const high = Date.UTC(2031, 0, 1);
    const calendars = [metropolitan, alsace, frenchCalendar({ extraHolidays: ['2026-03-03', '2027-07-15'] })];
    for (let i = 0; i < 500; i++) {
      const from = new Date(low + Math.floor(random() * (high - low)));
      const calendar = calendars[i % calendars.length]!;
      for (let n = 0; n <= 10; n++) {
        const end = calendar.workingDaysDeadline(from, n).getTime();
        expect(calendar.workingDaysBetween(from, new Date(end - 1)), `${from.toISOString()} n=${n}`).toBe(n);
        const next = calendar.dayOf(new Date(end));
        expect(calendar.workingDaysBetween(from, new Date(end))).toBe(n + (calendar.isWorkingDay(next) ? 1 : 0));
      }
    }
  });
});

describe('input validation', () => {
  it.each([
    '2026-2-01',
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2025-02-29',
    '1900-02-29',
    '1582-12-31',
    '10000-01-01',
    '',
    ' 2026-01-01',
    '2026-01-01T00:00:00Z',
    '2026/01/01',
  ])('rejects the day %j with a RangeError', (day) => {
    expect(() => metropolitan.isWorkingDay(day)).toThrow(RangeError);
    expect(() => metropolitan.startOfDay(day)).toThrow(RangeError);
    expect(() => frenchCalendar({ extraHolidays: [day] })).toThrow(RangeError);
  });

  it('rejects a non-string day with a TypeError', () => {
    expect(() => metropolitan.isWorkingDay(20260101 as unknown as string)).toThrow(TypeError);
  });

  it.each([1582, 10000, 2026.5, Number.NaN, -2026])('rejects the year %d with a RangeError', (year) => {
    expect(() => easterSunday(year)).toThrow(RangeError);
    expect(() => frenchPublicHolidays(year)).toThrow(RangeError);
    expect(() => metropolitan.holidays(year)).toThrow(RangeError);
  });

  it('accepts the ends of the year range', () => {
    expect(easterSunday(1583)).toBe('1583-04-10');
    expect(easterSunday(9999)).toBe(gaussEaster(9999));
  });

  it.each([-1, 1.5, 367, Number.NaN, Number.POSITIVE_INFINITY])('rejects n = %d with a RangeError', (n) => {
    expect(() => metropolitan.workingDaysDeadline(new Date('2026-03-02T10:00:00Z'), n)).toThrow(RangeError);
  });

  it('rejects invalid Dates with a TypeError', () => {
    const invalid = new Date('not a date');
    const notADate = '2026-03-02' as unknown as Date;
    const ok = new Date('2026-03-02T10:00:00Z');
    expect(() => metropolitan.dayOf(invalid)).toThrow(TypeError);
    expect(() => metropolitan.dayOf(notADate)).toThrow(TypeError);
    expect(() => metropolitan.workingDaysDeadline(invalid, 5)).toThrow(TypeError);
    expect(() => metropolitan.workingDaysDeadline(notADate, 5)).toThrow(TypeError);
    expect(() => metropolitan.workingDaysBetween(invalid, ok)).toThrow(TypeError);
    expect(() => metropolitan.workingDaysBetween(ok, invalid)).toThrow(TypeError);
  });

  it('rejects instants whose Paris day is outside 1583–9999, and deadlines running past 9999', () => {
    expect(() => metropolitan.dayOf(new Date('1500-06-01T12:00:00Z'))).toThrow(RangeError);
    expect(() => metropolitan.dayOf(new Date('+010000-01-01T12:00:00Z'))).toThrow(RangeError);
    expect(() => metropolitan.workingDaysDeadline(new Date('9999-12-20T12:00:00Z'), 366)).toThrow(RangeError);
    expect(metropolitan.dayOf(new Date('9999-12-31T22:59:59.999Z'))).toBe('9999-12-31');
  });

  it('rejects extraHolidays that is not an array', () => {
    expect(() => frenchCalendar({ extraHolidays: '2026-03-03' as unknown as string[] })).toThrow(TypeError);
  });
});

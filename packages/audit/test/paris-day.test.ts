import { describe, expect, it } from 'vitest';
import { parisDay } from '../src/internal/paris-day.js';
import { prng } from './helpers.js';

/** The Paris day as `Intl` gives it, formatted afresh every time: what `parisDay` must answer. */
const reference = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
const truth = (ms: number): string => reference.format(new Date(ms));
const iso = (ms: number): string => new Date(ms).toISOString();

describe('the Paris day of an instant, which the log asks twice per event (AUD-2, issue 19)', () => {
  it('is Intl’s answer at every minute around midnights and daylight-saving changes, in any order of asking', () => {
    const edges = [
      Date.UTC(2026, 2, 28, 22, 0), // midnight in winter (UTC+1), the day before summer time
      Date.UTC(2026, 2, 29, 1, 0), // summer time starts: 02:00 becomes 03:00 in Paris
      Date.UTC(2026, 5, 30, 22, 0), // midnight in summer (UTC+2)
      Date.UTC(2026, 9, 25, 1, 0), // summer time ends: 03:00 becomes 02:00 in Paris
      Date.UTC(2026, 11, 31, 23, 0), // the new year in Paris
      Date.UTC(2024, 1, 29, 23, 0), // a leap day ends in Paris
    ];
    const instants: number[] = [];
    for (const edge of edges) for (let m = -150; m <= 150; m++) instants.push(edge + m * 60_000, edge + m * 60_000 - 1);
    for (const ms of instants) expect(parisDay(iso(ms)), iso(ms)).toBe(truth(ms));
    // Backwards, and shuffled: a day kept for one hour never answers for another.
    for (const ms of [...instants].reverse()) expect(parisDay(iso(ms)), iso(ms)).toBe(truth(ms));
    const next = prng(29);
    for (let i = 0; i < 5000; i++) {
      const ms = instants[Math.floor(next() * instants.length)]!;
      expect(parisDay(iso(ms)), iso(ms)).toBe(truth(ms));
    }
  });

  it('is Intl’s answer for instants of any year a trace may hold, and throws as Intl does for no date', () => {
    const next = prng(31);
    for (let i = 0; i < 20_000; i++) {
      const ms = Date.UTC(1950, 0, 1) + Math.floor(next() * (Date.UTC(2100, 0, 1) - Date.UTC(1950, 0, 1)));
      expect(parisDay(iso(ms)), iso(ms)).toBe(truth(ms));
      // The same hour again, a few minutes on: answered from the hour kept.
      const later = ms + Math.floor(next() * 600_000);
      expect(parisDay(iso(later)), iso(later)).toBe(truth(later));
    }
    // Before 1911 Paris kept its mean time (UTC+0:09:21): its days began inside a UTC hour, which is then not kept.
    for (let d = 0; d < 40; d++) {
      const midnight = Date.UTC(1900, 0, 1 + d, 23, 50, 39);
      for (const ms of [midnight - 60_000, midnight + 60_000, midnight - 1, midnight, midnight - 600_000, midnight + 300_000]) {
        expect(parisDay(iso(ms)), iso(ms)).toBe(truth(ms));
      }
    }
    expect(() => parisDay('not a time')).toThrow(RangeError);
  });
});

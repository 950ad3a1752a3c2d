/**
 * Writes `test-vectors/audit/retention.json` (AUD-3, X-3): the retention of the trace —
 * the setting (24 months by default, never below 12), the oldest instant to keep (calendar
 * months counted back in UTC and clamped to the month's last day, as `retentionCutoff`
 * documents: leap years, month ends, Paris midnight and summer-time days), and purges asked
 * exactly at that limit, a day or a millisecond past it, at Paris edges, or with a retention
 * below 12 months. Every expected value is counted by hand in the table below.
 *
 *   cd packages/conformance && npx tsx --conditions=@s3404/source generate/audit-retention.ts
 *
 * Deterministic: byte-identical on every run.
 */
import { writeEnvelope, type Case } from './write-envelope.js';

const NOTES = {
  BASIC: { bugType: 'BASIC', description: 'The default retention, a setting at or above 12 months, a purge at the retention limit.' },
  BOUNDARY: { bugType: 'EDGE_CASE', description: 'A purge exactly at the limit, a millisecond or a day past it.' },
  CALENDAR: {
    bugType: 'EDGE_CASE',
    description: 'Leap years and month ends: months counted back and clamped to the month’s last day (never rolled over into the next month).',
  },
  PARIS: { bugType: 'EDGE_CASE', description: 'Instants written in Paris time: New Year’s midnight, the spring summer-time change.' },
  TOO_SHORT: { bugType: 'POLICY', description: 'A retention below the 12 months of the 2018 annex, or not a whole number of months.' },
  TOO_RECENT: { bugType: 'POLICY', description: 'A purge that would delete traces younger than the retention.' },
  WRONG_TYPE: { bugType: 'MALFORMED_INPUT', description: 'A setting of the wrong type.' },
} as const;
type Flag = keyof typeof NOTES;

const R = ['AUD-3'];

function months(comment: string, flags: Flag[], setting: unknown, expected: number | string): Case {
  return {
    type: 'retention-months',
    comment,
    requirements: R,
    flags,
    input: setting === undefined ? {} : { setting },
    ...(typeof expected === 'number' ? { result: 'valid', expected: { months: expected } } : { result: 'invalid', expected: { code: expected } }),
  };
}

function cutoff(comment: string, flags: Flag[], at: string, n: number, result: 'valid' | 'invalid', value: string): Case {
  return { type: 'retention-cutoff', comment, requirements: R, flags, input: { at, months: n }, result, expected: { cutoff: value } };
}

/** Events every 10 days from 40 days before `limit` to 40 days after, plus one a millisecond before and one exactly at it. */
function eventsAround(limit: string): string[] {
  const t = new Date(limit).getTime();
  const day = 86_400_000;
  const out = new Set<number>([t - 1, t]);
  for (let d = -40; d <= 40; d += 10) out.add(t + d * day);
  return [...out].sort((a, b) => a - b).map((ms) => new Date(ms).toISOString());
}

function purge(comment: string, flags: Flag[], p: { now: string; retentionMonths: number; limit: string; before: string }, code?: string): Case {
  return {
    type: 'retention-purge',
    comment,
    requirements: R,
    flags,
    input: { events: eventsAround(p.limit), retentionMonths: p.retentionMonths, now: p.now, before: p.before },
    ...(code === undefined ? { result: 'valid' } : { result: 'invalid', expected: { code } }),
  };
}

const SHORT = 'ERR_AUDIT_RETENTION_TOO_SHORT';
const RECENT = 'ERR_AUDIT_PURGE_TOO_RECENT';

const cases: Case[] = [
  // The setting.
  months('No setting: 24 months (the 2016 text; the 2018 annex says 12, 24 satisfies both).', ['BASIC'], undefined, 24),
  months('12 months: the shortest accepted.', ['BASIC', 'BOUNDARY'], 12, 12),
  months('36 months.', ['BASIC'], 36, 36),
  months('1200 months: the longest accepted.', ['BOUNDARY'], 1200, 1200),
  months('11 months: one below the minimum.', ['TOO_SHORT', 'BOUNDARY'], 11, SHORT),
  months('0 months.', ['TOO_SHORT'], 0, SHORT),
  months('−24 months.', ['TOO_SHORT'], -24, SHORT),
  months('12.5 months: not a whole number of months.', ['TOO_SHORT'], 12.5, SHORT),
  months('1201 months: beyond the longest accepted.', ['TOO_SHORT', 'BOUNDARY'], 1201, SHORT),
  months('"24" as a string.', ['WRONG_TYPE'], '24', SHORT),
  months('null rather than absent.', ['WRONG_TYPE'], null, SHORT),
  // The limit.
  cutoff('31 March 2026, 24 months: 31 March 2024, same time.', ['BASIC'], '2026-03-31T10:00:00Z', 24, 'valid', '2024-03-31T10:00:00.000Z'),
  cutoff('29 February 2028 (leap), 24 months: 28 February 2026 (no 29th).', ['CALENDAR'], '2028-02-29T12:00:00Z', 24, 'valid', '2026-02-28T12:00:00.000Z'),
  cutoff('29 February 2028, 24 months: never rolled over to 1 March 2026.', ['CALENDAR'], '2028-02-29T12:00:00Z', 24, 'invalid', '2026-03-01T12:00:00.000Z'),
  cutoff(
    '28 February 2025, 12 months: 28 February 2024, not the leap day after it.',
    ['CALENDAR'],
    '2025-02-28T09:00:00Z',
    12,
    'valid',
    '2024-02-28T09:00:00.000Z',
  ),
  cutoff(
    '28 February 2025, 12 months: not the month’s last day 29 February 2024.',
    ['CALENDAR'],
    '2025-02-28T09:00:00Z',
    12,
    'invalid',
    '2024-02-29T09:00:00.000Z',
  ),
  cutoff('31 May 2026, 13 months: 30 April 2025 (April has 30 days).', ['CALENDAR'], '2026-05-31T08:00:00Z', 13, 'valid', '2025-04-30T08:00:00.000Z'),
  cutoff('31 May 2026, 13 months: never rolled over to 1 May 2025.', ['CALENDAR'], '2026-05-31T08:00:00Z', 13, 'invalid', '2025-05-01T08:00:00.000Z'),
  cutoff(
    'New Year’s midnight and a half in Paris (31 December 23:30 UTC), 24 months.',
    ['PARIS'],
    '2026-01-01T00:30:00+01:00',
    24,
    'valid',
    '2023-12-31T23:30:00.000Z',
  ),
  cutoff('New Year in Paris, 24 months: not 24 months and one day.', ['PARIS'], '2026-01-01T00:30:00+01:00', 24, 'invalid', '2023-12-30T23:30:00.000Z'),
  cutoff(
    'Summer-time day in Paris (29 March 2026, 03:30 CEST = 01:30 UTC), 24 months, counted in UTC.',
    ['PARIS'],
    '2026-03-29T03:30:00+02:00',
    24,
    'valid',
    '2024-03-29T01:30:00.000Z',
  ),
  // The purge.
  purge('Purge exactly at the limit: 24 months before the clock.', ['BASIC', 'BOUNDARY'], {
    now: '2026-03-31T10:00:00Z',
    retentionMonths: 24,
    limit: '2024-03-31T10:00:00.000Z',
    before: '2024-03-31T10:00:00.000Z',
  }),
  purge('Purge a day before the limit.', ['BASIC'], {
    now: '2026-03-31T10:00:00Z',
    retentionMonths: 24,
    limit: '2024-03-31T10:00:00.000Z',
    before: '2024-03-30T10:00:00.000Z',
  }),
  purge(
    'Purge one millisecond past the limit.',
    ['TOO_RECENT', 'BOUNDARY'],
    {
      now: '2026-03-31T10:00:00Z',
      retentionMonths: 24,
      limit: '2024-03-31T10:00:00.000Z',
      before: '2024-03-31T10:00:00.001Z',
    },
    RECENT,
  ),
  purge(
    'Purge a day past the limit.',
    ['TOO_RECENT'],
    {
      now: '2026-03-31T10:00:00Z',
      retentionMonths: 24,
      limit: '2024-03-31T10:00:00.000Z',
      before: '2024-04-01T10:00:00.000Z',
    },
    RECENT,
  ),
  purge(
    'Purge everything up to now.',
    ['TOO_RECENT'],
    {
      now: '2026-03-31T10:00:00Z',
      retentionMonths: 24,
      limit: '2024-03-31T10:00:00.000Z',
      before: '2026-03-31T10:00:00.000Z',
    },
    RECENT,
  ),
  purge(
    'Purge of the 12 months the 2018 annex allows, under the 24-month default: still refused.',
    ['TOO_RECENT'],
    {
      now: '2026-03-31T10:00:00Z',
      retentionMonths: 24,
      limit: '2024-03-31T10:00:00.000Z',
      before: '2025-03-31T10:00:00.000Z',
    },
    RECENT,
  ),
  purge('Leap day: the clock on 29 February 2028, purge at 28 February 2026, same time.', ['CALENDAR', 'BOUNDARY'], {
    now: '2028-02-29T12:00:00Z',
    retentionMonths: 24,
    limit: '2026-02-28T12:00:00.000Z',
    before: '2026-02-28T12:00:00.000Z',
  }),
  purge(
    'Leap day: purge at 1 March 2026, a day younger than the limit.',
    ['CALENDAR', 'TOO_RECENT'],
    {
      now: '2028-02-29T12:00:00Z',
      retentionMonths: 24,
      limit: '2026-02-28T12:00:00.000Z',
      before: '2026-03-01T00:00:00.000Z',
    },
    RECENT,
  ),
  purge('Month end, 13 months: the clock on 31 May 2026, purge at 30 April 2025.', ['CALENDAR'], {
    now: '2026-05-31T08:00:00Z',
    retentionMonths: 13,
    limit: '2025-04-30T08:00:00.000Z',
    before: '2025-04-30T08:00:00.000Z',
  }),
  purge(
    'Month end, 13 months: purge at 1 May 2025, after the limit.',
    ['CALENDAR', 'TOO_RECENT'],
    {
      now: '2026-05-31T08:00:00Z',
      retentionMonths: 13,
      limit: '2025-04-30T08:00:00.000Z',
      before: '2025-05-01T08:00:00.000Z',
    },
    RECENT,
  ),
  purge('12 months, New Year in Paris: purge at 1 January 2025 00:30 Paris, the same instant as the limit.', ['PARIS', 'BOUNDARY'], {
    now: '2026-01-01T00:30:00+01:00',
    retentionMonths: 12,
    limit: '2024-12-31T23:30:00.000Z',
    before: '2025-01-01T00:30:00+01:00',
  }),
  purge(
    '12 months, New Year in Paris: purge at 01:00 Paris, half an hour younger.',
    ['PARIS', 'TOO_RECENT'],
    {
      now: '2026-01-01T00:30:00+01:00',
      retentionMonths: 12,
      limit: '2024-12-31T23:30:00.000Z',
      before: '2025-01-01T01:00:00+01:00',
    },
    RECENT,
  ),
  purge('Summer-time day in Paris: purge at 02:30 CET two years before, the limit’s instant.', ['PARIS', 'BOUNDARY'], {
    now: '2026-03-29T03:30:00+02:00',
    retentionMonths: 24,
    limit: '2024-03-29T01:30:00.000Z',
    before: '2024-03-29T02:30:00+01:00',
  }),
  purge(
    'Summer-time day in Paris: purge at 03:30 CET two years before, an hour younger than the limit.',
    ['PARIS', 'TOO_RECENT'],
    {
      now: '2026-03-29T03:30:00+02:00',
      retentionMonths: 24,
      limit: '2024-03-29T01:30:00.000Z',
      before: '2024-03-29T03:30:00+01:00',
    },
    RECENT,
  ),
  purge(
    'A trace configured for 6 months: refused before anything is written.',
    ['TOO_SHORT'],
    {
      now: '2026-03-31T10:00:00Z',
      retentionMonths: 6,
      limit: '2025-09-30T10:00:00.000Z',
      before: '2025-09-30T10:00:00.000Z',
    },
    SHORT,
  ),
  purge(
    'A trace configured for 11 months.',
    ['TOO_SHORT', 'BOUNDARY'],
    {
      now: '2026-03-31T10:00:00Z',
      retentionMonths: 11,
      limit: '2025-04-30T10:00:00.000Z',
      before: '2025-04-30T10:00:00.000Z',
    },
    SHORT,
  ),
];

writeEnvelope({
  path: 'audit/retention.json',
  area: 'audit',
  title: 'Retention of the trace: setting, limit and purge (AUD-3)',
  generator: 'packages/conformance/generate/audit-retention.ts',
  notes: NOTES,
  groups: [
    {
      type: 'retention-months',
      comment: 'The retention a setting gives (`input.setting`, absent for the default): `expected.months`, or refused with its code.',
    },
    {
      type: 'retention-cutoff',
      comment: 'The oldest instant kept at `input.at` under `input.months`: valid when the SDK gives `expected.cutoff`; invalid when it must not give it.',
    },
    {
      type: 'retention-purge',
      comment:
        'One event at each of `input.events` in a fresh trace kept `input.retentionMonths`, then a purge of the events before `input.before` at the clock `input.now`: done and every event at or after `before` kept, or refused with its code.',
    },
  ],
  cases,
});

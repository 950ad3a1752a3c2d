import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frenchCalendar } from '@s3404/scor';

/** the conformance vectors of test-vectors/scor, run against the package. */
const vectors = JSON.parse(readFileSync(new URL('../../../test-vectors/scor/retry-deadlines.json', import.meta.url), 'utf8')) as {
  numberOfTests: number;
  testGroups: {
    type: string;
    tests: {
      tcId: number;
      comment: string;
      requirements: string[];
      input: { firstAttempt: string; calendar: 'metropolitan' | 'alsace-moselle'; workingDays: number };
      expected: { deadline: string };
    }[];
  }[];
};

describe('SCOR-3 retry window — conformance vectors (test-vectors/scor/retry-deadlines.json)', () => {
  const tests = vectors.testGroups.flatMap((g) => g.tests);
  it('lists as many cases as it says, with unique ids', () => {
    expect(tests).toHaveLength(vectors.numberOfTests);
    expect(new Set(tests.map((t) => t.tcId)).size).toBe(tests.length);
    for (const t of tests) expect(t.requirements).toEqual(['SCOR-3']);
  });
  it.each(tests)('tcId $tcId: $comment', (t) => {
    const calendar = frenchCalendar({ alsaceMoselle: t.input.calendar === 'alsace-moselle' });
    expect(calendar.workingDaysDeadline(new Date(t.input.firstAttempt), t.input.workingDays).toISOString()).toBe(t.expected.deadline);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { validateBordereau } from '@s3404/form';
import { runConformance, type ConformanceFormModelSdk, type ConformanceSdk, type VectorSource } from '@s3404/conformance';

/** FORM-1, FORM-2, FORM-3, X-3: the bordereau vectors judged through the runner, by the real SDK and a broken one. */

const ROOT = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const PATH = 'form/bordereaux.json';
const json = JSON.parse(readFileSync(`${ROOT}${PATH}`, 'utf8')) as {
  testGroups: { type: string; tests: { tcId: number; result: string; requirements: string[]; expected?: { code?: string; codes?: string[] } }[] }[];
};
const files: VectorSource[] = [{ path: PATH, json }];
const tests = json.testGroups.flatMap((g) => g.tests);
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

const formModel: ConformanceFormModelSdk = { validateBordereau: (b) => validateBordereau(b) };
const sdk: ConformanceSdk = { version: '9.9.9-test', formModel };

/** The deliberately wrong SDK: it never checks that totals equal the sum of the lines. */
const skipsTotals: ConformanceSdk = {
  formModel: {
    validateBordereau: (b) => {
      const issues = validateBordereau(b).issues.filter((i) => i.code !== 'ERR_TOTAL_MISMATCH');
      return { ok: issues.length === 0, issues };
    },
  },
};

describe('test-vectors/form/bordereaux.json', () => {
  it('has at least 40 vectors, at least half of them negative, each requirement covered at least 3 times', () => {
    expect(tests.length).toBeGreaterThanOrEqual(40);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    for (const id of ['FORM-1', 'FORM-2', 'FORM-3']) expect(tests.filter((t) => t.requirements.includes(id)).length).toBeGreaterThanOrEqual(3);
  });

  it('the real validateBordereau passes every vector', async () => {
    const report = await runConformance({ sdk, files, now, runtime: 'test-runtime' });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    for (const id of ['FORM-1', 'FORM-2', 'FORM-3']) expect(report.requirements[id]?.verdict).toBe('passed');
  });

  it('an SDK that skips the totals check fails exactly the totals vectors, and FORM-2 only', async () => {
    const totals = tests
      .filter((t) => t.expected?.code === 'ERR_TOTAL_MISMATCH' || t.expected?.codes?.includes('ERR_TOTAL_MISMATCH') === true)
      .map((t) => t.tcId);
    expect(totals.length).toBeGreaterThanOrEqual(8);
    const report = await runConformance({ sdk: skipsTotals, files, now });
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(totals);
    expect(report.tests.filter((t) => t.outcome === 'indeterminate')).toEqual([]);
    expect(report.requirements['FORM-2']?.verdict).toBe('failed');
    expect(report.requirements['FORM-1']?.verdict).toBe('passed');
    expect(report.requirements['FORM-3']?.verdict).toBe('passed');
  });

  it('a set of codes is compared as a set: one missing code fails the vector', async () => {
    const multi = tests.filter((t) => (t.expected?.codes?.length ?? 0) > 1).map((t) => t.tcId);
    expect(multi.length).toBeGreaterThanOrEqual(2);
    const firstOnly: ConformanceSdk = {
      formModel: {
        validateBordereau: (b) => {
          const r = validateBordereau(b);
          return { ok: r.ok, issues: r.issues.slice(0, 1) };
        },
      },
    };
    const report = await runConformance({ sdk: firstOnly, files, now });
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(multi);
  });

  it('without formModel the vectors are indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: { version: 'x' }, files, now });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});

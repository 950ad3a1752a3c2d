import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { readBordereauFromPdf } from '@s3404/form/pdf';
import { runConformance, type ConformanceFormFillableSdk, type ConformanceSdk, type VectorSource } from '@s3404/conformance';

/** FORM-5: the fillable-form vectors judged through the runner, by the real SDK and broken ones. */

const ROOT = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const PATH = 'form/fillable.json';
const json = JSON.parse(readFileSync(`${ROOT}${PATH}`, 'utf8')) as {
  testGroups: { type: string; tests: { tcId: number; result: string; flags: string[]; expected?: { code?: string } }[] }[];
};
const readFixture = async (path: string): Promise<Uint8Array> => new Uint8Array(readFileSync(`${ROOT}${path}`));
const files: VectorSource[] = [{ path: PATH, json }];
const tests = json.testGroups.flatMap((g) => g.tests);
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

const formFillable: ConformanceFormFillableSdk = { readBordereauFromPdf: (pdf) => readBordereauFromPdf(pdf) };
const sdk: ConformanceSdk = { version: '9.9.9-test', formFillable };

/** The deliberately wrong SDK: it parses the fields but does not validate the bordereau they make. */
const skipsValidation: ConformanceSdk = {
  formFillable: {
    readBordereauFromPdf: async (pdf) => {
      try {
        return await readBordereauFromPdf(pdf);
      } catch (e) {
        const issues = (e as { issues?: { code: string }[] }).issues ?? [];
        if (issues.length > 0 && issues.every((i) => i.code !== 'ERR_ACROFORM_VALUE')) return {};
        throw e;
      }
    },
  },
};

describe('test-vectors/form/fillable.json', () => {
  it('has at least 3 passing and 3 negative vectors, at least half negative', () => {
    expect(tests.filter((t) => t.result === 'valid').length).toBeGreaterThanOrEqual(3);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
  });

  it('the real readBordereauFromPdf passes every vector', async () => {
    const report = await runConformance({ sdk, files, now, runtime: 'test-runtime', readFixture });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    expect(report.requirements['FORM-5']?.verdict).toBe('passed');
  });

  it('an SDK that does not validate what was typed fails exactly the incoherent vectors', async () => {
    const incoherent = tests.filter((t) => t.flags.includes('INCOHERENT')).map((t) => t.tcId);
    expect(incoherent.length).toBeGreaterThanOrEqual(2);
    const report = await runConformance({ sdk: skipsValidation, files, now, readFixture });
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(incoherent);
    expect(report.tests.filter((t) => t.outcome === 'indeterminate')).toEqual([]);
    expect(report.requirements['FORM-5']?.verdict).toBe('failed');
  });

  it('without formFillable the vectors are indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: { version: 'x' }, files, now, readFixture });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});

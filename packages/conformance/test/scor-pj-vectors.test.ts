import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { runConformance, type ConformanceScorPjSdk, type VectorFile, type VectorSource, type VectorTest } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** SCOR-1, X-3: the PJ-check vectors judge the real checkPj, and catch checkers that skip the resolution, the colour policy or measure pages wrong. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}scor/pj-checks.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'scor/pj-checks.json', json }];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));
const tests = json.testGroups.flatMap((g) => g.tests);
/** The error or warning codes a vector expects. */
const codesOf = (t: VectorTest, key: 'errors' | 'warnings'): string[] => (t.expected?.[key] as string[] | undefined) ?? [];
const expecting = (code: string) => tests.filter((t) => codesOf(t, 'errors').includes(code)).map((t) => t.tcId);

const real = createPackagesSdk().scorPj as ConformanceScorPjSdk;
/** Broken: never applies the dpi minimum (its resolution errors dropped). */
const ignoresDpi: ConformanceScorPjSdk = {
  checkPj: async (bytes, options) => {
    const r = await real.checkPj(bytes, options);
    const issues = r.issues.filter((i) => i.code !== 'ERR_PJ_RESOLUTION_TOO_LOW');
    return { ...r, ok: !issues.some((i) => i.severity === 'error'), issues };
  },
};
/** Broken: never applies `colour: 'grey'`. */
const ignoresGrey: ConformanceScorPjSdk = { checkPj: (bytes, { policy: { colour: _ignored, ...rest } }) => real.checkPj(bytes, { policy: rest }) };
/** Broken: right verdicts, but page sizes in points instead of millimetres. */
const inPoints: ConformanceScorPjSdk = {
  checkPj: async (bytes, options) => {
    const r = await real.checkPj(bytes, options);
    return { ...r, pages: (r.pages ?? []).map((p) => ({ ...p, widthMm: (p.widthMm * 72) / 25.4, heightMm: (p.heightMm * 72) / 25.4 })) };
  },
};
const failedOf = async (scorPj: ConformanceScorPjSdk) => {
  const report = await runConformance({ sdk: { scorPj }, files, now, readFixture });
  return { report, failed: report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId) };
};

describe('test-vectors/scor/pj-checks.json', () => {
  it('has the 74 cases of its version 1 (same tcIds) and more, more than half negative, all SCOR-1, one pj-check group per kind', () => {
    const v1 = [
      1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 40, 41, 42, 43, 44, 45, 46, 60, 61, 62, 63, 64, 65, 66, 67, 80, 81, 82, 83, 84,
    ];
    const ids = tests.map((t) => t.tcId);
    expect(ids).toEqual(expect.arrayContaining([...v1, ...Array.from({ length: 5 }, (_, i) => 100 + i), ...Array.from({ length: 29 }, (_, i) => 110 + i)]));
    expect(tests.length).toBeGreaterThanOrEqual(83);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThan(tests.length);
    expect(tests.every((t) => t.requirements.join() === 'SCOR-1')).toBe(true);
    expect(new Set(json.testGroups.map((g) => g.type))).toEqual(new Set(['pj-check']));
    expect(tests.every((t) => (t.result === 'valid') === (codesOf(t, 'errors').length === 0))).toBe(true);
  });

  it('the real checkPj of @s3404/scor passes every vector', async () => {
    const report = await runConformance({ sdk: { scorPj: real }, files, now, readFixture });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    expect(report.requirements['SCOR-1']?.verdict).toBe('passed');
  }, 60_000);

  it('a checker that ignores the dpi minimum fails exactly the vectors of a scan under the minimum, and SCOR-1', async () => {
    const { report, failed } = await failedOf(ignoresDpi);
    const low = expecting('ERR_PJ_RESOLUTION_TOO_LOW');
    expect(low.length).toBeGreaterThanOrEqual(6);
    expect(failed).toEqual(low);
    expect(report.tests.find((t) => t.tcId === 21)?.detail).toBe('expected invalid, the SDK accepted');
    expect(report.requirements['SCOR-1']?.verdict).toBe('failed');
  }, 60_000);

  it('a checker that ignores colour: grey fails exactly the colour-refused vectors', async () => {
    const { failed } = await failedOf(ignoresGrey);
    const colour = expecting('ERR_PJ_COLOUR_NOT_ALLOWED');
    expect(colour.length).toBeGreaterThanOrEqual(4);
    expect(failed).toEqual(colour);
  }, 60_000);

  it('a checker that measures pages in points fails every vector stating page sizes, and no other', async () => {
    const { report, failed } = await failedOf(inPoints);
    const measured = tests.filter((t) => Array.isArray(t.expected?.['pages']) && (t.expected['pages'] as unknown[]).length > 0).map((t) => t.tcId);
    expect(measured.length).toBeGreaterThan(40);
    expect(failed).toEqual(measured);
    expect(report.tests.find((t) => t.tcId === 1)?.detail).toMatch(/^page 1: 210 × 297 mm expected, the SDK measured 595\.3 × 841\.9 mm$/);
  }, 60_000);

  it('a checker that throws a coded error is judged as a refusal with that code; an uncoded throw fails every vector', async () => {
    const coded = Object.assign(new Error('unreadable'), { code: 'ERR_PJ_UNREADABLE', kind: 'input' });
    const { report } = await failedOf({
      checkPj: () => {
        throw coded;
      },
    });
    const onlyUnreadable = tests.filter((t) => codesOf(t, 'errors').join() === 'ERR_PJ_UNREADABLE' && codesOf(t, 'warnings').length === 0);
    expect(onlyUnreadable.map((t) => t.tcId)).toEqual([104]);
    expect(report.tests.filter((t) => t.outcome === 'passed').map((t) => t.tcId)).toEqual([104]);
    const { failed } = await failedOf({
      checkPj: () => {
        throw new TypeError('not coded');
      },
    });
    expect(failed).toHaveLength(tests.length);
  }, 60_000);

  it('without a scorPj area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now, readFixture });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
    expect(report.requirements['SCOR-1']?.verdict).not.toBe('passed');
  });
});

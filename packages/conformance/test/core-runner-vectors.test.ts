import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock, isS3404Error } from '@s3404/core';
import { runConformance, type ConformanceRunnerSdk, type VectorFile, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** the runner's own vectors judge runConformance, and catch a runner that forgives a wrong count, passes thin coverage or passes what it cannot judge. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}core/runner.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'core/runner.json', json }];
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));
const tests = json.testGroups.flatMap((g) => g.tests);
const withFlag = (flag: string) => tests.filter((t) => t.flags.includes(flag)).map((t) => t.tcId);

const real = createPackagesSdk().runner as ConformanceRunnerSdk;
/** The deliberately broken runner that repairs a wrong `numberOfTests` rather than refusing the file. */
const forgiving: ConformanceRunnerSdk = {
  run: async (options) => {
    try {
      return await real.run(options);
    } catch (e) {
      if (!isS3404Error(e)) throw e;
      const files = options.files.map((f) => {
        const j = f.json as { numberOfTests: number; testGroups: { tests: unknown[] }[] };
        return { ...f, json: { ...j, numberOfTests: j.testGroups.reduce((n, g) => n + g.tests.length, 0) } };
      });
      return real.run({ ...options, files });
    }
  },
};
/** The deliberately broken runner that passes a requirement with any passing vector. */
const thinCoverage: ConformanceRunnerSdk = {
  run: async (options) => {
    const r = await real.run(options);
    return {
      ...r,
      requirements: Object.fromEntries(Object.entries(r.requirements).map(([id, v]) => [id, v.verdict === 'not-covered' ? { verdict: 'passed' } : v])),
    };
  },
};
/** The deliberately broken runner that counts what it could not judge as passed. */
const passesUnjudged: ConformanceRunnerSdk = {
  run: async (options) => {
    const r = await real.run(options);
    return {
      tests: r.tests.map((t) => (t.outcome === 'indeterminate' ? { ...t, outcome: 'passed' } : t)),
      requirements: Object.fromEntries(Object.entries(r.requirements).map(([id, v]) => [id, v.verdict === 'indeterminate' ? { verdict: 'passed' } : v])),
    };
  },
};

describe('test-vectors/core/runner.json', () => {
  it('has at least 6 vectors, at least half negative, all X-3', () => {
    expect(tests.length).toBeGreaterThanOrEqual(6);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    expect(tests.every((t) => t.requirements.includes('X-3'))).toBe(true);
  });

  it('runConformance passes every vector', async () => {
    const report = await runConformance({ sdk: { runner: real }, files, now });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    expect(report.requirements['X-3']?.verdict).toBe('passed');
  });

  it('a runner that repairs numberOfTests fails exactly that vector, and X-3', async () => {
    const report = await runConformance({ sdk: { runner: forgiving }, files, now });
    const counted = tests.filter((t) => t.comment.startsWith('numberOfTests')).map((t) => t.tcId);
    expect(counted).toHaveLength(1);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(counted);
    expect(report.requirements['X-3']?.verdict).toBe('failed');
  });

  it('a runner that passes thin coverage fails exactly the not-covered vectors', async () => {
    const report = await runConformance({ sdk: { runner: thinCoverage }, files, now });
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(withFlag('THIN'));
  });

  it('a runner that passes what it cannot judge fails exactly the indeterminate vectors', async () => {
    const report = await runConformance({ sdk: { runner: passesUnjudged }, files, now });
    expect(withFlag('UNJUDGEABLE')).toHaveLength(3);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(withFlag('UNJUDGEABLE'));
  });

  it('without a runner area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});

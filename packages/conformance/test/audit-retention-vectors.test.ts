import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { runConformance, type ConformanceAuditRetentionSdk, type VectorFile, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** AUD-3, X-3: the retention vectors judge the real setting, limit and purge of @s3404/audit, and catch a purge that ignores the retention and a limit that rolls over month ends. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}audit/retention.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'audit/retention.json', json }];
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));
const tests = json.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, type: g.type })));

const real = createPackagesSdk().auditRetention as ConformanceAuditRetentionSdk;
/** The deliberately broken purge: its clock a century ahead, so the retention never holds anything back. */
const ignoresRetention: ConformanceAuditRetentionSdk = {
  ...real,
  purge: (input) => real.purge({ ...input, at: new Date(input.at.getTime() + 100 * 365 * 86_400_000) }),
};
/** The deliberately broken limit: `setUTCMonth` without clamping, so 31 May − 13 months rolls over to 1 May. */
const rollsOver: ConformanceAuditRetentionSdk = {
  ...real,
  retentionCutoff: (at, months) => {
    const d = new Date(at);
    d.setUTCMonth(d.getUTCMonth() - months);
    return d;
  },
};
/** The deliberately broken purge that also deletes what it must keep: the whole trace goes. */
const deletesAll: ConformanceAuditRetentionSdk = {
  ...real,
  purge: async (input) => {
    const answer = await real.purge(input);
    return answer.ok ? { ok: true, kept: [] } : answer;
  },
};
/** The deliberately broken setting: any positive whole number of months. */
const noMinimum: ConformanceAuditRetentionSdk = {
  ...real,
  retentionMonths: (setting) =>
    setting === undefined ? 24 : Number.isInteger(setting) && (setting as number) > 0 ? (setting as number) : real.retentionMonths(setting),
};

describe('test-vectors/audit/retention.json', () => {
  it('has at least 8 vectors, at least half negative, all AUD-3, the three groups present', () => {
    expect(tests.length).toBeGreaterThanOrEqual(8);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    expect(tests.every((t) => t.requirements.includes('AUD-3'))).toBe(true);
    expect(json.testGroups.map((g) => g.type)).toEqual(['retention-months', 'retention-cutoff', 'retention-purge']);
  });

  it('the real retention of @s3404/audit passes every vector', async () => {
    const report = await runConformance({ sdk: { auditRetention: real }, files, now });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    expect(report.requirements['AUD-3']?.verdict).toBe('passed');
  }, 60_000);

  it('a purge that ignores the retention fails exactly the too-recent purges, and AUD-3', async () => {
    const report = await runConformance({ sdk: { auditRetention: ignoresRetention }, files, now });
    const recent = tests.filter((t) => t.expected?.['code'] === 'ERR_AUDIT_PURGE_TOO_RECENT').map((t) => t.tcId);
    expect(recent.length).toBeGreaterThanOrEqual(6);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(recent);
    expect(report.requirements['AUD-3']?.verdict).toBe('failed');
  }, 60_000);

  it('a purge that deletes younger traces fails exactly the purges done, naming an event it should have kept', async () => {
    const report = await runConformance({ sdk: { auditRetention: deletesAll }, files, now });
    const done = tests.filter((t) => t.type === 'retention-purge' && t.result === 'valid').map((t) => t.tcId);
    expect(done.length).toBeGreaterThanOrEqual(5);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(done);
    expect(report.tests.find((t) => t.tcId === done[0])?.detail).toMatch(/^the purge deleted 5 event\(s\) not older than 2024-03-31T10:00:00.000Z/);
  }, 60_000);

  it('a limit that rolls month ends over fails exactly the leap-day and 31st-of-month limits', async () => {
    const report = await runConformance({ sdk: { auditRetention: rollsOver }, files, now });
    const rolled = tests
      .filter((t) => t.type === 'retention-cutoff' && ['2028-02-29T12:00:00Z', '2026-05-31T08:00:00Z'].includes((t.input as { at: string }).at))
      .map((t) => t.tcId);
    expect(rolled).toHaveLength(4);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(rolled);
  }, 60_000);

  it('a setting without the 12-month minimum fails exactly the whole numbers below 12', async () => {
    const report = await runConformance({ sdk: { auditRetention: noMinimum }, files, now });
    const below = tests
      .filter((t) => t.type === 'retention-months' && [11, 1201].includes((t.input as { setting?: unknown }).setting as number))
      .map((t) => t.tcId);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(below);
  }, 60_000);

  it('without an auditRetention area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});

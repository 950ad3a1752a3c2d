import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { safePackLot } from '@s3404/scor';
import { runConformance, type ConformanceScorLotSdk, type VectorFile, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** SCOR-2, X-3: the SCOR lot vectors judge the real packLot / verifyLot, and catch a packer that ignores its size limit. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}scor/lots.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'scor/lots.json', json }];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

const real = createPackagesSdk().scorLot as ConformanceScorLotSdk;
/** A packer that does not inspect the S3404's revisions (the default of packLot): a later edit goes unseen. */
const noInspection: ConformanceScorLotSdk = {
  ...real,
  packLot: async (description, { files: pj, at, maxLotBytes }) => {
    const r = await safePackLot(description, { files: pj, now: () => at, ...(maxLotBytes === undefined ? {} : { maxLotBytes }) });
    return r.ok ? { ok: true, issues: [] } : { ok: false, issues: r.issues };
  },
};
/** The deliberately broken packer: it never applies `maxLotBytes`. */
const ignoresLimit: ConformanceScorLotSdk = { ...real, packLot: (description, { maxLotBytes: _ignored, ...rest }) => real.packLot(description, rest) };

const tests = json.testGroups.flatMap((g) => g.tests);

describe('test-vectors/scor/lots.json', () => {
  it('has at least 12 vectors, at least half negative, all SCOR-2, both groups present', () => {
    expect(tests.length).toBeGreaterThanOrEqual(12);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    expect(tests.every((t) => t.requirements.includes('SCOR-2'))).toBe(true);
    expect(json.testGroups.map((g) => g.type)).toEqual(['lot-pack', 'lot-verify']);
  });

  it('the real packLot and verifyLot of @s3404/scor pass every vector', async () => {
    const report = await runConformance({ sdk: { scorLot: real }, files, now, readFixture });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    expect(report.requirements['SCOR-2']?.verdict).toBe('passed');
  }, 60_000);

  it('a packer that ignores maxLotBytes fails exactly the over-limit vector, and SCOR-2', async () => {
    const report = await runConformance({ sdk: { scorLot: ignoresLimit }, files, now, readFixture });
    const overLimit = tests.filter((t) => t.expected?.['code'] === 'ERR_LOT_TOO_LARGE').map((t) => t.tcId);
    expect(overLimit).toHaveLength(1);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(overLimit);
    expect(report.tests.find((t) => t.tcId === overLimit[0])?.detail).toBe('expected invalid, the SDK accepted');
    expect(report.requirements['SCOR-2']?.verdict).toBe('failed');
  }, 60_000);

  it('a packer that does not inspect the S3404 revisions fails exactly the modified-S3404 vector', async () => {
    const report = await runConformance({ sdk: { scorLot: noInspection }, files, now, readFixture });
    const modified = tests.filter((t) => t.expected?.['code'] === 'ERR_LOT_S3404_MODIFIED').map((t) => t.tcId);
    expect(modified).toHaveLength(1);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(modified);
    expect(report.requirements['SIG-5']?.verdict).toBe('failed');
  }, 60_000);

  it('without a scorLot area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now, readFixture });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});

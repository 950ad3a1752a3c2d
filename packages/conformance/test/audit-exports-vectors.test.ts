import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { verifyExport } from '@s3404/audit';
import { createContentVerifier } from '@s3404/seal';
import { runConformance, type ConformanceAuditExportsSdk, type ConformanceSdk, type VectorSource } from '@s3404/conformance';

/** AUD-4: the export vectors judged through the runner, by the real verifyExport and a broken one. */

const ROOT = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const PATH = 'audit/exports.json';
const json = JSON.parse(readFileSync(`${ROOT}${PATH}`, 'utf8')) as {
  testGroups: { type: string; tests: { tcId: number; result: string; flags: string[]; expected?: { code?: string } }[] }[];
};
const readFixture = async (path: string): Promise<Uint8Array> => new Uint8Array(readFileSync(`${ROOT}${path}`));
const files: VectorSource[] = [{ path: PATH, json }];
const tests = json.testGroups.flatMap((g) => g.tests);
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

const real: ConformanceAuditExportsSdk = {
  verifyExport: ({ manifestBytes, signature, files: data, trustAnchors }) =>
    verifyExport({
      manifestBytes,
      ...(signature === undefined ? {} : { signature }),
      files: data,
      verifier: createContentVerifier({ trustAnchors: [...trustAnchors] }),
      sha256: nodeSha256,
    }),
};

/** The deliberately wrong SDK: it checks the manifest's signature but never the data files against it. */
const skipsFiles: ConformanceSdk = {
  auditExports: {
    verifyExport: async (input) => {
      const r = await real.verifyExport(input);
      const issues = r.issues.filter((i) => i.code !== 'ERR_AUDIT_EXPORT_MISMATCH');
      return { ok: issues.length === 0, issues };
    },
  },
};

describe('test-vectors/audit/exports.json', () => {
  it('has at least 3 passing and 3 negative vectors', () => {
    expect(tests.filter((t) => t.result === 'valid').length).toBeGreaterThanOrEqual(3);
    expect(tests.filter((t) => t.result === 'invalid').length).toBeGreaterThanOrEqual(3);
  });

  it('the real verifyExport passes every vector', async () => {
    const report = await runConformance({ sdk: { version: '9.9.9-test', auditExports: real }, files, now, readFixture });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    expect(report.requirements['AUD-4']?.verdict).toBe('passed');
  });

  it('an SDK that never checks the data files fails exactly the damaged-data vectors', async () => {
    const damaged = tests.filter((t) => t.expected?.code === 'ERR_AUDIT_EXPORT_MISMATCH').map((t) => t.tcId);
    expect(damaged.length).toBeGreaterThanOrEqual(2);
    const report = await runConformance({ sdk: skipsFiles, files, now, readFixture });
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(damaged);
    expect(report.tests.filter((t) => t.outcome === 'indeterminate')).toEqual([]);
    expect(report.requirements['AUD-4']?.verdict).toBe('failed');
  });

  it('without auditExports the vectors are indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: { version: 'x' }, files, now, readFixture });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});

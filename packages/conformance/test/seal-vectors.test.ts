import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { runConformance, type ConformanceSdk, type VectorFile, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** SIG-2, SIG-3, SIG-4, X-3: the sealed-record vectors judge the real verifier, and catch one that ignores the binding. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}seal/records.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'seal/records.json', json }];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

type VerifyRecord = NonNullable<ConformanceSdk['seal']>['verifyRecord'];
/** The SDK's own verifier, as `@s3404/conformance/sdk` wires it (`createVerifier` of `@s3404/seal`). */
const real: VerifyRecord = (createPackagesSdk().seal as NonNullable<ConformanceSdk['seal']>).verifyRecord;
/** The deliberately broken verifier: it never looks at `expect`. */
const ignoresExpect: VerifyRecord = (bytes, { expect: _ignored, ...rest }) => real(bytes, rest);

const tests = json.testGroups.flatMap((g) => g.tests);

describe('test-vectors/seal/records.json', () => {
  it('has at least 30 vectors, at least half negative, each of SIG-2, SIG-3, SIG-4 covered by 3 or more', () => {
    expect(tests.length).toBeGreaterThanOrEqual(30);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    for (const id of ['SIG-2', 'SIG-3', 'SIG-4']) expect(tests.filter((t) => t.requirements.includes(id)).length).toBeGreaterThanOrEqual(3);
  });

  it('the real verifier of @s3404/seal passes every vector', async () => {
    const report = await runConformance({ sdk: { seal: { verifyRecord: real } }, files, now, readFixture, filter: 'seal' });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    for (const id of ['SIG-2', 'SIG-3', 'SIG-4']) expect(report.requirements[id]?.verdict).toBe('passed');
  }, 60_000);

  it('a verifier that ignores the expected bordereau and content fails exactly the wrong-binding vectors, and SIG-4', async () => {
    const report = await runConformance({ sdk: { seal: { verifyRecord: ignoresExpect } }, files, now, readFixture, filter: 'seal' });
    const wrongBinding = tests.filter((t) => t.flags.some((f) => f === 'WRONG_BORDEREAU' || f === 'WRONG_CONTENT')).map((t) => t.tcId);
    expect(wrongBinding.length).toBeGreaterThanOrEqual(6);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(wrongBinding);
    expect(report.tests.find((t) => t.tcId === wrongBinding[0])?.detail).toBe('expected invalid, the SDK accepted');
    expect(report.requirements['SIG-4']?.verdict).toBe('failed');
    expect(report.requirements['SIG-3']?.verdict).toBe('passed');
  }, 60_000);

  it('without a seal area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now, readFixture, filter: 'seal' });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});

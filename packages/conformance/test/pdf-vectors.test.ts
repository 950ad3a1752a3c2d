import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { verifyBordereauPdf } from '@s3404/form/pdf';
import { verifyPdfSeal } from '@s3404/seal/pdf';
import { runConformance, type ConformancePdfSdk, type VectorFile, type VectorSource } from '@s3404/conformance';

/** FORM-4, FORM-6, FORM-7, SIG-3, SIG-4, X-3: the bordereau PDF and PAdES vectors judge the real verifiers, and catch one that ignores what follows the seal. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}pdf/seals.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'pdf/seals.json', json }];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));

const real: ConformancePdfSdk = { verifyPdfSeal, verifyBordereauPdf };
/** The deliberately broken verifier: it does not judge the revisions and bytes added after a seal (ERR_PDF_MODIFIED_AFTER_SEAL ignored). */
const ignoresLaterRevisions: ConformancePdfSdk = {
  verifyBordereauPdf,
  verifyPdfSeal: async (pdf, options) => {
    const v = await verifyPdfSeal(pdf, options);
    const issues = v.issues.filter((i) => i.code !== 'ERR_PDF_MODIFIED_AFTER_SEAL');
    const signatures = v.signatures.map((s) => (s.code === 'ERR_PDF_MODIFIED_AFTER_SEAL' ? { status: 'passed' as const } : s));
    if (issues.length > 0 || signatures.some((s) => s.status !== 'passed')) return v;
    return { ok: true, status: 'passed', issues: [], signatures };
  },
};

const tests = json.testGroups.flatMap((g) => g.tests);
const modifiedAfterSeal = new Set(
  Object.entries(json.notes)
    .filter(([, n]) => n.bugType === 'MODIFIED_AFTER_SEAL')
    .map(([flag]) => flag),
);

describe('test-vectors/pdf/seals.json', () => {
  it('has at least 25 vectors, at least half negative, each of FORM-6, SIG-3, SIG-4 covered by 3 or more', () => {
    expect(tests.length).toBeGreaterThanOrEqual(25);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    for (const id of ['FORM-6', 'SIG-3', 'SIG-4']) expect(tests.filter((t) => t.requirements.includes(id)).length).toBeGreaterThanOrEqual(3);
  });

  it('the real verifiers of @s3404/seal/pdf and @s3404/form/pdf pass every vector', async () => {
    const report = await runConformance({ sdk: { pdf: real }, files, now, readFixture, filter: 'pdf' });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    for (const id of ['FORM-6', 'SIG-3', 'SIG-4']) expect(report.requirements[id]?.verdict).toBe('passed');
  }, 120_000);

  it('a seal verifier that ignores what follows the seal fails exactly the modified-after-seal vectors of verifyPdfSeal, and SIG-4', async () => {
    const report = await runConformance({ sdk: { pdf: ignoresLaterRevisions }, files, now, readFixture, filter: 'pdf' });
    const sealTests = new Set(json.testGroups.filter((g) => g.type === 'pdf-seal-verify').flatMap((g) => g.tests.map((t) => t.tcId)));
    const expected = tests
      .filter((t) => sealTests.has(t.tcId) && t.result === 'invalid' && t.expected?.['code'] === 'ERR_PDF_MODIFIED_AFTER_SEAL')
      .map((t) => t.tcId)
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThanOrEqual(10);
    for (const tcId of expected) expect(tests.find((t) => t.tcId === tcId)?.flags.some((f) => modifiedAfterSeal.has(f))).toBe(true);
    const failed = report.tests
      .filter((t) => t.outcome === 'failed')
      .map((t) => t.tcId)
      .sort((a, b) => a - b);
    expect(failed).toEqual(expected);
    expect(report.tests.find((t) => t.tcId === expected[0])?.detail).toBe('expected failed, the SDK answered passed');
    expect(report.requirements['SIG-4']?.verdict).toBe('failed');
    expect(report.requirements['FORM-6']?.verdict).toBe('passed');
  }, 120_000);

  it('without a pdf area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now, readFixture, filter: 'pdf' });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});

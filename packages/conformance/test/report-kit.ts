import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { checkBordereauId, checkCcamCode, checkFiness, checkLppCode, checkNir, checkRpps, checkUcdCode } from '@s3404/form';
import { verifyBordereauPdf } from '@s3404/form/pdf';
import { inclusionProof, merkleLeafHash, merkleRoot, verifyInclusion } from '@s3404/audit';
import { frenchCalendar } from '@s3404/scor';
import { verifyPdfSeal } from '@s3404/seal/pdf';
import { runConformance, type ConformanceReport, type ConformanceSdk, type VectorSource } from '@s3404/conformance';

/**
 * Test plumbing of the HTML report tests: real vector files of
 * test-vectors/ run against the SDK's own functions, with a FINESS check that
 * can be broken on purpose, and a hand-written file whose comments and SDK
 * messages are hostile HTML.
 */
export const VECTORS = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
export const REAL_FILES = ['form/identifiers.json', 'audit/rfc6962-merkle.json', 'scor/retry-deadlines.json', 'pdf/seals.json'];
export const HOSTILE = '</table></td><script>document.title="pwned"</script><img src=x onerror=alert(1)>&amp;"\'';

export function vectorSource(path: string, withBytes = true): VectorSource {
  const bytes = new Uint8Array(readFileSync(`${VECTORS}${path}`));
  const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
  return withBytes ? { path, json, bytes } : { path, json };
}

export const readFixture = async (path: string): Promise<Uint8Array> => new Uint8Array(readFileSync(`${VECTORS}${path}`));

const form: NonNullable<ConformanceSdk['form']> = { checkNir, checkFiness, checkRpps, checkUcdCode, checkCcamCode, checkLppCode, checkBordereauId };
export const sdk: ConformanceSdk = {
  version: '9.9.9-html',
  form,
  audit: { merkleLeafHash: (d) => merkleLeafHash(d), merkleRoot: (l) => merkleRoot(l), inclusionProof: (l, i) => inclusionProof(l, i), verifyInclusion },
  scor: { retryDeadline: (first, n, calendar) => frenchCalendar({ alsaceMoselle: calendar === 'alsace-moselle' }).workingDaysDeadline(first, n) },
  pdf: { verifyPdfSeal, verifyBordereauPdf },
};
/** The deliberately broken SDK: its FINESS check accepts everything, and throws hostile HTML for one number. */
export const brokenSdk: ConformanceSdk = {
  ...sdk,
  form: {
    ...form,
    checkFiness: (f) => {
      if (f === '750712184') throw new Error(HOSTILE);
      return { ok: true, issues: [] };
    },
  },
};

/** A hand-written envelope-2 file whose comments are hostile HTML (FORM-2 vectors on the real FINESS numbers). */
export function hostileFile(): VectorSource {
  const t = (tcId: number, finess: string, result: string, extra: Record<string, unknown> = {}) => ({
    tcId,
    comment: `${HOSTILE} case ${tcId}`,
    requirements: ['FORM-2'],
    flags: ['REAL'],
    input: { finess },
    result,
    ...extra,
  });
  return {
    path: 'form/hostile.json',
    json: {
      schema: 's3404-test-vectors/2.0',
      area: 'form',
      title: 'hostile comments',
      generator: 'hand-written: report-kit.ts',
      notes: { REAL: { bugType: 'REAL_DATA', description: 'real' } },
      numberOfTests: 3,
      testGroups: [
        {
          type: 'finess',
          tests: [t(1, '750712184', 'valid'), t(2, '750712185', 'invalid', { expected: { code: 'ERR_FINESS_KEY' } }), t(3, '2A0000154', 'valid')],
        },
      ],
    },
  };
}

export const now = fixedClock('2026-12-05T13:00:00Z');

/** The report of a run over the real files and the hostile one. */
export function reportOf(which: ConformanceSdk): Promise<ConformanceReport> {
  return runConformance({
    sdk: which,
    files: [...REAL_FILES.map((p) => vectorSource(p)), hostileFile()],
    now,
    runtime: 'node test',
    sha256: nodeSha256,
    readFixture,
  });
}

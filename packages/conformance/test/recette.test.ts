import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isS3404Error } from '@s3404/core';
import { runConformance } from '@s3404/conformance';
import { REAL_FILES, VECTORS, brokenSdk, hostileFile, now, readFixture, reportOf, sdk, vectorSource } from './report-kit.js';

/** the "recette dossier" of the JSON report — the hashes of every file and fixture run, the totals, the SDK's answers — checked with node:crypto, not the SDK's hash. */

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

describe('X-3 the recette dossier of runConformance', () => {
  it('gives the SHA-256 of each vector file run — of its bytes as sha256sum prints it, or of its canonical JSON without them', async () => {
    const report = await reportOf(brokenSdk);
    expect(report.files?.map((f) => f.path)).toEqual([...REAL_FILES, 'form/hostile.json']);
    for (const path of REAL_FILES)
      expect(report.files?.find((f) => f.path === path)).toEqual({
        path,
        sha256: sha256(readFileSync(`${VECTORS}${path}`)),
        hashed: 'bytes',
        tests: report.tests.filter((t) => t.file === path).length,
      });
    expect(report.files?.find((f) => f.path === 'form/hostile.json')).toEqual({
      path: 'form/hostile.json',
      sha256: sha256(canonicalJson(hostileFile().json)),
      hashed: 'canonical-json',
      tests: 3,
    });
  });

  it('lists only the files with a test in scope', async () => {
    const report = await runConformance({ sdk, files: REAL_FILES.map((p) => vectorSource(p)), filter: 'AUD-2', now, readFixture });
    expect(report.files?.map((f) => f.path)).toEqual(['audit/rfc6962-merkle.json']);
    expect(report.files?.[0]?.tests).toBe(report.tests.length);
  });

  it('gives each fixture a vector read, with the SHA-256 of the bytes read', async () => {
    const report = await reportOf(sdk);
    const pdf = report.tests.filter((t) => t.file === 'pdf/seals.json');
    expect(pdf.length).toBeGreaterThanOrEqual(25);
    for (const t of pdf) {
      expect(t.fixtures?.length, `${t.tcId}`).toBeGreaterThanOrEqual(1);
      for (const f of t.fixtures!) {
        expect(f.file).toMatch(/^pdf\/fixtures\/pdf-[A-Z]+-\d+-t\d\d-(pass|fail)-/);
        expect(f.sha256).toBe(sha256(readFileSync(`${VECTORS}${f.file}`)));
      }
    }
    expect(report.tests.filter((t) => t.file !== 'pdf/seals.json').every((t) => t.fixtures === undefined)).toBe(true);
  });

  it('records the hash of a fixture that does not match its vector, the vector being indeterminate', async () => {
    const wrong = async (path: string): Promise<Uint8Array> => Uint8Array.of(...(await readFixture(path)), 0x0a);
    const report = await runConformance({ sdk, files: [vectorSource('pdf/seals.json')], now, readFixture: wrong });
    const t = report.tests[0]!;
    expect(t.outcome).toBe('indeterminate');
    expect(t.answer).toBeUndefined();
    expect(t.fixtures?.[0]?.sha256).toBe(sha256(await wrong(t.fixtures![0]!.file)));
    expect(t.detail).toContain(t.fixtures![0]!.sha256);
  });

  it('totals the run and says what the SDK answered for each test', async () => {
    const report = await reportOf(brokenSdk);
    const count = (o: string) => report.tests.filter((t) => t.outcome === o).length;
    expect(report.summary).toEqual({
      tests: report.tests.length,
      passed: count('passed'),
      failed: count('failed'),
      indeterminate: 0,
      negatives: report.tests.filter((t) => t.result === 'invalid').length,
    });
    expect(report.summary!.negatives).toBeGreaterThanOrEqual(40);
    const byId = (file: string, tcId: number) => report.tests.find((t) => t.file === file && t.tcId === tcId)!;
    // A FINESS that accepts everything: accepted where it must refuse; an uncoded exception for 750712184.
    expect(byId('form/hostile.json', 2)).toMatchObject({ outcome: 'failed', answer: 'accepted' });
    expect(byId('form/hostile.json', 1)).toMatchObject({ outcome: 'failed', answer: 'uncoded exception' });
    expect(byId('form/hostile.json', 3)).toMatchObject({ outcome: 'passed', answer: 'accepted' });
    // A refusal is answered by its code; a computed value by the value.
    for (const t of report.tests.filter((x) => x.outcome === 'passed' && x.result === 'invalid' && typeof x.expected?.['code'] === 'string'))
      expect(t.answer, `${t.file}#${t.tcId}`).toBe(t.code);
    expect(
      report.tests.filter((t) => t.type === 'retry-deadline' && t.result === 'valid').every((t) => t.answer === `deadline ${String(t.expected?.['deadline'])}`),
    ).toBe(true);
    expect(report.tests.every((t) => t.answer !== undefined)).toBe(true);
  });

  it('refuses bytes that are not the JSON given (ERR_VECTORS_INVALID): the hash must be of what was run', async () => {
    const source = vectorSource('form/identifiers.json');
    const other = new Uint8Array(readFileSync(`${VECTORS}scor/retry-deadlines.json`));
    for (const bytes of [other, Uint8Array.of(0xff, 0xfe), new TextEncoder().encode('{')]) {
      const e = await runConformance({ sdk, files: [{ ...source, bytes }], now }).catch((x: unknown) => x);
      expect(isS3404Error(e) && e.code).toBe('ERR_VECTORS_INVALID');
      expect(isS3404Error(e) && e.message).toContain('form/identifiers.json');
    }
    // The same JSON, spaced differently, is the same file.
    const respaced = new TextEncoder().encode(JSON.stringify(source.json));
    const report = await runConformance({ sdk, files: [{ ...source, bytes: respaced }], now });
    expect(report.files?.[0]?.sha256).toBe(sha256(respaced));
  });
});

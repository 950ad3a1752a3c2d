import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPj, type PjPolicy } from '@s3404/scor';
import { PJ_VECTOR_CASES, type PageFacts } from './fixtures/pj-vectors.js';
import { pdfImagesList, pdfInfoJs, pdfInfoSizes, qpdfCheck, qpdfExpanded } from './fixtures/tools.js';

/**
 * the PJ-check conformance vectors of test-vectors/scor/pj-checks.json (envelope 2, written by
 * packages/conformance/generate/scor-pj-checks.ts from @s3404/tooling/pj-vector-table), run against the
 * package with every stated fact; the conformance runner judges the same file through the SDK interface.
 */
const root = new URL('../../../test-vectors/scor/', import.meta.url);
interface Vector {
  tcId: number;
  comment: string;
  flags: string[];
  input: { pdf: { file: string; sha256: string }; policy?: PjPolicy };
  result: 'valid' | 'invalid';
  expected: { errors: string[]; warnings: string[]; pages?: PageFacts[] };
}
const text = readFileSync(new URL('pj-checks.json', root), 'utf8');
const vectors = JSON.parse(text) as {
  schema: string;
  numberOfTests: number;
  sources: Record<string, string>;
  notes: Record<string, { bugType: string; description: string }>;
  testGroups: { type: string; tests: Vector[] }[];
};
const tests = vectors.testGroups.flatMap((g) => g.tests);
const bytesOf = (t: Vector): Uint8Array => new Uint8Array(readFileSync(new URL(t.input.pdf.file, root)));
const MM = 25.4 / 72;

describe('SCOR-1 PJ checks — conformance vectors (test-vectors/scor/pj-checks.json)', () => {
  it('hold every case of the table, in envelope 2, with the SCOR-1 fixtures of the folder and no other', () => {
    expect(vectors.schema).toBe('s3404-test-vectors/2.0');
    expect(tests.map((t) => t.tcId)).toEqual(PJ_VECTOR_CASES.map((c) => c.tcId));
    for (const [i, c] of PJ_VECTOR_CASES.entries()) {
      const t = tests[i]!;
      expect(t.result, `tcId ${c.tcId}`).toBe(c.result);
      expect(t.expected.errors).toEqual([...c.expectedErrors].sort());
      expect(t.expected.warnings).toEqual([...(c.expectedWarnings ?? [])].sort());
      expect(Buffer.from(bytesOf(t)).equals(Buffer.from(c.pdf())), `tcId ${c.tcId}: the fixture is the table's PDF`).toBe(true);
    }
    const used = new Set(tests.map((t) => t.input.pdf.file.slice('fixtures/'.length)));
    expect(
      readdirSync(new URL('fixtures/', root))
        .filter((f) => f.startsWith('scor-SCOR-1-'))
        .sort(),
    ).toEqual([...used].sort());
  });

  it('list as many cases as they say, with unique ids, known flags and sources, and the right hashes', () => {
    expect(tests).toHaveLength(vectors.numberOfTests);
    expect(new Set(tests.map((t) => t.tcId)).size).toBe(tests.length);
    for (const t of tests) {
      const bytes = bytesOf(t);
      expect(createHash('sha256').update(bytes).digest('hex'), `tcId ${t.tcId}`).toBe(t.input.pdf.sha256);
      const source = /\(source : ([A-Z]+)\)$/.exec(t.comment)?.[1];
      expect(vectors.sources[source ?? ''], `tcId ${t.tcId} source`).toBeDefined();
      for (const f of t.flags) expect(vectors.notes[f], `tcId ${t.tcId} flag ${f}`).toBeDefined();
      expect(t.result === 'valid').toBe(t.expected.errors.length === 0);
    }
    // Every group has cases on both sides where a policy can make a difference.
    expect(tests.filter((t) => t.result === 'valid').length).toBeGreaterThan(10);
    expect(tests.filter((t) => t.result === 'invalid').length).toBeGreaterThan(10);
  });

  it.each(tests)('tcId $tcId: $comment', (t) => {
    const report = checkPj(bytesOf(t), t.input.policy ?? {});
    const codes = (severity: string): string[] => [...new Set(report.issues.filter((i) => i.severity === severity).map((i) => i.code))].sort();
    expect(codes('error')).toEqual(t.expected.errors);
    expect(codes('warning')).toEqual(t.expected.warnings);
    expect(report.ok).toBe(t.result === 'valid');
    const facts = t.expected.pages;
    if (facts === undefined) return;
    expect(report.pages.map((p) => [p.widthMm, p.heightMm])).toEqual(facts.map((p) => [expect.closeTo(p.widthMm, 1), expect.closeTo(p.heightMm, 1)]));
    report.pages.forEach((p, i) => {
      const page = facts[i]!;
      expect(p.images.map((im) => [Math.round(im.dpiX), Math.round(im.dpiY), im.scan])).toEqual(page.images.map((f) => [f.dpi, f.dpiY ?? f.dpi, f.scan]));
    });
  });

  it('carry the active content they say, as qpdf (expanded, names normalised) and poppler (pdfinfo -js) see it', () => {
    const withEvidence = PJ_VECTOR_CASES.filter((c) => c.evidence !== undefined);
    expect(withEvidence.length).toBeGreaterThan(25);
    for (const c of withEvidence) {
      const pdf = bytesOf(tests.find((t) => t.tcId === c.tcId)!);
      const expanded = qpdfExpanded(pdf);
      for (const s of c.evidence!.qdf) expect(expanded, `tcId ${c.tcId}: ${s}`).toContain(s);
      if (c.evidence!.js !== undefined) expect(pdfInfoJs(pdf), `tcId ${c.tcId}`).toContain(c.evidence!.js);
    }
  });

  it('state page sizes and resolutions that poppler (pdfinfo, pdfimages -list) reads the same, in files qpdf --check accepts', () => {
    for (const t of tests) {
      const facts = t.expected.pages;
      if (facts === undefined) continue;
      const pdf = bytesOf(t);
      const check = qpdfCheck(pdf);
      expect(check.status, `tcId ${t.tcId}: ${check.output}`).toBe(0);
      const sizes = pdfInfoSizes(pdf);
      expect(
        sizes.map((s) => [s.width * MM, s.height * MM]),
        `tcId ${t.tcId}`,
      ).toEqual(facts.map((p) => [expect.closeTo(p.widthMm, 1), expect.closeTo(p.heightMm, 1)]));
      const rows = pdfImagesList(pdf);
      const expected = facts.flatMap((p, i) => p.images.map((im) => ({ page: i + 1, color: im.color, bpc: im.bpc, xppi: im.dpi, yppi: im.dpiY ?? im.dpi })));
      expect(
        rows.map((r) => ({ page: r.page, color: r.color, bpc: r.bpc, xppi: r.xppi, yppi: r.yppi })),
        `tcId ${t.tcId}`,
      ).toEqual(expected);
    }
  });
});

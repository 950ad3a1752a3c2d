import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIN_PASSING_VECTORS, SPEC_REQUIREMENTS, VECTOR_SCHEMA, type VectorFile } from '@s3404/conformance';

/**
 * X-3 (issue 18): the suite as a whole — at least 400 vectors, at least half of them negative
 * (`invalid`), and every requirement of the SPEC's list covered by at least 3. Counted over every
 * vector file of `test-vectors/` (not the schema, not the fixture manifests).
 */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const paths = readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.json'))
  .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
  .filter((p) => !p.startsWith('schema/') && !p.endsWith('fixtures/manifest.json'))
  .sort();
const files = paths.map((path) => ({ path, json: JSON.parse(readFileSync(join(dir, path), 'utf8')) as VectorFile }));

const MIN_TOTAL = 400;

/** What the suite lacks: each problem as a sentence; none when it is complete. */
function coverageProblems(suite: readonly { readonly path: string; readonly json: VectorFile }[]): string[] {
  const problems: string[] = [];
  const tests = suite.flatMap((f) => (f.json.schema === VECTOR_SCHEMA ? f.json.testGroups.flatMap((g) => g.tests) : []));
  for (const f of suite) if (f.json.schema !== VECTOR_SCHEMA) problems.push(`${f.path}: not an envelope ${VECTOR_SCHEMA}`);
  if (tests.length < MIN_TOTAL) problems.push(`${tests.length} vectors, fewer than ${MIN_TOTAL}`);
  const negatives = tests.filter((t) => t.result === 'invalid').length;
  if (negatives * 2 < tests.length) problems.push(`${negatives} negative vectors of ${tests.length}, fewer than half`);
  for (const id of SPEC_REQUIREMENTS) {
    const n = tests.filter((t) => t.requirements.includes(id)).length;
    if (n < MIN_PASSING_VECTORS) problems.push(`${id}: ${n} vector(s), fewer than ${MIN_PASSING_VECTORS}`);
  }
  return problems;
}

describe('the whole vector suite (X-3)', () => {
  it('has at least 400 vectors, at least half negative, and at least 3 for every requirement of the SPEC', () => {
    expect(paths.length).toBeGreaterThanOrEqual(10);
    expect(coverageProblems(files)).toEqual([]);
  });

  it('the check names what a thinner suite lacks', () => {
    const withoutX4 = files.filter((f) => !f.json.testGroups.some((g) => g.tests.some((t) => t.requirements.includes('X-4'))));
    expect(coverageProblems(withoutX4)).toContain('X-4: 0 vector(s), fewer than 3');
    const onlyValid = files.map((f) => ({
      ...f,
      json: { ...f.json, testGroups: f.json.testGroups.map((g) => ({ ...g, tests: g.tests.filter((t) => t.result !== 'invalid') })) },
    }));
    expect(coverageProblems(onlyValid).some((p) => /negative vectors of \d+, fewer than half/.test(p))).toBe(true);
    const one = files.slice(0, 1);
    expect(coverageProblems(one).some((p) => /^\d+ vectors, fewer than 400$/.test(p))).toBe(true);
    expect(coverageProblems([{ path: 'x.json', json: { ...files[0]!.json, schema: 's3404-test-vectors/1.0' as never } }])).toContain(
      'x.json: not an envelope s3404-test-vectors/2.0',
    );
  });
});

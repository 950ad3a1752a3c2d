import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `s3404 conformance` without --vectors runs ./test-vectors when the folder has one, else the
 * vectors published with @s3404/conformance (run from the sources, the package's build copy made first).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 's3404-packaged-vectors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** tsx's loader by absolute URL: the command runs from folders outside the repository. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const s3404 = (args: string[], cwd: string) =>
  spawnSync(process.execPath, ['--import', TSX, '--conditions=@s3404/source', join(ROOT, 'packages/cli/src/bin.ts'), 'conformance', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
interface Report {
  ok: boolean;
  tests: { file: string; outcome: string }[];
}

beforeAll(() => {
  const copy = spawnSync(process.execPath, ['scripts/copy-vectors.mjs'], { cwd: join(ROOT, 'packages/conformance'), encoding: 'utf8' });
  expect(copy.status, copy.stderr).toBe(0);
}, 60_000);

describe('s3404 conformance: where the vectors come from', () => {
  it('in a folder without test-vectors/, the packaged vectors run (SCOR-1: every vector of scor/pj-checks.json, all passed)', () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const r = s3404(['--filter', 'SCOR-1', '--json'], empty);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.ok).toBe(true);
    const count = (JSON.parse(readFileSync(join(ROOT, 'test-vectors/scor/pj-checks.json'), 'utf8')) as { numberOfTests: number }).numberOfTests;
    expect(count).toBeGreaterThanOrEqual(74);
    expect(report.tests.filter((t) => t.file === 'scor/pj-checks.json')).toHaveLength(count);
    expect(report.tests.every((t) => t.outcome === 'passed')).toBe(true);
  }, 150_000);

  it('a folder with its own test-vectors/ runs those, not the packaged ones', () => {
    const own = join(work, 'own');
    mkdirSync(join(own, 'test-vectors/form'), { recursive: true });
    cpSync(join(ROOT, 'test-vectors/form/identifiers.json'), join(own, 'test-vectors/form/identifiers.json'));
    const r = s3404(['--json'], own);
    const report = JSON.parse(r.stdout) as Report;
    expect(new Set(report.tests.map((t) => t.file))).toEqual(new Set(['form/identifiers.json']));
  }, 150_000);
});

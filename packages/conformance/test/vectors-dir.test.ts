import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVectorsDir, packagedVectorsDir } from '@s3404/conformance/node';

/**
 * the vectors are published with @s3404/conformance — copied into vectors/ by its build,
 * listed in `files`, found by `packagedVectorsDir` — and `defaultVectorsDir` prefers ./test-vectors.
 */
const PKG = fileURLToPath(new URL('..', import.meta.url));
const VECTORS = fileURLToPath(new URL('../../../test-vectors', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 's3404-vectors-dir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const list = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : out.push(relative(dir, join(d, e.name)));
  };
  walk(dir);
  return out.sort();
};

beforeAll(() => {
  // The build's copy step alone (tsup is not needed for the vectors).
  const run = spawnSync(process.execPath, ['scripts/copy-vectors.mjs'], { cwd: PKG, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
}, 60_000);

describe('vectors published with @s3404/conformance', () => {
  it('the build copies test-vectors/ into vectors/, file for file, and git ignores the copy', () => {
    const dir = packagedVectorsDir();
    expect(dir).toBe(join(PKG, 'vectors'));
    const files = list(VECTORS);
    expect(files).toContain('scor/pj-checks.json');
    expect(list(dir!)).toEqual(files);
    for (const f of files) expect(readFileSync(join(dir!, f)).equals(readFileSync(join(VECTORS, f))), f).toBe(true);
    const ignored = spawnSync('git', ['check-ignore', '-q', join(PKG, 'vectors/scor/pj-checks.json')], { cwd: PKG });
    expect(ignored.status).toBe(0);
  });

  it('defaultVectorsDir: ./test-vectors when it is a folder, else the packaged vectors', () => {
    const checkout = join(work, 'checkout');
    mkdirSync(join(checkout, 'test-vectors'), { recursive: true });
    expect(defaultVectorsDir(checkout)).toBe(join(checkout, 'test-vectors'));
    const empty = join(work, 'empty');
    mkdirSync(empty);
    expect(defaultVectorsDir(empty)).toBe(join(PKG, 'vectors'));
    const notFolder = join(work, 'file');
    mkdirSync(notFolder);
    writeFileSync(join(notFolder, 'test-vectors'), 'not a folder');
    expect(defaultVectorsDir(notFolder)).toBe(join(PKG, 'vectors'));
  });

  it('pnpm pack puts the vectors in the tarball, with their fixtures and schema', () => {
    const out = join(work, 'pack');
    mkdirSync(out);
    const pack = spawnSync('pnpm', ['pack', '--pack-destination', out], { cwd: PKG, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
    const listing = spawnSync('tar', ['-tzf', join(out, tgz)], { encoding: 'utf8' }).stdout.split('\n');
    const packed = listing
      .filter((l) => l.startsWith('package/vectors/'))
      .map((l) => l.slice('package/vectors/'.length))
      .sort();
    expect(packed).toEqual(list(VECTORS));
    expect(packed).toEqual(
      expect.arrayContaining(['schema/test-vectors-2.0.schema.json', 'scor/fixtures/manifest.json', 'scor/fixtures/scor-SCOR-1-t07-fail-a6.pdf']),
    );
  }, 120_000);
});

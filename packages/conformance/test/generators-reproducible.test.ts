import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeOwnFixtures } from '../generate/vectors-output.js';

/**
 * the checked-in generators reproduce the committed vectors. The deterministic ones (no key,
 * no signature) run into a copy of test-vectors/ and must leave it byte for byte as committed —
 * their own files rewritten identically, every other generator's file untouched; and a generator
 * sharing a fixture folder deletes only its own fixtures.
 */
const PKG = fileURLToPath(new URL('..', import.meta.url));
const VECTORS = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 's3404-generate-'));
/** Modules of generate/ that are not generators. */
const HELPERS = new Set(['all', 'seeded', 'vectors-output', 'write-envelope']);
/** The generators that sign (a seeded PKI, but ECDSA nonces and CMS signing times change): not byte for byte. */
const SIGNING = new Set(['audit-chains', 'audit-exports', 'consume-scenarios', 'pdf-seals', 'seal-records']);
const DETERMINISTIC = readdirSync(join(PKG, 'generate'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((n) => !HELPERS.has(n) && !SIGNING.has(n))
  .sort();
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file under `dir`, by relative path. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** The files that differ between two trees (changed, missing, added). */
function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n) === undefined || b.get(n) === undefined || !a.get(n)!.equals(b.get(n)!)).sort();
}

describe('generators, re-run', () => {
  it('the comparison sees a changed, a missing and an added file (the control)', () => {
    const a = new Map([
      ['x', Buffer.from('1')],
      ['y', Buffer.from('2')],
    ]);
    expect(differences(a, new Map(a))).toEqual([]);
    expect(
      differences(
        a,
        new Map([
          ['x', Buffer.from('1')],
          ['y', Buffer.from('3')],
          ['z', Buffer.from('')],
        ]),
      ),
    ).toEqual(['y', 'z']);
    expect(differences(a, new Map([['x', Buffer.from('1')]]))).toEqual(['y']);
  });

  it('every generator that signs nothing (form, capture, scor, core, retention, pluggable) rewrites test-vectors/ byte for byte, touching nothing else', () => {
    expect(DETERMINISTIC).toEqual(expect.arrayContaining(['capture-messages', 'form-bordereaux', 'form-fillable', 'scor-lots', 'scor-pj-checks']));
    const out = join(work, 'run');
    const committed = tree(VECTORS);
    cpSync(VECTORS, out, { recursive: true });
    // A stale file of scor-pj-checks' own: the generator deletes it.
    writeFileSync(join(out, 'scor/fixtures/scor-SCOR-1-t99-fail-stale.pdf'), 'stale');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@s3404/source', 'generate/all.ts', ...DETERMINISTIC], {
      cwd: PKG,
      env: { ...process.env, S3404_VECTORS_OUT: out },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/scor\/pj-checks\.json: \d+ vectors/);
    expect(differences(committed, tree(out))).toEqual([]);
  }, 300_000);
});

describe('writeOwnFixtures: a generator deletes only its own fixtures', () => {
  const root = join(work, 'own');
  const area = join(root, 'scor');
  afterEach(() => {
    delete process.env['S3404_VECTORS_OUT'];
  });
  const entry = (file: string, sha256: string, reason: string) => ({ file, sha256, reason });

  it('keeps the fixtures another vector file uses, deletes its old ones and orphans, rewrites a shared one, sorts the manifest', () => {
    mkdirSync(join(area, 'fixtures'), { recursive: true });
    const ref = (file: string) => ({ file: `fixtures/${file}`, sha256: '0'.repeat(64) });
    writeFileSync(
      join(area, 'other.json'),
      JSON.stringify({
        testGroups: [{ type: 't', tests: [{ input: { a: ref('scor-SCOR-2-t01-pass-theirs.pdf'), b: [ref('scor-SCOR-1-t02-pass-shared.pdf')] } }] }],
      }),
    );
    writeFileSync(join(area, 'mine.json'), JSON.stringify({ testGroups: [{ type: 't', tests: [{ input: { a: ref('scor-SCOR-1-t01-pass-old.pdf') } }] }] }));
    for (const f of ['scor-SCOR-2-t01-pass-theirs.pdf', 'scor-SCOR-1-t01-pass-old.pdf', 'scor-SCOR-1-t02-pass-shared.pdf', 'scor-SCOR-1-t03-fail-orphan.pdf'])
      writeFileSync(join(area, 'fixtures', f), f);
    writeFileSync(
      join(area, 'fixtures/manifest.json'),
      JSON.stringify([
        entry('scor-SCOR-2-t01-pass-theirs.pdf', 'aa', 'theirs'),
        entry('scor-SCOR-1-t01-pass-old.pdf', 'bb', 'old'),
        entry('scor-SCOR-1-t02-pass-shared.pdf', 'cc', 'shared'),
      ]),
    );
    process.env['S3404_VECTORS_OUT'] = root;
    const refs = writeOwnFixtures('scor', 'mine.json', [
      { name: 'scor-SCOR-1-t02-pass-shared.pdf', bytes: 'new shared', reason: 'shared, rewritten' },
      { name: 'scor-SCOR-1-t01-pass-new.pdf', bytes: new Uint8Array([1, 2, 3]), reason: 'new' },
    ]);
    expect(readdirSync(join(area, 'fixtures')).sort()).toEqual([
      'manifest.json',
      'scor-SCOR-1-t01-pass-new.pdf',
      'scor-SCOR-1-t02-pass-shared.pdf',
      'scor-SCOR-2-t01-pass-theirs.pdf',
    ]);
    expect(readFileSync(join(area, 'fixtures/scor-SCOR-1-t02-pass-shared.pdf'), 'utf8')).toBe('new shared');
    const manifest = JSON.parse(readFileSync(join(area, 'fixtures/manifest.json'), 'utf8')) as { file: string; sha256: string; reason: string }[];
    expect(manifest.map((m) => [m.file, m.reason])).toEqual([
      ['scor-SCOR-1-t01-pass-new.pdf', 'new'],
      ['scor-SCOR-1-t02-pass-shared.pdf', 'shared, rewritten'],
      ['scor-SCOR-2-t01-pass-theirs.pdf', 'theirs'],
    ]);
    expect(refs.get('scor-SCOR-1-t01-pass-new.pdf')).toEqual({
      file: 'fixtures/scor-SCOR-1-t01-pass-new.pdf',
      sha256: '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81',
    });
    expect(existsSync(join(area, 'fixtures/scor-SCOR-1-t03-fail-orphan.pdf'))).toBe(false);
  });

  it('refuses a fixture named twice', () => {
    process.env['S3404_VECTORS_OUT'] = root;
    const twice = { name: 'scor-SCOR-1-t04-pass-twice.pdf', bytes: 'x', reason: 'x' };
    expect(() => writeOwnFixtures('scor', 'mine.json', [twice, twice])).toThrow(/written twice/);
  });
});

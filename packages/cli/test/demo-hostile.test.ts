import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './harness.js';
import { canMountSmallDisk, withSmallDisk } from '@s3404/tooling/test-kit';

const smallDisk = await canMountSmallDisk();

// `s3404 demo` under hostile input and a hostile machine: every refusal is coded (exit 2, never 70 or a stack
// trace), leaves the folder as it was found, and nothing left behind presents itself as a complete day.
const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 's3404-demo-hostile-'));
const cli = cliIn(work);
const immutable: string[] = [];
afterAll(() => {
  for (const p of immutable) spawnSync('chattr', ['-i', p]);
  rmSync(work, { recursive: true, force: true });
});

/** Root on a file system with immutable flags: what the tests of unwritable folders need. */
const canChattr = ((): boolean => {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 's3404-chattr-'));
  const ok = spawnSync('chattr', ['+i', probe]).status === 0;
  spawnSync('chattr', ['-i', probe]);
  rmSync(probe, { recursive: true, force: true });
  return ok;
})();
function chattr(flag: '+i' | '-i', path: string): void {
  expect(spawnSync('chattr', [flag, path]).status).toBe(0);
  if (flag === '+i') immutable.push(path);
  else immutable.splice(immutable.indexOf(path), 1);
}

interface JsonError {
  error: { code: string; kind: string; message: string; resume?: unknown };
}
const errorOf = (out: string): JsonError['error'] => (JSON.parse(out) as JsonError).error;

describe('s3404 demo, hostile input', () => {
  it('--count takes decimal digits only: 1e3, 0x10, " 3", 2.0, +2, 00002 are refused before anything is written', async () => {
    const out = join(work, 'count');
    // The forms that ran a day before (Number() read them), the cheapest first.
    for (const count of [' 3', '2.0', '+2', '00002', '0b11', '0x10', '1e3']) {
      const r = await cli(['demo', '--out', out, '--count', count, '--json', '--lang', 'en']);
      expect(r.code, count).toBe(2);
      const e = errorOf(r.out);
      expect(e.code).toBe('ERR_USAGE_VALUE');
      expect(e.message).toContain('--count expects a whole number from 1 to 100000 in decimal digits (for example 30)');
      expect(e.message).toContain(`(received ${count})`);
      expect(existsSync(out)).toBe(false);
    }
    const fr = await cli(['demo', '--out', out, '--count', '1e3']);
    expect(fr.code).toBe(2);
    expect(fr.err).toContain('--count attend un nombre entier de 1 à 100000 en chiffres décimaux (par exemple 30) (reçu 1e3)');
  });

  it('a folder refused as not a demo’s is left as found: no lock file, and a second run still refuses it instead of emptying it', async () => {
    const out = join(work, 'foreign');
    mkdirSync(join(out, 'bordereaux'), { recursive: true });
    writeFileSync(join(out, 'bordereaux', 'mine.pdf'), 'a user’s own file');
    writeFileSync(join(out, 'summary.json'), '{"mine": true}\n');
    for (let i = 0; i < 2; i++) {
      const r = await cli(['demo', '--out', out, '--count', '1', '--json', '--lang', 'en']);
      expect(r.code).toBe(2);
      expect(errorOf(r.out)).toMatchObject({ code: 'ERR_USAGE', message: expect.stringContaining('without being a previous demo: choose another --out') });
    }
    // Before: the first refusal left its lock file, which the second run took for an interrupted demo's and emptied the folder.
    expect(readFileSync(join(out, 'bordereaux', 'mine.pdf'), 'utf8')).toBe('a user’s own file');
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe('{"mine": true}\n');
    expect(readdirSync(out).sort()).toEqual(['bordereaux', 'summary.json']);
  });

  it('a lock file that is not one is a usage error naming it (not an internal error), and is left alone', async () => {
    const out = join(work, 'not-a-lock');
    mkdirSync(out);
    const junk = 'not a database: '.repeat(16);
    writeFileSync(join(out, '.s3404-demo.lock'), junk);
    const r = await cli(['demo', '--out', out, '--count', '1', '--json', '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(errorOf(r.out)).toMatchObject({ code: 'ERR_USAGE', message: expect.stringContaining(`${join(out, '.s3404-demo.lock')} is not a demo's lock file`) });
    expect(readFileSync(join(out, '.s3404-demo.lock'), 'utf8')).toBe(junk);
    expect(readdirSync(out)).toEqual(['.s3404-demo.lock']);
  });
});

describe.runIf(canChattr)('s3404 demo, a folder it may not write (chattr +i, as root)', () => {
  it('an unwritable --out is ERR_FILE_UNWRITABLE (exit 2) in both languages, not an internal error', async () => {
    const out = join(work, 'immutable');
    mkdirSync(out);
    chattr('+i', out);
    const en = await cli(['demo', '--out', out, '--count', '1', '--json', '--lang', 'en']);
    expect(en.code).toBe(2);
    expect(errorOf(en.out)).toMatchObject({
      code: 'ERR_FILE_UNWRITABLE',
      kind: 'input',
      message: `Cannot write the file ${join(out, '.s3404-demo.lock')} (EPERM): nothing was written.`,
    });
    const fr = await cli(['demo', '--out', out, '--count', '1']);
    expect(fr.code).toBe(2);
    expect(fr.err).toContain(`[ERR_FILE_UNWRITABLE] Impossible d'écrire le fichier ${join(out, '.s3404-demo.lock')} (EPERM)`);
    expect(fr.err).not.toMatch(/\n\s+at /);
    chattr('-i', out);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a previous demo that cannot be emptied: coded error, its summary gone first (nothing presented as complete), and the next run takes the folder', async () => {
    const out = join(work, 'stuck');
    expect((await cli(['demo', '--out', out, '--count', '1', '--json'])).code).toBe(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    chattr('+i', join(out, 'scor'));
    const r = await cli(['demo', '--out', out, '--count', '1', '--json', '--lang', 'en']);
    chattr('-i', join(out, 'scor'));
    expect(r.code).toBe(2);
    expect(errorOf(r.out)).toMatchObject({ code: 'ERR_FILE_UNWRITABLE', message: expect.stringContaining(`Cannot write the file ${join(out, 'scor')}`) });
    // The bordereaux were removed: a summary left beside them would claim a day that is no longer there.
    expect(existsSync(join(out, 'bordereaux'))).toBe(false);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const again = await cli(['demo', '--out', out, '--count', '1', '--json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as { valid: number }).valid).toBe(1);
  });
});

describe.runIf(smallDisk)('s3404 demo on a full disk', () => {
  it('the demo’s own store filling the disk is ERR_DEMO_INCOMPLETE: valid JSON, no resume hint it cannot follow, no summary', async () => {
    const mnt = mkdtempSync(join(tmpdir(), 's3404-demo-full-'));
    try {
      await withSmallDisk(mnt, '3m', () => {
        const out = join(mnt, 'd');
        const r = spawnSync('node', [BIN, 'demo', '--count', '20', '--out', out, '--json', '--lang', 'en'], { encoding: 'utf8', timeout: 40_000 });
        expect(r.status).toBe(2);
        const e = errorOf(r.stdout);
        expect(e.resume).toBeUndefined();
        expect(r.stderr).not.toContain('--request-id');
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(e.code).toBe('ERR_DEMO_INCOMPLETE');
        expect(e.kind).toBe('unavailable');
        expect(e.message).toContain('SQLITE_FULL');
        expect(e.message).toContain(`${out} is incomplete, without summary.json: fix the cause (disk space…) then run the demo again, it starts over`);
        expect(existsSync(join(out, 'summary.json'))).toBe(false);
      });
    } finally {
      rmSync(mnt, { recursive: true, force: true });
    }
  }, 45_000);
});

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { cliIn } from './harness.js';
import { png } from './png.js';
import { EXAMPLE_HASH } from './seal-args.js';

// Issue 14 #10, #11, #12: ordinary I/O mistakes are bad input (exit 2 with a coded message), nothing
// hangs, and a closed pipe ends a command quietly. Every command that reads or writes a path is tried
// with every kind of bad path, through the public command.

const ROOT = new URL('../../../', import.meta.url).pathname;
const EXAMPLE = join(ROOT, 'examples/data/mco-chirurgie-pth.json');
const LOT = join(ROOT, 'examples/scor/lot.json');
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
const EPOCH = '1774000800';
const work = mkdtempSync(join(tmpdir(), 's3404-io-'));
afterAll(() => {
  chmodSync(join(work, 'locked'), 0o755);
  rmSync(work, { recursive: true, force: true });
});
const cli = cliIn(work, EPOCH);
const pki = join(work, 'pki');
const key = ['--cert', join(pki, 'seal-cert.pem'), '--key', join(pki, 'seal-key.pem')];
const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  expect((await cli(['pki', 'init', pki])).code).toBe(0);
  expect((await cli(['render', EXAMPLE, '-o', join(work, 'b.pdf')])).code).toBe(0);
  writeFileSync(join(work, 'sig.png'), png(300, 100));
  const seal = await cli([
    'record',
    'seal',
    '--bordereau',
    ID,
    '--content-hash',
    EXAMPLE_HASH,
    '--role',
    'assure',
    '--signer',
    'Jeanne Martin',
    '--image',
    'sig.png',
    ...key,
    '-o',
    'r.p7m',
  ]);
  expect(seal.code, seal.err).toBe(0);
  expect((await cli(['audit', 'checkpoint', '--state', 'st', ...key])).code).toBe(0);
  writeFileSync(join(work, 'afile'), 'x');
  mkdirSync(join(work, 'adir'));
  mkdirSync(join(work, 'locked'));
  chmodSync(join(work, 'locked'), 0o555);
}, 60_000);

/** Bad places to write: a folder, under a file, an empty name, a pseudo file system, a device, too long, unwritable. */
function badOutputs(): { readonly name: string; readonly path: string }[] {
  const out = [
    { name: 'a folder', path: 'adir' },
    { name: 'under a file', path: 'afile/x.out' },
    { name: 'deep under a file', path: 'afile/a/b/c.out' },
    { name: 'empty', path: '' },
    { name: 'a name too long', path: `${'n'.repeat(300)}.out` },
    { name: 'under a device', path: '/dev/null/x.out' },
  ];
  if (existsSync('/proc/self')) out.push({ name: 'a pseudo file system', path: '/proc/s3404-x/y/z.out' }, { name: 'in /proc', path: '/proc/s3404-x.out' });
  if (!isRoot) out.push({ name: 'a read-only folder', path: 'locked/x.out' });
  return out;
}

/** Bad things to read: a folder, a missing file, under a file, empty name, a device that never ends. */
function badInputs(): { readonly name: string; readonly path: string }[] {
  return [
    { name: 'a folder', path: 'adir' },
    { name: 'missing', path: 'missing.json' },
    { name: 'under a file', path: 'afile/x' },
    { name: 'empty', path: '' },
    ...(existsSync('/dev/zero') ? [{ name: 'an endless device', path: '/dev/zero' }] : []),
  ];
}

/** Exit 2, one coded line (or a usage line), no stack trace, and in bounded time. */
async function expectBadInput(args: string[]): Promise<void> {
  const started = Date.now();
  const r = await cli(args);
  const shown = `${args.join(' ')}\n${r.err}`;
  expect(r.code, shown).toBe(2);
  expect(r.err, shown).toMatch(/^s3404 : (\[ERR_[A-Z0-9_]+\] |.*\n?Aide)/);
  expect(r.err, shown).not.toMatch(/\n\s+at /);
  expectWithinBound(Date.now() - started, 15_000, shown, { clock: 'wall' });
}

describe('the CLI’s I/O edges (issue 14 #10, #11)', () => {
  it('every command that writes a file or a folder refuses every bad path with exit 2 and a coded message, in bounded time, leaving nothing behind', async () => {
    const writers: ((out: string) => string[])[] = [
      (o) => ['render', EXAMPLE, '-o', o],
      (o) => ['render', EXAMPLE, '--fillable', '-o', o],
      (o) => [
        'record',
        'seal',
        '--bordereau',
        ID,
        '--content-hash',
        EXAMPLE_HASH,
        '--role',
        'assure',
        '--signer',
        'Jeanne Martin',
        '--image',
        'sig.png',
        ...key,
        '-o',
        o,
      ],
      (o) => ['scor', 'pack', LOT, '-o', o],
      (o) => ['audit', 'export', '--state', 'st', '--from', '2020-01-01', '--to', '2030-01-01', '--format', 'jsonl', '-o', o, ...key],
      (o) => ['audit', 'checkpoint', o, ...key],
    ];
    const folders: ((dir: string) => string[])[] = [
      (d) => ['pki', 'init', d],
      (d) => ['demo', '--out', d, '--count', '1'],
      (d) => ['record', 'consume', 'r.p7m', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--trust', join(pki, 'ca.pem'), '--state', d],
    ];
    const before = readdirSync(work).sort();
    for (const write of writers) for (const bad of badOutputs()) await expectBadInput(write(bad.path));
    // A folder to create is bad in the same places, except that a folder is what it should be.
    for (const make of folders) for (const bad of badOutputs().filter((b) => b.path !== 'adir')) await expectBadInput(make(bad.path));
    await expectBadInput(['pki', 'init', 'afile']);
    // Nothing half-written: no new file or temporary in the folder, none in the folders tried.
    expect(readdirSync(work).sort()).toEqual(before);
    expect(readdirSync(join(work, 'adir'))).toEqual([]);
  }, 240_000);

  it('every command that reads a path refuses every bad path with exit 2 and a coded message', async () => {
    const readers: ((i: string) => string[])[] = [
      (i) => ['validate', i],
      (i) => ['render', i, '-o', 'never.pdf'],
      (i) => ['scor', 'check', i],
      (i) => ['scor', 'pack', i, '-o', 'never.zip'],
      (i) => ['audit', 'verify', i],
      (i) => ['record', 'verify', i, '--trust', join(pki, 'ca.pem')],
      (i) => ['record', 'verify', 'r.p7m', '--trust', i],
      (i) => [
        'record',
        'seal',
        '--bordereau',
        ID,
        '--content-hash',
        EXAMPLE_HASH,
        '--role',
        'assure',
        '--signer',
        'Jeanne Martin',
        '--image',
        i,
        ...key,
        '-o',
        'never.p7m',
      ],
      (i) => ['record', 'consume', i, '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--trust', join(pki, 'ca.pem'), '--state', 'never'],
    ];
    for (const read of readers) for (const bad of badInputs()) await expectBadInput(read(bad.path));
    for (const never of ['never.pdf', 'never.zip', 'never.p7m', 'never']) expect(existsSync(join(work, never)), never).toBe(false);
  }, 240_000);
});

describe('a closed pipe (issue 14 #12)', () => {
  it('ends every command quietly with its own exit code when the reader goes away: no EPIPE stack trace', () => {
    const commands = [
      ['--help'],
      ['validate', EXAMPLE],
      ['scor', 'check', join(work, 'b.pdf')],
      ['audit', 'verify', '--state', join(work, 'st')],
      ['validate', EXAMPLE, '--json'],
    ];
    for (const args of commands) {
      // `true` exits before the command writes: every write meets a closed pipe.
      const script = `node ${JSON.stringify(BIN)} ${args.map((a) => JSON.stringify(a)).join(' ')} | true; echo "exit=\${PIPESTATUS[0]}" >&2`;
      const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH } });
      const direct = spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH } });
      expect(r.stderr, args.join(' ')).not.toMatch(/EPIPE|Error|\n\s+at /);
      expect(r.stderr.trim(), args.join(' ')).toBe(`exit=${direct.status}`);
    }
  }, 60_000);
});

describe('dates of the command line (issue 14 #15)', () => {
  /** Every day of 2023–2028, and for each month days 0, 29, 30, 31 and 32 whether they exist or not. */
  function candidates(): { readonly day: string; readonly real: boolean }[] {
    const out: { day: string; real: boolean }[] = [];
    for (let y = 2023; y <= 2028; y++)
      for (let m = 0; m <= 13; m++)
        for (const d of [0, 1, 28, 29, 30, 31, 32]) {
          const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const real = m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
          out.push({ day, real });
        }
    for (const day of ['2026-1-01', '2026-01-1', '26-01-01', ' 2026-01-01', '2026-01-01 ', '2026/01/01', '01/01/2026', '2026-01-01T00:00', '２０２６-01-01'])
      out.push({ day, real: false });
    return out;
  }

  it('--day takes a real calendar day and refuses every other (2026-02-30, 2025-02-29, 2026-04-31…) with exit 2, for seal, verify and consume', async () => {
    for (const { day, real } of candidates()) {
      const seal = await cli([
        'record',
        'seal',
        '--day-bordereau',
        `${ID}:${EXAMPLE_HASH}`,
        '--role',
        'directeur',
        '--signer',
        'Jeanne Martin',
        '--day',
        day,
        '--finess',
        '750000010',
        '--image',
        'sig.png',
        ...key,
        '-o',
        'day.p7m',
      ]);
      if (!real) expect(seal.code, day).toBe(2);
      if (!real) expect(seal.err, day).toContain('--day');
      else expect(seal.err, day).not.toContain('--day');
    }
    for (const { day, real } of candidates().filter((c) => !c.real || c.day.endsWith('-29'))) {
      const verify = await cli(['record', 'verify', 'r.p7m', '--trust', join(pki, 'ca.pem'), '--day', day]);
      const consume = await cli([
        'record',
        'consume',
        'r.p7m',
        '--day-bordereau',
        `${ID}:${EXAMPLE_HASH}`,
        '--day',
        day,
        '--trust',
        join(pki, 'ca.pem'),
        '--state',
        real ? 'st-day' : 'never',
      ]);
      for (const r of [verify, consume]) {
        if (!real) expect(r.code, day).toBe(2);
        expect(r.err.includes('--day'), day).toBe(!real);
      }
    }
    expect(existsSync(join(work, 'never'))).toBe(false);
  }, 240_000);
});

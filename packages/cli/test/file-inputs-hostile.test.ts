import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_HASH } from './seal-args.js';
import { canMountSmallDisk, withSmallDisk } from '@s3404/tooling/test-kit';

// Hostile paths given to the commands that read (issue 14 #10 follow-up): what `io-edges.test.ts` does not
// cover. The audit trace is opened by the audit file store itself (read-write, read to its end), so it did not
// go through the CLI's bounded reader; `--handle -` read standard input until its end; the outputs that belong
// together (an export and its signed manifest, a PKI) were written one by one. Every run is the built command,
// in a child process, so that a hang shows as a kill and not as a stuck test.

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';
const work = mkdtempSync(join(tmpdir(), 's3404-hostile-'));
const key = ['--cert', join(work, 'pki/seal-cert.pem'), '--key', join(work, 'pki/seal-key.pem')];
const period = ['--from', '2020-01-01', '--to', '2030-01-01', '--format', 'jsonl'];
const hasFifo = spawnSync('mkfifo', ['--help']).status === 0;
const smallDisk = await canMountSmallDisk();

interface Run {
  readonly code: number | null;
  readonly err: string;
  readonly ms: number;
}

/**
 * The built `s3404` in `work`, killed after `killMs` (then `code` is null). `stdin`: text written then closed,
 * `'open'` a pipe left open that nobody writes to, or `{ line }` written and the pipe left open.
 */
function bin(args: string[], options: { stdin?: string | 'open' | { line: string }; killMs?: number; cwd?: string } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], {
      cwd: options.cwd ?? work,
      env: { ...process.env, SOURCE_DATE_EPOCH: '1774000800' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.stdin.on('error', () => undefined);
    const input = options.stdin ?? '';
    if (typeof input === 'object') child.stdin.write(`${input.line}\n`);
    else if (input !== 'open') child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.killMs ?? 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, err, ms: Date.now() - started });
    });
  });
}

/** Exit 2, the coded message expected, no stack trace. */
function expectRefused(r: Run, code: RegExp, shown: string): void {
  expect(r.code, `${shown}\n${r.err}`).toBe(2);
  expect(r.err, shown).toMatch(code);
  expect(r.err, shown).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  expect((await bin(['pki', 'init', 'pki'])).code).toBe(0);
  // A trace with events: the checkpoint starts it, the export traces itself.
  expect((await bin(['audit', 'checkpoint', '--state', 'st', ...key])).code).toBe(0);
  expect((await bin(['audit', 'export', '--state', 'st', ...period, '-o', 'first.jsonl', ...key])).code).toBe(0);
  mkdirSync(join(work, 'bad/adir'), { recursive: true });
  if (hasFifo) {
    spawnSync('mkfifo', [join(work, 'bad/fifo')]);
    mkdirSync(join(work, 'witnessed'));
    writeFileSync(join(work, 'witnessed/t.jsonl'), '');
    spawnSync('mkfifo', [join(work, 'witnessed/t.jsonl.checkpoint')]);
  }
  symlinkSync('loop-b', join(work, 'bad/loop-a'));
  symlinkSync('loop-a', join(work, 'bad/loop-b'));
}, 60_000);

/** Lock folders the audit store made beside a device before the fix (as root, in /dev): removed if this file made them. */
const deviceLocks = ['/dev/null.lock.d', '/dev/zero.lock.d', '/dev/urandom.lock.d'].filter((d) => !existsSync(d));
afterAll(() => {
  for (const d of deviceLocks) rmSync(d, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('the audit trace given by path (audit verify, export, checkpoint)', () => {
  it.concurrent('a FIFO, a device, a symbolic-link loop or a folder is refused with ERR_FILE_UNREADABLE before the trace is opened: nothing written into it, nothing made beside it', async () => {
    const bad = [...(hasFifo ? ['fifo'] : []), '/dev/null', '/dev/zero', '/dev/urandom', 'loop-a', 'adir'];
    const dir = join(work, 'bad');
    const before = readdirSync(dir).sort();
    for (const trace of bad) {
      for (const args of [
        ['audit', 'verify', trace],
        ['audit', 'export', trace, ...period, '-o', 'never.jsonl', ...key],
        ['audit', 'checkpoint', trace, ...key],
      ]) {
        const r = await bin(args, { cwd: dir });
        expectRefused(r, /^s3404 : \[ERR_FILE_UNREADABLE\] Fichier illisible : .* \((ENOTFILE|ELOOP|EISDIR)\)\.\n$/, args.join(' '));
      }
    }
    // No lock folder, no export, no trace made beside the bad paths (nor in /dev).
    expect(readdirSync(dir).sort()).toEqual(before);
    for (const d of deviceLocks) expect(existsSync(d), d).toBe(false);
    const en = await bin(['audit', 'checkpoint', '/dev/null', ...key, '--lang', 'en']);
    expectRefused(en, /^s3404: \[ERR_FILE_UNREADABLE\] Unreadable file: \/dev\/null \(ENOTFILE\)\.\n$/, 'checkpoint /dev/null --lang en');
  }, 40_000);

  it.concurrent('audit export of a trace that does not exist is ERR_FILE_UNREADABLE (ENOENT), not an empty trace made on the spot and exported with exit 0', async () => {
    const r = await bin(['audit', 'export', 'mistyped.jsonl', ...period, '-o', 'nothing.jsonl', ...key]);
    expectRefused(r, /\[ERR_FILE_UNREADABLE\] .*mistyped\.jsonl \(ENOENT\)/, 'export of a missing trace');
    expect(existsSync(join(work, 'mistyped.jsonl'))).toBe(false);
    expect(existsSync(join(work, 'nothing.jsonl'))).toBe(false);
    // audit checkpoint still starts a new trace (documented: it writes the trace).
    expect((await bin(['audit', 'checkpoint', 'new.jsonl', ...key])).code).toBe(0);
    expect(existsSync(join(work, 'new.jsonl'))).toBe(true);
  }, 40_000);

  (hasFifo ? it.concurrent : it.skip)(
    'audit verify does not wait for ever on a FIFO left as the trace’s witness (TRACE.checkpoint)',
    async () => {
      const r = await bin(['audit', 'verify', 'witnessed/t.jsonl'], { killMs: 10_000 });
      expectRefused(r, /\[ERR_FILE_UNREADABLE\] .*t\.jsonl\.checkpoint \(ENOTFILE\)/, 'verify with a FIFO witness');
    },
    40_000,
  );
});

describe('record consume --handle - (standard input)', () => {
  const consume = ['record', 'consume', '--handle', '-', '--bordereau', ID, '--content-hash', EXAMPLE_HASH, '--trust', 'pki/ca.pem', '--state', 'cst'];

  it.concurrent('a pipe left open that nobody writes to is refused after a bounded wait (20 s), in the run’s language', async () => {
    const r = await bin([...consume, '--lang', 'en'], { stdin: 'open', killMs: 30_000 });
    expectRefused(r, /^s3404: wrong usage: --handle -: no line received on standard input within 20 s;/, 'open stdin');
    expect(r.ms).toBeGreaterThanOrEqual(19_000);
  }, 40_000);

  it.concurrent('the handle is taken as soon as its line arrives, though the writer keeps the pipe open', async () => {
    const r = await bin(consume, { stdin: { line: 's3404-pending.1.not-a-record.key' }, killMs: 15_000 });
    // The line was read and judged (a handle of no record), without waiting for the end of the pipe.
    expectRefused(r, /\[ERR_RECORD_KEY_INVALID\]/, 'a line on an open pipe');
    expect(r.ms).toBeLessThan(15_000);
  }, 40_000);

  it.concurrent('an empty standard input says so (a usage error naming --handle -), not that the handle is malformed', async () => {
    for (const input of ['', '\n', '   \r\n']) {
      const r = await bin(consume, { stdin: input });
      expectRefused(r, /^s3404 : utilisation incorrecte : --handle - : rien sur l'entrée standard/, JSON.stringify(input));
    }
  }, 40_000);
});

/** On a real 1 MiB tmpfs with `pages` pages of 4 KiB left free (root only: gate on `smallDisk`). */
function onFullDisk<T>(name: string, pages: number, fn: (disk: string) => Promise<T>): Promise<T> {
  return withSmallDisk(join(work, name), '1m', async (disk) => {
    writeFileSync(join(disk, 'fill'), new Uint8Array(1024 * 1024 - pages * 4096));
    return fn(disk);
  });
}

describe('outputs that belong together, on a full disk', () => {
  (smallDisk ? it.concurrent : it.skip)(
    'audit export leaves the export, its manifest and its signature all or none: never the data without its signed manifest',
    () =>
      onFullDisk('full-export', 1, async (disk) => {
        const r = await bin(['audit', 'export', '--state', 'st', ...period, '-o', join(disk, 'x.jsonl'), ...key]);
        expectRefused(r, /\[ERR_FILE_UNWRITABLE\] .*\(ENOSPC\)/, 'export on a full disk');
        expect(readdirSync(disk)).toEqual(['fill']);
      }),
    40_000,
  );

  (smallDisk ? it.concurrent : it.skip)(
    'pki init writes every certificate and key or none: never a CA that a rerun then refuses to replace',
    () =>
      onFullDisk('full-pki', 2, async (disk) => {
        const r = await bin(['pki', 'init', join(disk, 'p')]);
        expectRefused(r, /\[ERR_FILE_UNWRITABLE\] .*\(ENOSPC\)/, 'pki init on a full disk');
        expect(existsSync(join(disk, 'p')) ? readdirSync(join(disk, 'p')) : []).toEqual([]);
      }),
    40_000,
  );
});

import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isS3404Error } from '@s3404/core';
import { createMaintenanceRunner, type MaintenanceJob } from '@s3404/core/maintenance';
import { FileLease } from '@s3404/core/node';
import { leaseContract, manualClock } from './lease-contract.js';

// Issue 19: `s3404 maintenance run --state DIR` without --lease used a lease in memory, so two runs on one state (cron
// and a run by hand, a scheduler that overlaps) each ran every job. FileLease holds the leases in a file of the state.

const dir = mkdtempSync(join(tmpdir(), 's3404-file-lease-'));
let n = 0;
const fresh = (): string => join(dir, `lease-${n++}`, 'leases.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

leaseContract('FileLease', async (now) => FileLease.open({ path: fresh(), now }));

const codeOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isS3404Error(e) ? [e.code, e.kind] : e),
  );

describe('FileLease specifics (issue 19)', () => {
  it('two leases over one file (two processes of one machine) see each other: one holder at a time, tokens go on, completion is shared', async () => {
    const clock = manualClock();
    const path = fresh();
    const [a, b] = await Promise.all([FileLease.open({ path, now: clock.now }), FileLease.open({ path, now: clock.now })]);
    const grants = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).acquire('seal.sweep', { holder: `h${i}`, ttlMs: 1000 })));
    expect(grants.filter((g) => g !== null)).toHaveLength(1);
    const won = grants.find((g) => g !== null)!;
    expect(await b.complete(won, { period: '2026-04-08T02:00Z' })).toBe(true);
    expect(await a.release(won)).toBe(true);
    const next = await b.acquire('seal.sweep', { holder: 'later', ttlMs: 1000 });
    expect(next).toMatchObject({ token: 2, completed: '2026-04-08T02:00Z' });
    // What a person or a backup sees: plain JSON.
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1, leases: { 'seal.sweep': { holder: 'later', token: 2 } } });
  });

  it('two runners over one lease file run each job once per period between them', async () => {
    const clock = manualClock();
    const path = fresh();
    let runs = 0;
    const job: MaintenanceJob = {
      name: 'audit.checkpoint',
      everyMs: 3_600_000,
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 20));
        return { count: 1 };
      },
    };
    const runners = await Promise.all(
      ['A', 'B', 'C'].map(async (holder) =>
        createMaintenanceRunner({ lease: await FileLease.open({ path, now: clock.now }), jobs: [job], holder, now: clock.now }),
      ),
    );
    const reports = await Promise.all(runners.map((r) => r.runDue()));
    expect(runs).toBe(1);
    expect(reports.flatMap((r) => r.runs.map((x) => x.outcome)).sort()).toEqual(expect.arrayContaining(['ran']));
    expect((await Promise.all(runners.map((r) => r.runDue()))).flatMap((r) => r.runs.map((x) => x.outcome))).toEqual(['done', 'done', 'done']);
    expect(runs).toBe(1);
  });

  it('a file that is not a lease file is ERR_LEASE_STORE_CORRUPT (kind internal), at open and at each step; nothing is written over it', async () => {
    const path = fresh();
    mkdirSync(join(path, '..'), { recursive: true });
    for (const junk of ['{"version":1,"leases":{"seal.sweep":{"holder":"A","token":"1"}}}', 'not json', '[]', '{"version":2,"leases":{}}']) {
      writeFileSync(path, junk);
      expect(await codeOf(FileLease.open({ path })), junk).toEqual(['ERR_LEASE_STORE_CORRUPT', 'internal']);
      expect(readFileSync(path, 'utf8')).toBe(junk);
    }
    writeFileSync(path, '{"version":1,"leases":{}}');
    const lease = await FileLease.open({ path });
    writeFileSync(path, '{"version":1,"leases":{"x":');
    expect(await codeOf(lease.acquire('seal.sweep', { holder: 'A', ttlMs: 1000 }))).toEqual(['ERR_LEASE_STORE_CORRUPT', 'internal']);
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"leases":{"x":');
  });

  it('a lock held past lockTimeoutMs is ERR_LEASE_STORE_UNAVAILABLE; a folder the process may not write ERR_LEASE_STORE_MISCONFIGURED; bad arguments TypeErrors', async () => {
    const path = fresh();
    const lease = await FileLease.open({ path, lockTimeoutMs: 50 });
    // Another live holder of the lock: this process itself, through the same lock folder.
    const { acquireFileLock } = await import('@s3404/core/node');
    const release = await acquireFileLock(`${path}.lock.d`);
    try {
      expect(await codeOf(lease.acquire('seal.sweep', { holder: 'A', ttlMs: 1000 }))).toEqual(['ERR_LEASE_STORE_UNAVAILABLE', 'unavailable']);
    } finally {
      await release();
    }
    await expect(lease.acquire('bad key!', { holder: 'A', ttlMs: 1000 })).rejects.toThrow(TypeError);
    await expect(FileLease.open({ path: '' })).rejects.toThrow(TypeError);
    // A folder the process may not write: a mode for a user, the immutable attribute for root (which modes do not stop).
    const locked = join(dir, `ro-${n++}`);
    mkdirSync(locked);
    const root = process.getuid?.() === 0;
    if (root) execFileSync('chattr', ['+i', locked]);
    else chmodSync(locked, 0o500);
    try {
      const opened = await codeOf(FileLease.open({ path: join(locked, 'leases.json') }).then((l) => l.acquire('seal.sweep', { holder: 'A', ttlMs: 1000 })));
      expect(opened).toEqual(['ERR_LEASE_STORE_MISCONFIGURED', 'internal']);
    } finally {
      if (root) execFileSync('chattr', ['-i', locked]);
      else chmodSync(locked, 0o700);
    }
  });

  it('a FIFO, a folder or a huge file in the place of the lease file: coded at once, never a wait, a read of a folder or a gigabyte in memory', async () => {
    for (const [what, make, code] of [
      ['a FIFO', (p: string) => execFileSync('mkfifo', [p]), 'ERR_LEASE_STORE_CORRUPT'],
      ['a folder', (p: string) => mkdirSync(p), 'ERR_LEASE_STORE_CORRUPT'],
      ['a 2 MiB file', (p: string) => writeFileSync(p, `{"version":1,"leases":{},"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`), 'ERR_LEASE_STORE_CORRUPT'],
    ] as const) {
      const path = fresh();
      mkdirSync(join(path, '..'), { recursive: true });
      make(path);
      const started = Date.now();
      const opened = await Promise.race([codeOf(FileLease.open({ path })), new Promise((r) => setTimeout(() => r('hung'), 5_000))]);
      expect(opened, what).toEqual([code, 'internal']);
      expect(Date.now() - started, what).toBeLessThan(5_000);
    }
  });

  it("a process SIGKILLed while it holds the lease file's lock does not stop the others: the next step takes the lock over", async () => {
    const path = fresh();
    mkdirSync(join(path, '..'), { recursive: true });
    const lock = `${path}.lock.d`;
    const node = new URL('../dist/node/index.js', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { acquireFileLock } = await import(${JSON.stringify(node)}); await acquireFileLock(${JSON.stringify(lock)}); console.log('held'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => (d.toString().includes('held') ? resolve() : undefined));
      child.once('exit', (code) => reject(new Error(`lock holder exited early: ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const lease = await FileLease.open({ path, lockTimeoutMs: 10_000 });
    expect(await lease.acquire('seal.sweep', { holder: 'after-kill', ttlMs: 1000 })).toMatchObject({ holder: 'after-kill', token: 1 });
  }, 20_000);
});

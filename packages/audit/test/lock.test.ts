import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileAuditStore, verifyLogFile } from '@s3404/audit/file';
import { nodeSha256 } from '@s3404/core/node';
import { acquireFileLock, type LockStep } from '../src/file/file-lock.js';
import { draft, memoryLog, prng, withDir } from './helpers.js';
import { spawnWriter, storedEvents, type Writer } from './processes.js';

/** A trace with `n` events, written in this process. */
async function seed(path: string, n: number): Promise<void> {
  const log = memoryLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256, now: () => new Date() });
  for (let i = 0; i < n; i++) await log.append(draft(i));
  await log.close();
}

/** The trace verifies intact, its sequence numbers are 1…n once each in order, and every acknowledged event is there. */
async function expectIntact(path: string, writers: readonly Writer[], context: string): Promise<number> {
  const report = await verifyLogFile(path);
  const { bySeq, seqs } = storedEvents(path);
  expect(seqs, context).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  expect(report, context).toMatchObject({ ok: true, firstSeq: 1, lastSeq: seqs.length });
  for (const w of writers) for (const [seq, hash] of w.acks) expect(bySeq.get(seq), `${context}: acknowledged seq ${seq}`).toBe(hash);
  return seqs.length;
}

/** Every point of a takeover and of a release where a holder may be killed. */
const STEPS: readonly LockStep[] = ['listed', 'judged', 'prepared', 'linked', 'confirmed', 'collected', 'releasing', 'released'];

describe('the file store lock under stale locks and SIGKILL (AUD-2)', () => {
  it('12 writers that each die holding the lock when done: every stale lock taken over by one waiter only', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      await seed(path, 5);
      const writers = Array.from({ length: 12 }, (_, k) => spawnWriter('lock-worker.ts', [path, String(5 + 3 * k), '4', `w${k}`, 'write-then-die']));
      expect(await Promise.all(writers.map((w) => w.done))).toEqual(writers.map(() => null));
      await expectIntact(path, writers, 'after 12 writers');
    });
  }, 120_000);

  const rounds = Number(process.env['S3404_LOCK_TRIALS'] ?? 1);
  it(`${rounds} round(s) of writers against a stale lock, with one killed at every step of a takeover and of a release: one intact chain`, async () => {
    await withDir(async (dir) => {
      const random = prng(14);
      for (let r = 0; r < rounds; r++) {
        const path = join(dir, `trace-${r}.jsonl`);
        await seed(path, 3);
        // A holder killed while every other process waits for it: they all find the same stale lock.
        const holder = spawnWriter('lock-worker.ts', [path, '0', '1', 'dead', 'die-holding']);
        await holder.said('holding');
        const steps = r === 0 ? STEPS : STEPS.map(() => STEPS[Math.floor(random() * STEPS.length)]!);
        const victims = steps.map((step, k) => spawnWriter('lock-worker.ts', [path, '12', '2', `v${k}`, `kill-at:${step}:${1 + Math.floor(random() * 3)}`]));
        const writers = Array.from({ length: 4 }, (_, k) => spawnWriter('lock-worker.ts', [path, '20', '3', `w${k}`, 'write']));
        await Promise.all([...victims, ...writers].map((w) => w.said('opening')));
        await new Promise((done) => setTimeout(done, 200));
        writeFileSync(`${path}.go`, '');
        expect(await holder.done).toBeNull();
        expect(await Promise.all(victims.map((v) => v.done)), `round ${r}: ${steps.join(' ')}`).toEqual(victims.map(() => null));
        expect(await Promise.all(writers.map((w) => w.done))).toEqual(writers.map(() => 0));
        const n = await expectIntact(path, [...victims, ...writers], `round ${r}: ${steps.join(' ')}`);
        expect(n).toBeGreaterThanOrEqual(3 + 4 * 20);
        // Whatever the kills left behind, the lock is still taken at once.
        const log = memoryLog({ store: await FileAuditStore.open({ path, lockTimeoutMs: 2000 }), sha256: nodeSha256, now: () => new Date() });
        await log.append(draft(0));
        await log.close();
        expect(await verifyLogFile(path)).toMatchObject({ ok: true, lastSeq: n + 1 });
      }
    });
  }, 300_000);

  it('a burst of appends takes the lock once, not once per group commit; writers of other processes still get their turn', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      await seed(path, 1);
      const generations = (): number =>
        Math.max(
          0,
          ...readdirSync(`${path}.lock.d`)
            .map((f) => Number.parseInt(f, 10))
            .filter(Number.isFinite),
        );
      const before = generations();
      // 4 lanes of 60 appends each, every lane waiting for its append before the next: many small group commits.
      const log = memoryLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256, now: () => new Date() });
      const commits = { n: 0 };
      const lanes = Array.from({ length: 4 }, async (_, k) => {
        for (let i = 0; i < 60; i++) {
          await log.append(draft(k * 100 + i));
          commits.n++;
        }
      });
      // Meanwhile, two writer processes append to the same trace.
      const writers = Array.from({ length: 2 }, (_, k) => spawnWriter('lock-worker.ts', [path, '15', '1', `w${k}`, 'write']));
      await Promise.all(lanes);
      expect(await Promise.all(writers.map((w) => w.done))).toEqual([0, 0]);
      await log.close();
      // Far fewer lock generations than this process's 240 appends (each lane's append is a commit of at most 4 events).
      expect(generations() - before).toBeLessThan(20);
      await expectIntact(path, writers, 'burst and two writers');
      expect((await verifyLogFile(path)).lastSeq).toBe(1 + 240 + 30);
    });
  }, 120_000);

  // The lock's own states (30 waiters over every state a killed holder can leave) are tested where
  // the lock lives: packages/core/test/file-lock.test.ts. Here: the trace's writers and audit's code.
  it('waits for a live holder, on this host or another, and says who holds it when it gives up', async () => {
    await withDir(async (dir) => {
      const lock = join(dir, 'x.lock.d');
      mkdirSync(lock);
      writeFileSync(join(lock, '1'), `${process.pid} other-host g\n`);
      const e = await acquireFileLock(lock, { timeoutMs: 100, locale: 'en' }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'ERR_AUDIT_LOCKED', kind: 'unavailable' });
      expect((e as Error).message).toMatch(/^Trace locked by another process: .*x\.lock\.d \(pid \d+ @other-host\)\.$/);
      const release = await acquireFileLock(join(dir, 'y.lock.d'), { timeoutMs: 100, locale: 'en' });
      await expect(acquireFileLock(join(dir, 'y.lock.d'), { timeoutMs: 100, locale: 'en' })).rejects.toMatchObject({ code: 'ERR_AUDIT_LOCKED' });
      await release();
      await release(); // idempotent
      await (await acquireFileLock(join(dir, 'y.lock.d'), { timeoutMs: 100, locale: 'en' }))();
    });
  });
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLog, type AuditEventDraft } from '@s3404/audit';
import { FileAuditStore, verifyLogFile } from '@s3404/audit/file';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { PostgresAuditStore } from '@s3404/audit/postgres';
import { nodeSha256 } from '@s3404/core/node';
import { at, clock, collect, draft, memoryLog, prng, seededRandom, withDir } from './helpers.js';
import { spawnWriter, storedEvents } from './processes.js';

const url = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = randomBytes(3).toString('hex');
const prefixes: string[] = [];
let counter = 0;
const freshPrefix = (): string => {
  const prefix = `t_auditbatch_${run}_${counter++}_`;
  prefixes.push(prefix);
  return prefix;
};
afterAll(async () => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  for (const tablePrefix of prefixes) await (await PostgresAuditStore.open({ pool, tablePrefix, createTables: false })).dropTables();
  await pool.end();
});

/** Drafts of a run, some with their own time, one of them with a NIR to pseudonymise. */
function drafts(n: number, from = 0): AuditEventDraft[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const d = draft(i);
    if (i % 11 === 5) return { ...d, reason: `patient 2 55 08 14 168 025 38 (${i})` };
    if (i % 13 === 7) return { ...d, time: at(i).toISOString() };
    return d;
  });
}

describe('appendMany: a batch is N appends in one write (AUD-2)', () => {
  it('gives the same events, chain and bytes as single appends, in memory', async () => {
    const n = 300;
    const all = drafts(n);
    const steps = all.map((_, i) => 0.25 * (i % 3));
    const runLog = async (batched: boolean): Promise<{ bytes: Uint8Array; events: unknown[] }> => {
      const c = clock();
      let k = 0;
      const now = (): Date => {
        c.advance(steps[k++] ?? 0);
        return c.now();
      };
      const store = new MemoryAuditStore({ sha256: nodeSha256 });
      const log = memoryLog({ store, now, random: seededRandom(9), sha256: nodeSha256, pseudonymKey: new Uint8Array(32).fill(1) });
      const events: unknown[] = [];
      if (!batched) for (const d of all) events.push(await log.append(d));
      else {
        const random = prng(7);
        for (let i = 0; i < n; ) {
          const size = Math.min(n - i, 1 + Math.floor(random() * 40));
          events.push(...(await log.appendMany(all.slice(i, i + size))));
          i += size;
        }
      }
      await log.close();
      return { bytes: await collect(store.lines()), events };
    };
    const one = await runLog(false);
    const many = await runLog(true);
    expect(many.events).toHaveLength(n);
    expect(many.events).toEqual(one.events);
    expect(Buffer.from(many.bytes).equals(Buffer.from(one.bytes))).toBe(true);
    expect(Buffer.from(one.bytes).toString()).not.toMatch(/2 55 08/);
    expect((await verifyLog(many.bytes)).ok).toBe(true);
  });

  it('writes nothing of a batch with one bad draft, and names the draft (ERR_AUDIT_EVENT_INVALID, params.index)', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, locale: 'en' });
    await log.appendMany(drafts(5));
    const bad = drafts(10, 5);
    (bad[6] as { outcome: string }).outcome = 'maybe';
    const e = await log.appendMany(bad).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID', kind: 'input', params: { index: 6 } });
    expect((e as Error).message).toMatch(/^Invalid trace event: \[6\] outcome/);
    expect(store.size).toBe(5);
    // A time after the log's clock: refused the same way.
    const future = drafts(3, 20);
    future[2] = { ...future[2]!, time: at(3600).toISOString() };
    expect(await log.appendMany(future).catch((x: unknown) => x)).toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID', params: { index: 2 } });
    expect(store.size).toBe(5);
    // The log goes on: the next batch continues the chain.
    const next = await log.appendMany(drafts(3, 30));
    expect(next.map((x) => x.seq)).toEqual([6, 7, 8]);
    expect(await log.appendMany([])).toEqual([]);
    expect(() => log.appendMany('x' as unknown as AuditEventDraft[])).toThrow(TypeError);
    await log.close();
    expect(await log.appendMany(drafts(1)).catch((x: unknown) => x)).toMatchObject({ code: 'ERR_AUDIT_CLOSED' });
  });

  it('rejects a batch with a draft that cannot be read (a getter or a proxy that throws) with ERR_AUDIT_EVENT_INVALID, never a raw throw; nothing written', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, locale: 'en' });
    await log.appendMany(drafts(2));
    const boom = (): never => {
      throw new Error('boom');
    };
    const hostile: AuditEventDraft[] = [
      Object.defineProperty({ ...draft(3) }, 'reason', { get: boom, enumerable: true }),
      { ...draft(3), actor: Object.defineProperty({ personId: 'p', role: 'staff', terminalId: 't' }, 'role', { get: boom, enumerable: true }) },
      new Proxy(draft(3), { ownKeys: boom }),
      new Proxy(draft(3), { get: boom }),
    ];
    for (const bad of hostile) {
      const batch = [draft(2), draft(3), bad, draft(4)];
      let sync: unknown = null;
      const result = await (() => {
        try {
          return log.appendMany(batch);
        } catch (e) {
          sync = e;
          return Promise.resolve(null);
        }
      })().catch((e: unknown) => e);
      expect(sync).toBeNull();
      expect(result).toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID', kind: 'input', params: { index: 2 }, cause: { message: 'boom' } });
      expect((result as Error).message).toBe('Invalid trace event: [2] unreadable draft, reading it threw: "Error: boom" (expected: a plain data object).');
      expect(await log.append(bad).catch((e: unknown) => e)).toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
    }
    const fr = memoryLog({ store });
    expect(await fr.appendMany([hostile[0]!]).catch((e: unknown) => (e as Error).message)).toMatch(/^Événement de trace invalide : \[0\] brouillon illisible/);
    expect(store.size).toBe(2);
    expect((await log.appendMany(drafts(2, 10))).map((e) => e.seq)).toEqual([3, 4]);
    expect((await log.verify()).ok).toBe(true);
  });

  it('refuses a whole batch with a backdated draft (ERR_AUDIT_TIME_BACKWARDS) while the appends around it are written', async () => {
    const store = new MemoryAuditStore();
    const c = clock(at(3600));
    const log = memoryLog({ store, now: c.now });
    const before = log.append(draft(0));
    await before;
    const old = drafts(4, 1);
    old[3] = { ...old[3]!, time: at(0).toISOString() }; // an hour before the clock: beyond the 300 s skew
    const batch = log.appendMany(old);
    const after = log.append(draft(9));
    expect((await before).seq).toBe(1);
    expect(await batch.catch((x: unknown) => x)).toMatchObject({ code: 'ERR_AUDIT_TIME_BACKWARDS', kind: 'verdict', params: { index: 3 } });
    expect((await after).seq).toBe(2);
    expect(store.size).toBe(2);
    expect((await log.verify()).ok).toBe(true);
  });

  it('refuses a draft dated more than the skew before an earlier draft of its batch or group commit: the log never writes what it cannot verify', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, now: () => at(1000) });
    const late = { ...draft(1), time: at(900).toISOString() };
    const early = { ...draft(2), time: at(100).toISOString() }; // 800 s before the draft written just before it (skew 300 s)
    // An empty log: no latest time before the batch, only the batch's own.
    expect(await log.appendMany([late, early]).catch((e: unknown) => e)).toMatchObject({
      code: 'ERR_AUDIT_TIME_BACKWARDS',
      params: { index: 1, time: early.time, latest: late.time },
    });
    expect(store.size).toBe(0);
    // Two appends of one group commit: the first is written, the second refused.
    const [first, second] = await Promise.allSettled([log.append(late), log.append(early)]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { seq: 1 } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'ERR_AUDIT_TIME_BACKWARDS' } });
    // Within the skew, and one draft given twice (written once, its second time not judged): written.
    const id = '0190a000-0000-7000-8000-000000000001';
    const ok = await log.appendMany([
      { ...draft(3), time: at(950).toISOString(), id },
      { ...draft(4), time: at(700).toISOString() },
      { ...draft(3), time: at(10).toISOString(), id },
    ]);
    expect(ok.map((e) => e.seq)).toEqual([2, 3, 2]);
    expect(store.size).toBe(3);
    expect(await log.verify()).toMatchObject({ ok: true, events: 3 });
    await log.close();
  });

  it('is one durable write on the file store: same bytes as single appends, nothing written for a bad batch', async () => {
    await withDir(async (dir) => {
      const write = async (name: string, batched: boolean): Promise<Buffer> => {
        const path = join(dir, name);
        const log = memoryLog({ store: await FileAuditStore.open({ path, sha256: nodeSha256 }), sha256: nodeSha256, random: seededRandom(4) });
        const all = drafts(120);
        if (batched) {
          for (let i = 0; i < all.length; i += 50) await log.appendMany(all.slice(i, i + 50));
        } else for (const d of all) await log.append(d);
        const bad = drafts(3, 200);
        (bad[1] as { action: string }).action = 'nope';
        await expect(log.appendMany(bad)).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
        await log.close();
        return readFileSync(path);
      };
      const one = await write('one.jsonl', false);
      const many = await write('many.jsonl', true);
      expect(many.equals(one)).toBe(true);
      expect(storedEvents(join(dir, 'many.jsonl')).seqs).toHaveLength(120);
      expect((await verifyLogFile(join(dir, 'many.jsonl'))).ok).toBe(true);
    });
  });

  it('is one transaction on PostgreSQL: same lines as single appends, nothing written for a bad batch', async () => {
    const lines = async (batched: boolean): Promise<Uint8Array> => {
      const store = await PostgresAuditStore.open({ connectionString: url, tablePrefix: freshPrefix(), poolSize: 2 });
      const log = memoryLog({ store, sha256: nodeSha256, random: seededRandom(5) });
      const all = drafts(90);
      if (batched) {
        for (let i = 0; i < all.length; i += 30) await log.appendMany(all.slice(i, i + 30));
      } else for (const d of all) await log.append(d);
      const bad = drafts(4, 100);
      (bad[3] as { actor: unknown }).actor = { personId: '', role: 'staff', terminalId: 't' };
      await expect(log.appendMany(bad)).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID', params: { index: 3 } });
      const bytes = await collect(store.lines());
      await log.close();
      return bytes;
    };
    const one = await lines(false);
    const many = await lines(true);
    expect(Buffer.from(many).equals(Buffer.from(one))).toBe(true);
    expect(Buffer.from(many).toString().split('\n')).toHaveLength(91);
  });

  it('never acknowledges a batch that is not on disk: SIGKILLs of a batch writer, every acknowledged event is in the file', async () => {
    await withDir(async (dir) => {
      const random = prng(19);
      const trials = Number(process.env['S3404_CRASH_TRIALS'] ?? 6);
      let acked = 0;
      for (let t = 0; t < trials; t++) {
        const path = join(dir, `batch-${t}.jsonl`);
        const w = spawnWriter('batch-worker.ts', [path, String(1 + Math.floor(random() * 200)), String(1 + Math.floor(random() * 4)), `b${t}`]);
        await w.started;
        await new Promise((r) => setTimeout(r, Math.floor(random() * 80)));
        w.kill();
        await w.done;
        const { bySeq } = storedEvents(path);
        expect(w.acks.size, `trial ${t}`).toBeGreaterThan(0);
        for (const [seq, hash] of w.acks) expect(bySeq.get(seq), `trial ${t} seq ${seq}`).toBe(hash);
        acked += w.acks.size;
        const report = await verifyLogFile(path);
        // Intact, or only a torn tail that was never acknowledged.
        if (!report.ok) expect(report.damage).toMatchObject({ code: 'ERR_AUDIT_TORN_TAIL' });
        expect(report.events).toBeGreaterThanOrEqual(Math.max(...w.acks.keys()));
      }
      expect(acked).toBeGreaterThan(0);
    });
  }, 120_000);
});

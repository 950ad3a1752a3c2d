import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingTraceSink } from '@s3404/core';
import { freePort, startRedisServer, stopRedisServer } from '@s3404/tooling/redis-kit';
import { createConsumer, type ConsumptionStore, type PendingEntry, type SealedRecord } from '@s3404/seal';
import { RedisConsumptionStore, RedisKeyHolder } from '@s3404/seal/redis';
import { at, fixture, type Fixture } from './helpers.js';
import { sealMany, targetOf } from './store-contract.js';

const url = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const run = `kh:${process.pid}.${Date.now().toString(36)}:`;
const dir = mkdtempSync(join(tmpdir(), 's3404-keyholder-'));
const servers: ChildProcess[] = [];
const WORKER = join(import.meta.dirname, 'workers/consume-worker.ts');

/** A consumer process of `workers/consume-worker.ts` on this job; resolves with its JSON report and the signal that ended it. */
function runWorker(job: object, name: string): Promise<{ answers?: string[]; fatal?: string; signal?: NodeJS.Signals | null }> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(job));
  const child = spawn(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', WORKER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('close', (_, signal) => resolve({ ...(out === '' ? { fatal: 'no report' } : JSON.parse(out)), signal })));
}

/** A redis-server of this test, with the given settings; resolves once it answers PING. */
async function startRedis(port: number, args: string[]): Promise<ChildProcess> {
  const p = await startRedisServer({ port, dir, args: ['--port', String(port), ...args] });
  servers.push(p);
  return p;
}

afterAll(async () => {
  for (const p of servers) await stopRedisServer(p);
  rmSync(dir, { recursive: true, force: true });
  const admin = new Redis(url);
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${run}*`, 'COUNT', 500);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await admin.quit();
});

describe('RedisKeyHolder: the keys of pending records shared by several machines, on a Redis that keeps nothing on disk (SIG-6)', () => {
  let f: Fixture;
  let records: SealedRecord[];
  beforeAll(async () => {
    f = await fixture();
    records = await sealMany(f, 6, 31);
  });
  const consumer = (store: RedisConsumptionStore, keyHolder: RedisKeyHolder, trace = new RecordingTraceSink()) =>
    createConsumer({ store, keyHolder, trustAnchors: [f.pki.ca.certificate], now: () => at(10), ttlSeconds: 600, trace });

  it('lets one machine deposit and another consume by record id; the key expires with the record and is deleted with its use', async () => {
    const store = await RedisConsumptionStore.open({ url, prefix: `${run}s1:` });
    const keysA = await RedisKeyHolder.open({ url, prefix: `${run}k1:` });
    const keysB = await RedisKeyHolder.open({ url, prefix: `${run}k1:` });
    const r = records[0]!;
    await consumer(store, keysA).deposit(r);
    const admin = new Redis(url);
    // The key lives as long as the record, counted on the consumer's clock (expiry − now), not on Redis's.
    const ttl = await admin.pttl(`${run}k1:${r.recordId}`);
    const expected = Date.parse(r.signingTime) + 600_000 - at(10).getTime();
    expect(ttl).toBeGreaterThan(expected - 5_000);
    expect(ttl).toBeLessThanOrEqual(expected);
    const used = await consumer(store, keysB).consume({ recordId: r.recordId }, { target: targetOf(r), requestId: 'b' });
    expect(used.status).toBe('consumed');
    expect(await admin.exists(`${run}k1:${r.recordId}`)).toBe(0);
    admin.disconnect();
    for (const c of [store, keysA, keysB]) await c.close();
    await keysA.close(); // idempotent
  });

  it('gives a deposit sent again to another machine the same deposit, without keeping the key longer than its use allows', async () => {
    const store = await RedisConsumptionStore.open({ url, prefix: `${run}s4:` });
    const keysA = await RedisKeyHolder.open({ url, prefix: `${run}k4:` });
    const keysB = await RedisKeyHolder.open({ url, prefix: `${run}k4:` });
    const r = records[3]!;
    const deposited = await consumer(store, keysA).deposit(r);
    const admin = new Redis(url);
    const ttl = await admin.pttl(`${run}k4:${r.recordId}`);
    // The tablet never got the first answer: the load balancer sends its retry to machine B.
    expect(await consumer(store, keysB).deposit(r)).toEqual(deposited);
    expect(await admin.pttl(`${run}k4:${r.recordId}`)).toBeLessThanOrEqual(ttl);
    // Bytes that are not the record, under its id and digest: a duplicate, the key not given.
    await expect(consumer(store, keysB).deposit({ ...r, bytes: r.bytes.subarray(1) })).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    const used = await consumer(store, keysB).consume({ handle: deposited.handle }, { target: targetOf(r), requestId: 'b' });
    expect(used.status).toBe('consumed');
    await expect(consumer(store, keysA).deposit(r)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    admin.disconnect();
    for (const c of [store, keysA, keysB]) await c.close();
  });

  it('puts a key only where none is held, in one step on the server, and never lengthens the one held (putIfAbsent)', async () => {
    const keys = await RedisKeyHolder.open({ url, prefix: `${run}k5:` });
    const admin = new Redis(url);
    const first = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    expect(await keys.putIfAbsent('rec-1', first, at(70), at(10))).toBeNull();
    const ttl = await admin.pttl(`${run}k5:rec-1`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Another key for the record, for longer: the one held is given back with its expiry, unchanged, its life not lengthened.
    const held = await keys.putIfAbsent('rec-1', new Uint8Array(32).fill(9), at(600), at(10));
    expect(held?.key).toEqual(first);
    expect(held!.expiresAt.getTime()).toBeGreaterThan(at(55).getTime());
    expect(held!.expiresAt.getTime()).toBeLessThanOrEqual(at(70).getTime());
    expect(await keys.get('rec-1', at(10))).toEqual(first);
    expect(await admin.pttl(`${run}k5:rec-1`)).toBeLessThanOrEqual(ttl);
    // Deleted (used), or expired: a key can be put again.
    await keys.delete('rec-1');
    expect(await keys.putIfAbsent('rec-1', new Uint8Array(32).fill(7), at(600), at(10))).toBeNull();
    expect(await keys.putIfAbsent('rec-2', first, at(10.001), at(10))).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await keys.putIfAbsent('rec-2', new Uint8Array(32).fill(5), at(600), at(10))).toBeNull();
    expect(await keys.get('rec-2', at(10))).toEqual(new Uint8Array(32).fill(5));
    // A key put by hand without a time to live outlives any record: the expiry asked is kept.
    await admin.set(`${run}k5:rec-3`, Buffer.from(first));
    expect(await keys.putIfAbsent('rec-3', new Uint8Array(32), at(600), at(10))).toEqual({ key: first, expiresAt: at(600) });
    // A key of another kind at a record (edited behind the holder's back): the damage is named, not a server to retry.
    await admin.hset(`${run}k5:rec-4`, 'x', '1');
    await expect(keys.putIfAbsent('rec-4', first, at(600), at(10))).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT', kind: 'internal' });
    await expect(keys.get('rec-4', at(10))).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
    admin.disconnect();
    await keys.close();
  });

  it('gives the deposit to another machine when the first wrote the record and died before answering, and to machines depositing it at once', async () => {
    const store = await RedisConsumptionStore.open({ url, prefix: `${run}s6:` });
    // Machine A's store writes, then its connection is cut before the answer: A fails and is gone.
    let lose = true;
    const lossy = new Proxy(store, {
      get(target, property) {
        if (property === 'putPending')
          return async (entry: PendingEntry) => {
            await target.putPending(entry);
            if (lose) throw new Error('Connection is closed.');
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as ConsumptionStore as RedisConsumptionStore;
    const keysA = await RedisKeyHolder.open({ url, prefix: `${run}k6:` });
    const r = records[4]!;
    await expect(consumer(lossy, keysA).deposit(r)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    lose = false;
    await keysA.close();
    const keysB = await RedisKeyHolder.open({ url, prefix: `${run}k6:` });
    const again = await consumer(store, keysB).deposit(r);
    expect(again).toMatchObject({ recordId: r.recordId, digest: r.digest });
    expect(await consumer(store, keysB).consume({ recordId: r.recordId }, { target: targetOf(r), requestId: 'b' })).toMatchObject({ status: 'consumed' });
    // Four machines (four connections) deposit one record at the same instant: one writes, all answer the same.
    const machines = await Promise.all(Array.from({ length: 4 }, () => RedisKeyHolder.open({ url, prefix: `${run}k6:` })));
    const s = records[5]!;
    const all = await Promise.all(machines.map((keys) => consumer(store, keys).deposit(s)));
    for (const d of all) expect(d).toEqual(all[0]);
    expect(await consumer(store, machines[3]!).consume({ handle: all[0]!.handle }, { target: targetOf(s), requestId: 'c' })).toMatchObject({
      status: 'consumed',
    });
    for (const c of [store, keysB, ...machines]) await c.close();
  });

  it('gives three processes depositing the same records at the same instants one deposit each, never a duplicate', async () => {
    const many = await sealMany(f, 60, 97);
    const job = {
      mode: 'deposit',
      store: `${url}?prefix=${run}s7:`,
      keyHolder: { url, prefix: `${run}k7:` },
      ca: Buffer.from(f.pki.ca.certificate).toString('base64'),
      now: at(10).toISOString(),
      bytes: many.map((r) => Buffer.from(r.bytes).toString('base64')),
      startAt: Date.now() + 4_000,
    };
    const reports = await Promise.all([0, 1, 2].map((i) => runWorker({ ...job, records: [], consumers: 0, tag: `d${i}` }, `deposit-${i}`)));
    for (const r of reports) expect(r.fatal).toBeUndefined();
    for (const i of many.keys()) {
      // The same handle (record id and key) from each process, or the first code that went wrong.
      const answers = reports.map((r) => r.answers![i]!);
      expect(answers[0]).toMatch(/^s3404-pending\.1\./);
      expect(new Set(answers)).toEqual(new Set([answers[0]]));
    }
    const store = await RedisConsumptionStore.open({ url, prefix: `${run}s7:` });
    const keys = await RedisKeyHolder.open({ url, prefix: `${run}k7:` });
    expect(await store.countPending()).toBe(many.length);
    for (const r of many.slice(0, 5))
      expect(await consumer(store, keys).consume({ recordId: r.recordId }, { target: targetOf(r), requestId: 'p' })).toMatchObject({ status: 'consumed' });
    await keys.close();
    await store.close();
  }, 60_000);

  it('lets another process finish a deposit whose process was killed (SIGKILL) after it put the key, before or after its write', async () => {
    const many = await sealMany(f, 2, 131);
    const admin = new Redis(url);
    // Both crash points at once (a process each), to keep the test short.
    const crashes = (['before-write', 'after-write'] as const).map((crashAt, i) => ({
      crashAt,
      r: many[i]!,
      prefixes: { store: `${run}s8${i}:`, keys: `${run}k8${i}:` },
    }));
    const job = (c: (typeof crashes)[number]) => ({
      mode: 'deposit',
      store: `${url}?prefix=${c.prefixes.store}`,
      keyHolder: { url, prefix: c.prefixes.keys },
      ca: Buffer.from(f.pki.ca.certificate).toString('base64'),
      now: at(10).toISOString(),
      bytes: [Buffer.from(c.r.bytes).toString('base64')],
      startAt: 0,
      records: [],
      consumers: 0,
    });
    const killed = await Promise.all(crashes.map((c) => runWorker({ ...job(c), crashAt: c.crashAt, tag: 'k' }, `killed-${c.crashAt}`)));
    for (const [i, { crashAt, r, prefixes }] of crashes.entries()) {
      expect(killed[i], crashAt).toMatchObject({ fatal: 'no report', signal: 'SIGKILL' });
      // What the killed process left: the record's key, expiring with the record (none lives for ever), and the
      // record written or not.
      const store = await RedisConsumptionStore.open({ url, prefix: prefixes.store });
      expect(await store.countPending(), crashAt).toBe(crashAt === 'before-write' ? 0 : 1);
      const ttl = await admin.pttl(`${prefixes.keys}${r.recordId}`);
      expect(ttl, crashAt).toBeGreaterThan(0);
      expect(ttl, crashAt).toBeLessThanOrEqual(1_800_000); // the worker's records live 30 minutes (the default)
      await store.close();
    }
    // The tablet's retry, sent to another process: one deposit, whose record this process uses once.
    const retried = await Promise.all(crashes.map((c) => runWorker({ ...job(c), tag: 'r' }, `retried-${c.crashAt}`)));
    for (const [i, { crashAt, r, prefixes }] of crashes.entries()) {
      expect(retried[i]!.signal, crashAt).toBeNull();
      expect(retried[i]!.answers?.[0], crashAt).toMatch(/^s3404-pending\.1\./);
      const store = await RedisConsumptionStore.open({ url, prefix: prefixes.store });
      const keys = await RedisKeyHolder.open({ url, prefix: prefixes.keys });
      expect(await consumer(store, keys).consume({ recordId: r.recordId }, { target: targetOf(r), requestId: `c${i}` }), crashAt).toMatchObject({
        status: 'consumed',
      });
      expect(await admin.exists(`${prefixes.keys}${r.recordId}`), crashAt).toBe(0);
      await keys.close();
      await store.close();
    }
    await admin.quit();
  }, 90_000); // four processes started through tsx: slow on a loaded machine

  it('refuses a server that writes to disk: AOF, RDB save points, or CONFIG it cannot read (ERR_KEY_HOLDER_PERSISTENT)', async () => {
    const cases: [string[], RegExp][] = [
      [['--appendonly', 'yes', '--save', ''], /appendonly yes/],
      [['--appendonly', 'no', '--save', '60 1'], /save "60 1"/],
      [['--appendonly', 'no', '--save', '', '--rename-command', 'CONFIG', ''], /CONFIG GET refused/],
    ];
    for (const [args, detail] of cases) {
      const port = await freePort();
      const server = await startRedis(port, args);
      const e = await RedisKeyHolder.open({ url: `redis://127.0.0.1:${port}`, locale: 'en' }).then(
        () => null,
        (x: unknown) => x as Error & { code?: string; kind?: string },
      );
      expect(e, args.join(' ')).toMatchObject({ name: 'SealError', code: 'ERR_KEY_HOLDER_PERSISTENT', kind: 'input' });
      expect(e?.message).toMatch(detail);
      // Vouched for by the caller (a managed cache without CONFIG): accepted.
      const vouched = await RedisKeyHolder.open({ url: `redis://127.0.0.1:${port}`, checkPersistence: false });
      await vouched.close();
      await stopRedisServer(server);
    }
    await expect(RedisKeyHolder.open({ url: 'redis://127.0.0.1:1', timeoutMs: 300 })).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await expect(RedisKeyHolder.open({ url: 'http://x' })).rejects.toThrow(TypeError);
    await expect(RedisKeyHolder.open({ url, prefix: 'bad prefix' })).rejects.toThrow(TypeError);
  });

  it('leaves the records pending when its server restarts unusable, refused and traced (ERR_RECORD_KEY_MISSING), never readable', async () => {
    const port = await freePort();
    let server = await startRedis(port, ['--appendonly', 'no', '--save', '']);
    const store = await RedisConsumptionStore.open({ url, prefix: `${run}s2:` });
    const keys = await RedisKeyHolder.open({ url: `redis://127.0.0.1:${port}` });
    const r = records[1]!;
    await consumer(store, keys).deposit(r);
    await keys.close();
    await stopRedisServer(server);
    server = await startRedis(port, ['--appendonly', 'no', '--save', '']);
    const after = await RedisKeyHolder.open({ url: `redis://127.0.0.1:${port}` });
    const trace = new RecordingTraceSink();
    await expect(consumer(store, after, trace).consume({ recordId: r.recordId }, { target: targetOf(r), requestId: 'after-restart' })).rejects.toMatchObject({
      code: 'ERR_RECORD_KEY_MISSING',
    });
    expect(trace.events.at(-1)).toMatchObject({ action: 'signature.refused', code: 'ERR_RECORD_KEY_MISSING', subject: { recordId: r.recordId } });
    expect(await store.findTombstone({ recordId: r.recordId })).toBeNull();
    await after.close();
    await store.close();
    await stopRedisServer(server);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { Redis } from 'ioredis';
import { RecordingTraceSink } from '@s3404/core';
import { createConsumer, type Tombstone } from '@s3404/seal';
import { RedisConsumptionStore } from '@s3404/seal/redis';
import { lostAnswerProxy, redisClientCut, repeatedCuts } from '@s3404/tooling/test-kit';
import { at, fixture, sealInsured } from './helpers.js';
import { consumeEachRetrying, depositInsured, expectEachUsedOnce } from './support/consume-under-cuts.js';
import { storeContract } from './store-contract.js';

const url = process.env.S3404_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `t:${process.pid}.${Date.now().toString(36)}:`;
let n = 0;
const nextPrefix = (): string => `${run}${n++}:`;
const admin = new Redis(url, { lazyConnect: true });

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${run}*`, 'COUNT', 500);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await admin.quit();
});

storeContract({
  name: 'redis',
  open: async () => RedisConsumptionStore.open({ url, prefix: nextPrefix() }),
  broken: async () => RedisConsumptionStore.open({ url: 'redis://127.0.0.1:1', prefix: nextPrefix(), connect: false }),
});

const RECORD = '0f0e0d0c-0b0a-4908-8706-050403020100';
const DIGEST = 'a'.repeat(64);
const tombstone = (i: number): Tombstone => ({
  recordId: RECORD,
  digest: DIGEST,
  target: 'bordereau:x',
  requestId: `race-${i}`,
  consumer: `node-${i % 2}`,
  claimedAt: new Date(Date.UTC(2026, 2, 20, 10, 0, i)).toISOString(),
});

describe('redis store specifics', () => {
  it('finishes a deposit whose answer the network lost after the write, though the driver sends the write again (SIG-6)', async () => {
    // ioredis sends a command again on its new connection after a cut: the write that landed answers "duplicate".
    const prefix = nextPrefix();
    const { hostname, port } = new URL(url);
    const proxy = await lostAnswerProxy({ host: hostname, port: Number(port || 6379), cut: (r) => /evalsha|eval/i.test(r) && r.includes(`${prefix}p:`) });
    const store = await RedisConsumptionStore.open({ url: `redis://127.0.0.1:${proxy.port}`, prefix });
    try {
      const f = await fixture();
      const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
      const sealed = await sealInsured(f);
      let handle: string | undefined;
      for (let attempt = 0; handle === undefined && attempt < 3; attempt++) {
        handle = await consumer.deposit(sealed).then(
          (d) => d.handle,
          (e: unknown) => {
            // A cut may also surface as unavailable: the same consumer tries again (the documented way).
            expect(e).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
            return undefined;
          },
        );
      }
      expect(proxy.cuts()).toBe(1);
      expect(handle).toBeDefined();
      const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
      expect(await consumer.consume({ handle: handle! }, { target, requestId: 'after-cut' })).toMatchObject({ status: 'consumed' });
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  it('finishes a use whose claim the network answered too late: the driver sends the claim again, the same request resumes it (SIG-5)', async () => {
    const prefix = nextPrefix();
    const { hostname, port } = new URL(url);
    const proxy = await lostAnswerProxy({
      host: hostname,
      port: Number(port || 6379),
      cut: (r) => /evalsha|eval/i.test(r) && r.includes(`${prefix}t:`) && !r.includes(`${prefix}p:`),
    });
    const direct = await RedisConsumptionStore.open({ url, prefix });
    const through = await RedisConsumptionStore.open({ url: `redis://127.0.0.1:${proxy.port}`, prefix });
    try {
      const f = await fixture();
      const sealed = await sealInsured(f);
      const { handle } = await createConsumer({ store: direct, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null }).deposit(sealed);
      const consumer = createConsumer({ store: through, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
      const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
      let done: unknown;
      for (let attempt = 0; done === undefined && attempt < 3; attempt++) {
        done = await consumer.consume({ handle }, { target, requestId: 'cut-claim' }).catch((e: unknown) => {
          // Told to call again with the same request id: never "replayed" for its own claim.
          expect(e).toMatchObject({ code: 'ERR_CONSUME_INCOMPLETE' });
          return undefined;
        });
      }
      expect(proxy.cuts()).toBe(1);
      expect(done).toMatchObject({ status: 'consumed' });
      expect(await direct.countPending()).toBe(0);
    } finally {
      await through.close();
      await direct.close();
      await proxy.close();
    }
  });

  it('lets exactly one of 32 claims win across two clients sharing a prefix', async () => {
    const prefix = nextPrefix();
    const a = await RedisConsumptionStore.open({ url, prefix });
    const b = await RedisConsumptionStore.open({ url, prefix });
    try {
      await a.putPending({ recordId: RECORD, digest: DIGEST, bytes: new Uint8Array([1, 2, 3]), expiresAt: new Date(Date.now() + 60_000).toISOString() });
      const outcomes = await Promise.all(Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? a : b).claim(tombstone(i))));
      const won = outcomes.filter((o) => o.kind === 'claimed');
      expect(won).toHaveLength(1);
      const winner = won[0]!.tombstone;
      expect(outcomes.filter((o) => o.kind === 'taken').every((o) => JSON.stringify(o.tombstone) === JSON.stringify(winner))).toBe(true);
      expect(await b.findTombstone({ digest: DIGEST })).toEqual(winner);
      expect(await admin.hget(`${prefix}p:${RECORD}`, 'claimedAt')).toBe(winner.claimedAt);
      expect(await admin.zscore(`${prefix}claimed`, RECORD)).toBe(String(Date.parse(winner.claimedAt)));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets Redis drop a pending record at its expiry, and the sweeper reports it', async () => {
    const prefix = nextPrefix();
    const store = await RedisConsumptionStore.open({ url, prefix });
    try {
      const expiresAt = new Date(Date.now() + 1500);
      await store.putPending({ recordId: RECORD, digest: DIGEST, bytes: new Uint8Array([9]), expiresAt: expiresAt.toISOString() });
      expect(await admin.pexpiretime(`${prefix}p:${RECORD}`)).toBe(expiresAt.getTime());
      expect(await store.countPending()).toBe(1);
      await new Promise((r) => setTimeout(r, 2000));
      expect(await store.getPending(RECORD)).toBeNull();
      expect(await store.countPending()).toBe(0);
      const now = new Date();
      expect(await store.sweep({ expiredAt: now, claimedBefore: new Date(now.getTime() - 60_000) })).toEqual({ expired: 1, abandoned: 0 });
      expect(await admin.zcard(`${prefix}pending`)).toBe(0);
      expect(await store.sweep({ expiredAt: now, claimedBefore: now })).toEqual({ expired: 0, abandoned: 0 });
    } finally {
      await store.close();
    }
  });

  it('keeps an entry already past its expiry on the Redis clock for pastExpiryTtlMs, for the sweeper to decide', async () => {
    const prefix = nextPrefix();
    const store = await RedisConsumptionStore.open({ url, prefix, pastExpiryTtlMs: 10_000 });
    try {
      await store.putPending({ recordId: RECORD, digest: DIGEST, bytes: new Uint8Array([9]), expiresAt: '2026-03-20T10:10:00.000Z' });
      const ttl = await admin.pttl(`${prefix}p:${RECORD}`);
      expect(ttl).toBeGreaterThan(5_000);
      expect(ttl).toBeLessThanOrEqual(10_000);
      expect(await store.getPending(RECORD)).not.toBeNull();
    } finally {
      await store.close();
    }
  });

  it('round-trips binary bytes and tombstones exactly, and purges a tombstone with its digest key', async () => {
    const prefix = nextPrefix();
    const store = await RedisConsumptionStore.open({ url, prefix });
    try {
      const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);
      const expiresAt = new Date(Date.now() + 60_000).toISOString();
      await store.putPending({ recordId: RECORD, digest: DIGEST, bytes, expiresAt });
      await expect(store.putPending({ recordId: RECORD, digest: DIGEST, bytes, expiresAt })).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
      expect(await store.getPending(RECORD)).toEqual({ recordId: RECORD, digest: DIGEST, bytes, expiresAt });
      const t = tombstone(0);
      expect(await store.claim(t)).toEqual({ kind: 'claimed', tombstone: t });
      const found = await store.findTombstone({ recordId: RECORD });
      expect(found).toEqual(t);
      expect(found).not.toHaveProperty('completedAt');
      expect(await store.complete({ recordId: RECORD, requestId: 'other', at: '2026-03-20T10:00:05.000Z' })).toBeNull();
      const done = await store.complete({ recordId: RECORD, requestId: t.requestId, at: '2026-03-20T10:00:05.000Z' });
      expect(done).toEqual({ ...t, completedAt: '2026-03-20T10:00:05.000Z' });
      expect(await store.complete({ recordId: RECORD, requestId: t.requestId, at: '2026-03-20T10:00:09.000Z' })).toEqual(done);
      expect(await store.getPending(RECORD)).toBeNull();
      await expect(store.putPending({ recordId: RECORD, digest: DIGEST, bytes, expiresAt })).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
      expect(await store.purgeTombstones({ before: new Date(t.claimedAt) })).toBe(0);
      expect(await store.purgeTombstones({ before: new Date(Date.parse(t.claimedAt) + 1) })).toBe(1);
      expect(await store.findTombstone({ recordId: RECORD, digest: DIGEST })).toBeNull();
      expect(await admin.exists(`${prefix}d:${DIGEST}`, `${prefix}t:${RECORD}`)).toBe(0);
      expect(await admin.zcard(`${prefix}tombstones`)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('leaves a given client open on close', async () => {
    const client = new Redis(url);
    try {
      const store = await RedisConsumptionStore.open({ client, prefix: nextPrefix() });
      expect(await store.countPending()).toBe(0);
      await store.close();
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.quit();
    }
  });

  it('fails fast on an unreachable server', async () => {
    const started = Date.now();
    await expect(RedisConsumptionStore.open({ url: 'redis://127.0.0.1:1' })).rejects.toThrow();
    expectWithinBound(Date.now() - started, 2500, 'failing on an unreachable server', { clock: 'wall' });
  });

  it('reports an unreachable server as ERR_STORE_UNAVAILABLE with the driver error as cause', async () => {
    await expect(RedisConsumptionStore.open({ url: 'redis://127.0.0.1:1', timeoutMs: 500 })).rejects.toMatchObject({
      name: 'SealError',
      code: 'ERR_STORE_UNAVAILABLE',
      kind: 'unavailable',
      cause: expect.anything(),
    });
  });

  it('works on a client the application owns (an ioredis Redis fits RedisClientLike) and never closes it', async () => {
    const prefix = `own-${process.pid}:`;
    const store = await RedisConsumptionStore.open({ client: admin, prefix });
    const entry = {
      recordId: '0f0e0d0c-0b0a-4908-8706-000000000abc',
      digest: 'd'.repeat(64),
      bytes: Uint8Array.of(1, 2, 3),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    await store.putPending(entry);
    expect(await store.getPending(entry.recordId)).toEqual(entry);
    await store.close();
    await store.close();
    expect(await admin.ping()).toBe('PONG');
    await admin.del(`${prefix}p:${entry.recordId}`, `${prefix}pending`);
  });

  it('its connection killed again and again while records are consumed: each record is used exactly once, by its own request, retried with the same id', async () => {
    // A failover, a restart, CLIENT KILL: Redis drops the store's connection in the middle of claims and completions.
    // The client is set as the SDK sets its own (fail fast: no offline queue, one retry), named so that only it is killed.
    const name = `s3404-cut-${process.pid}`;
    const client = new Redis(url, { connectionName: name, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000, connectTimeout: 2000 });
    client.on('error', () => {});
    await new Promise((resolve) => client.once('ready', resolve));
    const store = await RedisConsumptionStore.open({ client, prefix: nextPrefix() });
    const f = await fixture({ seed: 78 });
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const records = await depositInsured(f, consumer, 16);
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const killer = new Redis(url);
    const cuts = repeatedCuts(redisClientCut(killer, name), 15);
    let outcome: Awaited<ReturnType<typeof consumeEachRetrying>>;
    try {
      outcome = await consumeEachRetrying(consumer, records, target);
    } finally {
      expect(await cuts.stop()).toBeGreaterThan(0);
      killer.disconnect();
    }
    // The last kill may still be reconnecting: the checks below read through the same client once it is back.
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    // ioredis reconnects between commands, so a run may meet no kill (the kills themselves are counted above).
    await expectEachUsedOnce(store, consumer, records, target, outcome, { refusalsSeen: false });
    await store.close();
    client.disconnect();
  }, 60_000);

  it('reports a key of another kind than it writes (edited behind its back) as ERR_STORE_CORRUPT, never as a store to retry', async () => {
    const prefix = nextPrefix();
    const store = await RedisConsumptionStore.open({ url, prefix });
    try {
      const f = await fixture();
      const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
      const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
      const sealed = await sealInsured(f);
      const { handle } = await consumer.deposit(sealed);
      // The pending record's hash replaced by a list: reading it, and using it, fail with the store's corruption code.
      await admin.del(`${prefix}p:${sealed.recordId}`);
      await admin.rpush(`${prefix}p:${sealed.recordId}`, 'x');
      await expect(store.getPending(sealed.recordId)).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT', kind: 'internal' });
      await expect(consumer.consume({ handle }, { target, requestId: 'r' })).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
      // The pending set made a string: every deposit names the damage.
      await admin.del(`${prefix}pending`);
      await admin.set(`${prefix}pending`, 'x');
      await expect(consumer.deposit(await sealInsured(f))).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
    } finally {
      await store.close();
    }
  });

  it('lists a sweep outbox entry it never writes as one the consumer reports ERR_STORE_CORRUPT, tracing the others, and refuses an outbox id that is no UUID (SIG-6)', async () => {
    const prefix = nextPrefix();
    const store = await RedisConsumptionStore.open({ url, prefix });
    try {
      const good = '00000000-0000-4000-8000-0000000000c3';
      const bad = '00000000-0000-4000-8000-0000000000c4';
      await admin.hset(`${prefix}sweeps`, good, '2026-03-20T10:10:01.000Z 2 1 node a');
      expect(await store.untracedSweeps({ limit: 10 })).toEqual([{ id: good, at: '2026-03-20T10:10:01.000Z', consumer: 'node a', expired: 2, abandoned: 1 }]);
      const f = await fixture();
      const trace = new RecordingTraceSink();
      const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null, trace });
      for (const value of [
        '',
        'garbage',
        '2026-03-20T10:10:01.000Z 2 1',
        'not-a-time 2 1 node',
        '2026-03-20T10:10:01.000Z -2 1 node',
        '2026-03-20T10:10:01.000Z 2 1e3 node',
      ]) {
        await admin.hset(`${prefix}sweeps`, bad, value);
        await admin.hset(`${prefix}sweeps`, good, '2026-03-20T10:10:01.000Z 2 1 node a');
        // Listed, never thrown: one unreadable entry does not hide the others from the consumer.
        expect((await store.untracedSweeps({ limit: 10 })).map((s) => s.id).sort()).toEqual([good, bad]);
        // The consumer traces the readable sweep, removes it, and reports the other, left where it is.
        const before = trace.events.length;
        await expect(consumer.sweep(), value).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
        expect(trace.events.slice(before).map((e) => [e.actor.personId, e.count])).toEqual([['node a', 3]]);
        expect(await admin.hkeys(`${prefix}sweeps`)).toEqual([bad]);
      }
      await store.sweepTraced(bad);
      expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
      const outbox = (id: string) => ({ expiredAt: at(0), claimedBefore: at(0), outbox: { id, at: at(0), consumer: 'x' } });
      await expect(store.sweep(outbox('not-a-uuid'))).rejects.toThrow(TypeError);
    } finally {
      await store.close();
    }
  });

  it('refuses malformed options with a TypeError', async () => {
    await expect(RedisConsumptionStore.open({ url, prefix: 'bad prefix' })).rejects.toThrow(TypeError);
    await expect(RedisConsumptionStore.open({ url, prefix: '' })).rejects.toThrow(TypeError);
    await expect(RedisConsumptionStore.open({ url, prefix: 'x'.repeat(65) })).rejects.toThrow(TypeError);
    await expect(RedisConsumptionStore.open({ url, prefix: 'a*' })).rejects.toThrow(TypeError);
    await expect(RedisConsumptionStore.open({})).rejects.toThrow(TypeError);
    await expect(RedisConsumptionStore.open({ url, client: admin })).rejects.toThrow(TypeError);
    await expect(RedisConsumptionStore.open({ url: 'http://127.0.0.1:6379' })).rejects.toThrow(TypeError);
    await expect(RedisConsumptionStore.open({ url, timeoutMs: 0 })).rejects.toThrow(TypeError);
  });
});

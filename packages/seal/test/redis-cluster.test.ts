/**
 * The Redis parts of `@s3404/seal` on a real Redis Cluster (issue 19): three
 * masters started by this file, joined by `redis-cli --cluster create`, used
 * through an ioredis `Cluster`. The single-use store's contract with a
 * hash-tagged prefix (every key of one store in one slot), the key holder's
 * key-first deposit from two consumers, and a prefix without a hash tag.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer, stopRedisServer } from '@s3404/tooling/redis-kit';
import { createConsumer } from '@s3404/seal';
import { RedisConsumptionStore, RedisContextRegistry, RedisKeyHolder, type RedisClientLike, type RedisKeyClientLike } from '@s3404/seal/redis';
import { RedisLease } from '@s3404/core/redis';
import { at, fixture } from './helpers.js';
import { sealMany, storeContract, targetOf } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 's3404-cluster-'));
const servers: ChildProcess[] = [];
let cluster: Cluster;
let n = 0;

beforeAll(async () => {
  const ports = [await freePort(), await freePort(), await freePort()];
  for (const port of ports) {
    const args = ['--port', String(port), '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--appendonly', 'no', '--save', ''];
    servers.push(await startRedisServer({ port, dir, args }));
  }
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create: ${created.stdout}${created.stderr}`);
  for (let i = 0; i < 100; i++) {
    const states = ports.map((p) => spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout);
    if (states.every((s) => s.includes('cluster_state:ok'))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  cluster = new Cluster([{ host: '127.0.0.1', port: ports[0]! }], { enableOfflineQueue: true, redisOptions: { commandTimeout: 2000 } });
  await cluster.ping();
}, 30_000);

afterAll(async () => {
  await cluster?.quit().catch(() => cluster.disconnect());
  for (const p of servers) await stopRedisServer(p);
  rmSync(dir, { recursive: true, force: true });
});

const asClient = (): RedisClientLike => cluster as unknown as RedisClientLike;

storeContract({
  name: 'redis cluster (hash-tagged prefix)',
  open: async () => RedisConsumptionStore.open({ client: asClient(), prefix: `{c${n++}}:` }),
});

describe('Redis Cluster: keys of pending records and the key-first deposit (SIG-6)', () => {
  it('lets two consumers on the cluster deposit one record at once and use it once by id', async () => {
    const f = await fixture();
    const [r] = await sealMany(f, 1, 211);
    const store = await RedisConsumptionStore.open({ client: asClient(), prefix: '{kf}:' });
    const keys = await RedisKeyHolder.open({ client: cluster as unknown as RedisKeyClientLike, prefix: 'kf:k:' });
    const consumer = () => createConsumer({ store, keyHolder: keys, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const [a, b] = await Promise.all([consumer().deposit(r!), consumer().deposit(r!)]);
    expect(a).toEqual(b);
    expect(await consumer().consume({ recordId: r!.recordId }, { target: targetOf(r!), requestId: 'c' })).toMatchObject({ status: 'consumed' });
    expect(await keys.get(r!.recordId, at(10))).toBeNull();
    await store.close();
    await keys.close();
  });
});

describe('Redis Cluster: a store prefix without a hash tag (issue 19)', () => {
  it('is refused when the store opens (TypeError), not at each deposit as a server to retry', async () => {
    // Each script of the store names several keys: without one slot for all, every deposit failed CROSSSLOT, reported
    // ERR_STORE_UNAVAILABLE ("nothing was consumed, retry") for ever.
    for (const prefix of ['plain:', '{}:', 's3404{:', 'a}b{:']) {
      await expect(RedisConsumptionStore.open({ client: asClient(), prefix }), prefix).rejects.toThrow(/hash tag/);
    }
    await expect(RedisConsumptionStore.open({ client: asClient() })).rejects.toThrow(TypeError); // the default, s3404:
    for (const prefix of ['{s3404}:', 'app:{s3404}:', '}{x}:']) await (await RedisConsumptionStore.open({ client: asClient(), prefix })).close();
  });

  it('behind a client that hides it is a Cluster (a proxy, a wrapper): ERR_STORE_MISCONFIGURED (CROSSSLOT) when the store opens, not "retry" at each deposit', async () => {
    // The client does not say it is a Cluster; the open's probe, a script over three of the store's keys, meets the
    // server's CROSSSLOT answer, which no retry changes, before any record is deposited.
    const hidden = new Proxy(cluster, { get: (t, k) => (k === 'isCluster' ? undefined : Reflect.get(t, k, t)) }) as unknown as RedisClientLike;
    const e = await RedisConsumptionStore.open({ client: hidden, prefix: `plain${n++}:` }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
    expect((e as Error).message).toMatch(/CROSSSLOT/);
    // With a hash tag, the same hidden Cluster opens and deposits.
    const store = await RedisConsumptionStore.open({ client: hidden, prefix: `{plain${n++}}:` });
    const f = await fixture();
    const [r] = await sealMany(f, 1, 212);
    const consumer = createConsumer({ store, keyHolder: null, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    expect(await consumer.deposit(r!)).toHaveProperty('handle');
    await store.close();
  });
});

describe('Redis Cluster: the single-key parts (SIG-1, issue 19)', () => {
  it('runs the maintenance lease and the capture context registry on any prefix', async () => {
    const lease = await RedisLease.open({ client: cluster as never });
    const grant = await lease.acquire('sweep', { holder: 'a', ttlMs: 5_000 });
    expect(grant).not.toBeNull();
    expect(await lease.acquire('sweep', { holder: 'b', ttlMs: 5_000 })).toBeNull();
    expect(await lease.release(grant!)).toBe(true);
    const registry = await RedisContextRegistry.open({ client: cluster as never, now: () => at(1) });
    const f = await fixture();
    const context = await f.sealer.openContext({
      scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: f.contentHash },
      role: 'insured',
      signer: { id: 'patient-1', name: 'Jeanne Martin' },
      terminalId: 'tablette-3',
    });
    expect(await registry.take(context.token.nonce)).toBeNull();
    await registry.register(context);
    expect(await registry.take(context.token.nonce)).toEqual(context);
    expect(await registry.take(context.token.nonce)).toBeNull();
  });
});

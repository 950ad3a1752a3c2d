import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createCapture, MemoryContextRegistry, type CaptureContext, type ContextRegistry } from '@s3404/seal';
import { openContextRegistry } from '@s3404/seal/stores';
import { PostgresContextRegistry } from '@s3404/seal/postgres';
import { RedisContextRegistry } from '@s3404/seal/redis';
import { lostAnswerProxy } from '@s3404/tooling/test-kit';
import { at, fixture, makePng, T0 } from './helpers.js';

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const run = `ctx${process.pid}x${Date.now().toString(36)}`;
const tablePrefix = `${run}_`;
const admin = { pg: new pg.Pool({ connectionString: PG, max: 2 }), redis: new Redis(REDIS) };
const closers: (() => Promise<void>)[] = [];
/** Each sealer its own seeded random source, so no two draw the same nonces on the shared backend. */
let seed = 1000;

afterAll(async () => {
  for (const c of closers) await c();
  await admin.pg.query(`DROP TABLE IF EXISTS ${tablePrefix}capture_contexts`);
  await admin.pg.end();
  const keys = await admin.redis.keys(`${run}:*`);
  if (keys.length > 0) await admin.redis.del(...keys);
  await admin.redis.quit();
});

type Shared = ContextRegistry & { close(): Promise<void> };

interface Backend {
  readonly name: string;
  /** One server's registry on the shared backend, on `now`. */
  open(now: () => Date, o?: { pastExpiryMs?: number }): Promise<Shared>;
  /** Writes `text` under `nonce` as if by hand. */
  plant(nonce: string, text: string): Promise<void>;
  /** A registry whose backend cannot be reached. */
  unreachable(): Promise<Shared>;
}

const track = <T extends Shared>(r: T): T => {
  closers.push(() => r.close());
  return r;
};

const BACKENDS: Backend[] = [
  {
    name: 'Redis',
    open: async (now, o = {}) => track(await RedisContextRegistry.open({ url: REDIS, prefix: `${run}:ctx:`, now, ...o })),
    plant: async (nonce, text) => void (await admin.redis.set(`${run}:ctx:${nonce}`, text, 'PX', 60_000)),
    unreachable: async () => {
      const r = await RedisContextRegistry.open({ url: REDIS, prefix: `${run}:ctx:` });
      await r.close(); // a client that is gone: every command fails
      return r;
    },
  },
  {
    name: 'PostgreSQL',
    open: async (now) => track(await PostgresContextRegistry.open({ connectionString: PG, tablePrefix, now })),
    plant: async (nonce, text) =>
      void (await admin.pg.query(`INSERT INTO ${tablePrefix}capture_contexts (nonce, context, expires_at) VALUES ($1, $2, $3)`, [
        nonce,
        text,
        at(300).toISOString(),
      ])),
    unreachable: async () =>
      track(await PostgresContextRegistry.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix, createTables: false })),
  },
];

const INSURED = { role: 'insured' as const, signer: { id: 'patient-1', name: 'Jeanne Martin' }, terminalId: 'tablette-3' };

for (const backend of BACKENDS) {
  describe(`${backend.name}: capture contexts shared by the servers of a fleet (SIG-1)`, () => {
    /** Two servers behind a load balancer: their own sealers and registries, one backend. */
    const twoServers = async () => {
      const clock = { now: T0 };
      const now = () => clock.now;
      const [a, b] = [await backend.open(now), await backend.open(now)];
      const [fa, fb] = [await fixture({ overrides: { contexts: a, now }, seed: seed++ }), await fixture({ overrides: { contexts: b, now }, seed: seed++ })];
      return { clock, a, b, fa, fb };
    };

    it('a context shown by one server is sealed by another, once: the fleet yields one record per context', async () => {
      const { fa, fb } = await twoServers();
      const context = await fa.sealer.openContext({ scope: { kind: 'bordereau', bordereauId: fa.bordereauId, contentHash: fa.contentHash }, ...INSURED });
      const capture = createCapture(context, { image: makePng(), capturedAt: at(5) });
      const sealed = await fb.sealer.seal(capture);
      expect(sealed.record.context).toEqual(context.token);
      for (const f of [fa, fb]) await expect(f.sealer.seal(capture)).rejects.toMatchObject({ code: 'ERR_CONTEXT_UNKNOWN' });
    });

    it('gives a context to exactly one of many servers taking it at once, as it was registered', async () => {
      const { a, b, fa } = await twoServers();
      const context = await fa.sealer.openContext({
        scope: { kind: 'line', bordereauId: fa.bordereauId, contentHash: fa.contentHash, line: 2, practitionerRpps: '10001234565' },
        role: 'director',
        signer: { id: 'dir-1', name: 'M. Durand' },
        terminalId: 'poste-direction',
        mandate: { reference: 'MDT-2026-001' },
      });
      const taken = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).take(context.token.nonce)));
      const got = taken.filter((c): c is CaptureContext => c !== null);
      expect(got).toHaveLength(1);
      expect(got[0]).toEqual(context);
    });

    it('keeps an expired context long enough to say so, and never gives it to the sealer as valid', async () => {
      const { clock, fa, fb } = await twoServers();
      const context = await fa.sealer.openContext({ scope: { kind: 'bordereau', bordereauId: fa.bordereauId, contentHash: fa.contentHash }, ...INSURED });
      clock.now = at(301);
      await expect(fb.sealer.seal(createCapture(context, { image: makePng(), capturedAt: at(5) }))).rejects.toMatchObject({ code: 'ERR_CONTEXT_EXPIRED' });
    });

    it('forgets contexts after their expiry', async () => {
      const { fa, b } = await twoServers();
      const context = await fa.sealer.openContext({ scope: { kind: 'bordereau', bordereauId: fa.bordereauId, contentHash: fa.contentHash }, ...INSURED });
      expect(await b.take(context.token.nonce)).toEqual(context);
      // A registry whose clock says the context expires in 50 ms.
      let now = new Date(Date.parse(context.token.expiresAt) - 50);
      const registry = await backend.open(() => now, { pastExpiryMs: 0 });
      const other = { ...context, token: { ...context.token, nonce: `${context.token.nonce.slice(0, 20)}zz` } };
      await registry.register(other);
      await new Promise((r) => setTimeout(r, 150));
      now = new Date(Date.parse(context.token.expiresAt) + 100);
      if (registry instanceof PostgresContextRegistry) expect(await registry.sweep()).toBeGreaterThanOrEqual(1);
      expect(await registry.take(other.token.nonce)).toBeNull();
    });

    it('refuses what it did not write: an entry that is no context, or a context under another nonce (ERR_STORE_CORRUPT)', async () => {
      const { fa, b } = await twoServers();
      const context = await fa.sealer.openContext({ scope: { kind: 'bordereau', bordereauId: fa.bordereauId, contentHash: fa.contentHash }, ...INSURED });
      const planted = [
        ['AAAAAAAAAAAAAAAAAAAAAAAa', 'not json'],
        ['AAAAAAAAAAAAAAAAAAAAAAAb', JSON.stringify({ token: 1 })],
        ['AAAAAAAAAAAAAAAAAAAAAAAc', JSON.stringify({ ...context, display: { ...context.display, lines: 'x' } })],
        ['AAAAAAAAAAAAAAAAAAAAAAAd', JSON.stringify(context)], // another nonce's context
      ] as const;
      for (const [nonce, text] of planted) {
        await backend.plant(nonce, text);
        await expect(b.take(nonce)).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT', kind: 'internal' });
      }
      // Registered again under its nonce (by fa, then here): the same context is kept as it is (a write sent again
      // after a cut); another context under that nonce is refused, and the first stays.
      await expect(b.register(context)).resolves.toBeUndefined();
      const other = { ...context, signer: { ...context.signer, name: 'Paul Martin' } };
      await expect(b.register(other)).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
      expect(await b.take(context.token.nonce)).toEqual(context);
      expect(await b.take(context.token.nonce)).toBeNull();
      // No nonce of the SDK's shape: nothing asked of the backend.
      expect(await b.take('../../etc')).toBeNull();
    });

    it('reports an unreachable backend as ERR_STORE_UNAVAILABLE: the context is not shown', async () => {
      const registry = await backend.unreachable();
      const f = await fixture({ overrides: { contexts: registry }, seed: seed++ });
      await expect(
        f.sealer.openContext({ scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: f.contentHash }, ...INSURED }),
      ).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
    });
  });
}

describe('RedisContextRegistry after a cut (SIG-1)', () => {
  it('registers a context whose SET the driver sent again after the network lost its answer: no "already registered"', async () => {
    const { hostname, port } = new URL(REDIS);
    const proxy = await lostAnswerProxy({ host: hostname, port: Number(port || 6379), cut: (r) => /\bSET\b/i.test(r) && r.includes(`${run}:ctx:`) });
    const through = track(await RedisContextRegistry.open({ url: `redis://127.0.0.1:${proxy.port}`, prefix: `${run}:ctx:`, now: () => T0 }));
    const direct = track(await RedisContextRegistry.open({ url: REDIS, prefix: `${run}:ctx:`, now: () => T0 }));
    try {
      const f = await fixture({ seed: seed++ });
      const context = await f.sealer.openContext({ scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: f.contentHash }, ...INSURED });
      await through.register(context);
      expect(proxy.cuts()).toBe(1);
      expect(await direct.take(context.token.nonce)).toEqual(context);
    } finally {
      await proxy.close();
    }
  });
});

describe('openContextRegistry: the registry that goes with a consumption store URL (SIG-1)', () => {
  it('shares contexts through the same PostgreSQL or Redis, with the store URL’s prefix; keeps them in memory for SQLite and memory:', async () => {
    const now = () => T0;
    const viaUrl = [await openContextRegistry(`${PG}?tablePrefix=${tablePrefix}`, { now }), await openContextRegistry(`${REDIS}?prefix=${run}:`, { now })];
    const direct = [
      track(await PostgresContextRegistry.open({ connectionString: PG, tablePrefix, now })),
      track(await RedisContextRegistry.open({ url: REDIS, prefix: `${run}:ctx:`, now })),
    ];
    const f = await fixture({ seed: seed++ });
    for (const [i, registry] of viaUrl.entries()) {
      const context = await f.sealer.openContext({ scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: f.contentHash }, ...INSURED });
      await registry.register(context);
      expect(await direct[i]!.take(context.token.nonce)).toEqual(context);
      await registry.close();
    }
    // The longest prefix the consumption store takes (64 characters) is the registry's too, `ctx:` after it.
    const longest = `${run}:`.padEnd(64, 'p');
    const sameStore = await openContextRegistry(`${REDIS}?prefix=${longest}`, { now });
    const shown = await f.sealer.openContext({ scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: f.contentHash }, ...INSURED });
    await sameStore.register(shown);
    expect(await sameStore.take(shown.token.nonce)).toEqual(shown);
    await sameStore.close();
    for (const url of ['sqlite:/tmp/x.sqlite', 'memory:']) {
      const registry = await openContextRegistry(url, { now });
      expect(registry).toBeInstanceOf(MemoryContextRegistry);
      await registry.close();
    }
    for (const url of ['ftp://x', 'redis://h:1?prefix=bad prefix', 'nonsense']) {
      await expect(openContextRegistry(url)).rejects.toMatchObject({ code: 'ERR_STORE_URL_INVALID', kind: 'input' });
    }
    await expect(openContextRegistry('redis://127.0.0.1:1')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });
});

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsumer, type Tombstone } from '@s3404/seal';
import { PostgresConsumptionStore } from '@s3404/seal/postgres';
import { lostAnswerProxy, repeatedCuts, postgresSessionCut } from '@s3404/tooling/test-kit';
import { at, fixture, sealInsured } from './helpers.js';
import { consumeEachRetrying, depositInsured, expectEachUsedOnce } from './support/consume-under-cuts.js';
import { storeContract } from './store-contract.js';

const url = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: url, max: 4 });
const prefixes: string[] = [];
let counter = 0;

/** A table prefix no other test (or concurrent test run) uses. */
const freshPrefix = (): string => {
  const prefix = `t_${process.pid}_${counter++}_`;
  prefixes.push(prefix);
  return prefix;
};

afterAll(async () => {
  for (const tablePrefix of prefixes) {
    const store = await PostgresConsumptionStore.open({ pool: admin, tablePrefix, createTables: false });
    await store.dropTables();
  }
  await admin.end();
});

storeContract({
  name: 'postgres',
  open: async () => PostgresConsumptionStore.open({ connectionString: url, tablePrefix: freshPrefix() }),
  broken: async () =>
    PostgresConsumptionStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix: freshPrefix(), createTables: false }),
});

const recordId = (n: number): string => `0f0e0d0c-0b0a-4908-8706-${n.toString(16).padStart(12, '0')}`;
const digest = (n: number): string => n.toString(16).padStart(64, '0');

describe('postgres store specifics', () => {
  it('a deposit and a claim whose answers the network lost after the COMMIT: the same consumer finishes both (SIG-5, SIG-6)', async () => {
    const tablePrefix = freshPrefix();
    const { hostname, port, username, pathname } = new URL(url);
    for (const [what, cut] of [
      ['deposit', (r: string) => r.includes(`INSERT INTO ${tablePrefix}pending`)],
      ['claim', (r: string) => r.includes(`INSERT INTO ${tablePrefix}tombstones`)],
    ] as const) {
      const proxy = await lostAnswerProxy({ host: hostname, port: Number(port || 5432), cut });
      const store = await PostgresConsumptionStore.open({
        connectionString: `postgres://${username}@127.0.0.1:${proxy.port}${pathname}`,
        tablePrefix,
      });
      try {
        const f = await fixture({ seed: what === 'deposit' ? 501 : 502 }); // records of their own
        const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
        const sealed = await sealInsured(f);
        const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
        // Each call again as its error says: the same record deposited again, the same request id.
        const again = async <R>(call: () => Promise<R>, code: string): Promise<R> => {
          for (let attempt = 0; ; attempt++) {
            try {
              return await call();
            } catch (e) {
              expect(e, what).toMatchObject({ code });
              if (attempt === 2) throw e;
            }
          }
        };
        const { handle } = await again(() => consumer.deposit(sealed), 'ERR_STORE_UNAVAILABLE');
        const used = await again(() => consumer.consume({ handle }, { target, requestId: `cut-${what}` }), 'ERR_CONSUME_INCOMPLETE');
        expect(proxy.cuts(), what).toBe(1);
        expect(used).toMatchObject({ status: 'consumed' });
        expect(await store.countPending()).toBe(0);
      } finally {
        await store.close();
        await proxy.close();
      }
    }
  });

  it('refuses malformed options with a TypeError', async () => {
    for (const tablePrefix of ['', 'Bad_', '1abc', 'a-b', 'a;drop table x;', `a${'b'.repeat(31)}`]) {
      await expect(PostgresConsumptionStore.open({ pool: admin, tablePrefix })).rejects.toThrow(TypeError);
    }
    await expect(PostgresConsumptionStore.open({})).rejects.toThrow(TypeError);
    await expect(PostgresConsumptionStore.open({ pool: admin, connectionString: url })).rejects.toThrow(TypeError);
    await expect(PostgresConsumptionStore.open({ connectionString: url, poolSize: 0 })).rejects.toThrow(TypeError);
  });

  it('reports an unreachable server at open as ERR_STORE_UNAVAILABLE with the driver error as cause', async () => {
    const e = await PostgresConsumptionStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix: freshPrefix(), locale: 'en' }).then(
      () => null,
      (x: unknown) => x as Error & { code?: string; kind?: string },
    );
    expect(e).toMatchObject({ name: 'SealError', code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
    expect(e?.message).toMatch(/^Signature store unavailable \(postgres open: ECONNREFUSED\): nothing was consumed, try again\.$/);
    expect(e?.cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('creates its tables once when four openers race, and leaves a given pool open', async () => {
    const tablePrefix = freshPrefix();
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const stores = await Promise.all(pools.map((pool) => PostgresConsumptionStore.open({ pool, tablePrefix })));
      for (const s of stores) await s.close();
      // Reopening is idempotent.
      await (await PostgresConsumptionStore.open({ pool: pools[0]!, tablePrefix })).close();
      const { rows } = await pools[0]!.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ($1, $2)',
        [`${tablePrefix}pending`, `${tablePrefix}tombstones`],
      );
      expect(rows[0]?.n).toBe(2);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('opens a second handle without waiting for writers, so it cannot deadlock with a claim in flight', async () => {
    // CREATE INDEX IF NOT EXISTS locks its table in SHARE mode even when the
    // index exists: an open that ran the DDL would wait here for the writer,
    // and deadlock with a claim holding the tombstones and wanting pending.
    const tablePrefix = freshPrefix();
    const first = await PostgresConsumptionStore.open({ pool: admin, tablePrefix });
    const writer = await admin.connect();
    const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c lock_timeout=2000' }); // an open that waited for the writer fails here
    try {
      await writer.query('BEGIN');
      await writer.query(`LOCK TABLE ${tablePrefix}pending, ${tablePrefix}tombstones IN ROW EXCLUSIVE MODE`);
      const second = await PostgresConsumptionStore.open({ pool, tablePrefix });
      expect(await second.countPending()).toBe(0);
      await writer.query('COMMIT');
      // A missing index is still created on open.
      await admin.query(`DROP INDEX ${tablePrefix}pending_expires_at`);
      await PostgresConsumptionStore.open({ pool, tablePrefix });
      const { rows } = await admin.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [`${tablePrefix}pending_expires_at`]);
      expect(rows[0]?.r).toBe(`${tablePrefix}pending_expires_at`);
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      writer.release();
      await pool.end();
      await first.close();
    }
  });

  it('lets exactly one of 32 claims win across two stores with separate pools', async () => {
    const tablePrefix = freshPrefix();
    const a = await PostgresConsumptionStore.open({ connectionString: url, tablePrefix, poolSize: 8 });
    const b = await PostgresConsumptionStore.open({ connectionString: url, tablePrefix, poolSize: 8 });
    try {
      const id = recordId(1);
      await a.putPending({ recordId: id, digest: digest(1), bytes: new Uint8Array([1, 2, 3]), expiresAt: '2030-01-01T00:00:00.000Z' });
      const claims = Array.from({ length: 32 }, (_, i) => {
        const t: Tombstone = {
          recordId: id,
          digest: digest(1),
          target: 'bordereau:x',
          requestId: `race-${i}`,
          consumer: `node-${i % 2}`,
          claimedAt: `2026-03-20T10:00:${String(i).padStart(2, '0')}.123Z`,
        };
        return (i % 2 === 0 ? a : b).claim(t);
      });
      const outcomes = await Promise.all(claims);
      const won = outcomes.filter((o) => o.kind === 'claimed');
      expect(won).toHaveLength(1);
      const winner = won[0]!.tombstone;
      expect(winner).not.toHaveProperty('completedAt');
      for (const o of outcomes) expect(o.tombstone).toEqual(winner);
      // Another record id with the same digest (a copy of the bytes) is taken too.
      const copy = await b.claim({ ...winner, recordId: recordId(2), requestId: 'copy' });
      expect(copy).toEqual({ kind: 'taken', tombstone: winner });
      expect(await a.complete({ recordId: id, requestId: 'nobody', at: '2026-03-20T10:01:00.000Z' })).toBeNull();
      const done = await b.complete({ recordId: id, requestId: winner.requestId, at: '2026-03-20T10:01:00.456Z' });
      expect(done).toEqual({ ...winner, completedAt: '2026-03-20T10:01:00.456Z' });
      // Idempotent: the first completion time is kept.
      expect(await a.complete({ recordId: id, requestId: winner.requestId, at: '2026-03-20T10:02:00.000Z' })).toEqual(done);
      expect(await a.findTombstone({ digest: digest(1) })).toEqual(done);
      expect(await a.getPending(id)).toBeNull();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('connections cut again and again while records are consumed: each record is used exactly once, by its own request, retried with the same id', async () => {
    // A failover, a restart, pg_terminate_backend: the server ends the store's connections in the middle of claims
    // and completions. A caller retries with the same request id, as ERR_STORE_UNAVAILABLE and ERR_CONSUME_INCOMPLETE say.
    const tablePrefix = freshPrefix();
    const f = await fixture({ seed: 77 });
    const store = await PostgresConsumptionStore.open({ connectionString: url, tablePrefix, poolSize: 3 });
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const records = await depositInsured(f, consumer, 16);
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const cuts = repeatedCuts(postgresSessionCut(admin, tablePrefix), 25);
    let outcome: Awaited<ReturnType<typeof consumeEachRetrying>>;
    try {
      outcome = await consumeEachRetrying(consumer, records, target);
    } finally {
      expect(await cuts.stop()).toBeGreaterThan(0);
    }
    await expectEachUsedOnce(store, consumer, records, target, outcome);
    const pending = await admin.query(`SELECT count(*)::int AS n FROM ${tablePrefix}pending`);
    expect((pending.rows[0] as { n: number }).n).toBe(0);
    await store.close();
  }, 60_000);

  it('holds no image once a record is used, and the tombstones table has no bytes column', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresConsumptionStore.open({ pool: admin, tablePrefix });
    const id = recordId(3);
    const bytes = new TextEncoder().encode('IMAGE-MARKER-'.repeat(100));
    await store.putPending({ recordId: id, digest: digest(3), bytes, expiresAt: '2030-01-01T00:00:00.000Z' });
    const pending = await store.getPending(id);
    expect(pending).toEqual({ recordId: id, digest: digest(3), bytes, expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(pending?.bytes).toBeInstanceOf(Uint8Array);
    await expect(store.putPending({ recordId: id, digest: digest(3), bytes, expiresAt: '2030-01-01T00:00:00.000Z' })).rejects.toMatchObject({
      code: 'ERR_RECORD_DUPLICATE',
    });
    const claimed = await store.claim({
      recordId: id,
      digest: digest(3),
      target: 'bordereau:x',
      requestId: 'r',
      consumer: 'c',
      claimedAt: '2026-03-20T10:00:00.000Z',
    });
    expect(claimed.kind).toBe('claimed');
    const { rows: marked } = await admin.query<{ claimed_by: string }>(`SELECT claimed_by FROM ${tablePrefix}pending`);
    expect(marked).toEqual([{ claimed_by: 'r' }]);
    await store.complete({ recordId: id, requestId: 'r', at: '2026-03-20T10:00:01.000Z' });
    const { rows: count } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tablePrefix}pending`);
    expect(count[0]?.n).toBe(0);
    await expect(store.putPending({ recordId: id, digest: digest(3), bytes, expiresAt: '2030-01-01T00:00:00.000Z' })).rejects.toMatchObject({
      code: 'ERR_RECORD_DUPLICATE',
    });
    const { rows: columns } = await admin.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
      [`${tablePrefix}tombstones`],
    );
    expect(columns.map((c) => c.column_name)).toEqual(['record_id', 'digest', 'target', 'request_id', 'consumer', 'claimed_at', 'completed_at']);
    expect(columns.some((c) => c.data_type === 'bytea')).toBe(false);
    await store.close();
  });

  it('sweeps expired and abandoned records in one pass, and purges old tombstones', async () => {
    const store = await PostgresConsumptionStore.open({ pool: admin, tablePrefix: freshPrefix() });
    const put = (n: number, expiresAt: string) => store.putPending({ recordId: recordId(n), digest: digest(n), bytes: new Uint8Array([n]), expiresAt });
    await put(10, '2026-03-20T10:00:00.000Z'); // expired at now
    await put(11, '2026-03-20T11:00:00.000Z'); // claimed long ago, never completed
    await put(12, '2026-03-20T11:00:00.000Z'); // claimed recently
    await put(13, '2026-03-20T11:00:00.000Z'); // never claimed
    const claim = (n: number, claimedAt: string) =>
      store.claim({ recordId: recordId(n), digest: digest(n), target: 't', requestId: `r${n}`, consumer: 'c', claimedAt });
    await claim(11, '2026-03-20T09:50:00.000Z');
    await claim(12, '2026-03-20T09:59:30.000Z');
    expect(await store.sweep({ expiredAt: new Date('2026-03-20T10:00:00.000Z'), claimedBefore: new Date('2026-03-20T09:59:00.000Z') })).toEqual({
      expired: 1,
      abandoned: 1,
    });
    expect(await store.countPending()).toBe(2);
    expect(await store.getPending(recordId(12))).not.toBeNull();
    expect(await store.purgeTombstones({ before: new Date('2026-03-20T09:59:30.000Z') })).toBe(1);
    expect(await store.findTombstone({ recordId: recordId(11) })).toBeNull();
    expect(await store.findTombstone({ recordId: recordId(12) })).toMatchObject({ requestId: 'r12' });
    expect(await store.findTombstone({})).toBeNull();
    // The sweep's outbox row, written by the same statement: an id that is no UUID is refused before any SQL runs.
    const outbox = (id: string) => ({
      expiredAt: new Date('2026-03-20T12:00:00.000Z'),
      claimedBefore: new Date(0),
      outbox: { id, at: new Date(), consumer: 'c' },
    });
    await expect(store.sweep(outbox('not-a-uuid'))).rejects.toThrow(TypeError);
    expect(await store.countPending()).toBe(2);
    expect(await store.sweep(outbox('00000000-0000-4000-8000-0000000000d4'))).toEqual({ expired: 2, abandoned: 0 });
    expect((await store.untracedSweeps({ limit: 10 })).map((x) => [x.id, x.expired, x.abandoned, x.consumer])).toEqual([
      ['00000000-0000-4000-8000-0000000000d4', 2, 0, 'c'],
    ]);
    await store.sweepTraced('not-a-uuid'); // nothing to remove, no SQL error
    await store.sweepTraced('00000000-0000-4000-8000-0000000000d4');
    expect(await store.untracedSweeps({ limit: 10 })).toEqual([]);
  });
});

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLotManager, packLot, type LotRecord, type LotTransmission } from '@s3404/scor';
import { PostgresLotStore } from '@s3404/scor/postgres';
import { lotFixture } from './fixtures/lot.js';
import { lotRecord, lotStoreContract, pendingTrace } from './lot-store-contract.js';

const url = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: url, max: 4 });
const prefixes: string[] = [];
let counter = 0;

/** A table prefix no other test (or concurrent test run) uses. */
const freshPrefix = (): string => {
  const prefix = `t_scor_${process.pid}_${counter++}_`;
  prefixes.push(prefix);
  return prefix;
};

afterAll(async () => {
  for (const tablePrefix of prefixes) {
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix, createTables: false });
    await store.dropTables();
  }
  const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1', [
    `t\\_scor\\_${process.pid}\\_%`,
  ]);
  await admin.end();
  expect(rows[0]?.n).toBe(0);
});

lotStoreContract({
  name: 'postgres',
  open: async () => PostgresLotStore.open({ connectionString: url, tablePrefix: freshPrefix() }),
  broken: async () => PostgresLotStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix: freshPrefix(), createTables: false }),
});

describe('postgres lot store specifics (SCOR-3)', () => {
  it('refuses malformed options with a TypeError', async () => {
    for (const tablePrefix of ['', 'Bad_', '1abc', 'a-b', 'a;drop table x;', `a${'b'.repeat(31)}`, 7 as never]) {
      await expect(PostgresLotStore.open({ pool: admin, tablePrefix })).rejects.toThrow(TypeError);
    }
    await expect(PostgresLotStore.open(null as never)).rejects.toThrow(TypeError);
    await expect(PostgresLotStore.open({})).rejects.toThrow(TypeError);
    await expect(PostgresLotStore.open({ pool: admin, connectionString: url })).rejects.toThrow(TypeError);
    await expect(PostgresLotStore.open({ pool: {} as never })).rejects.toThrow(TypeError);
    await expect(PostgresLotStore.open({ connectionString: '' })).rejects.toThrow(TypeError);
    await expect(PostgresLotStore.open({ connectionString: url, poolSize: 0 })).rejects.toThrow(TypeError);
    await expect(PostgresLotStore.open({ connectionString: url, poolSize: 2.5 })).rejects.toThrow(TypeError);
    await expect(PostgresLotStore.open({ pool: admin, poolSize: 2 })).rejects.toThrow(TypeError);
    await expect(PostgresLotStore.open({ pool: admin, createTables: 'yes' as never })).rejects.toThrow(TypeError);
  });

  it('reports an unreachable database at open as ERR_LOT_STORE_UNAVAILABLE', async () => {
    const error = await PostgresLotStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix: freshPrefix() }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ERR_LOT_STORE_UNAVAILABLE', params: { detail: 'postgres open: ECONNREFUSED' } });
    expect((error as Error).cause).toBeDefined();
  });

  it('opens another handle without waiting for writers (no DDL when the schema is there), and still creates a missing index', async () => {
    // CREATE INDEX IF NOT EXISTS locks its table in SHARE mode even when the
    // index exists: an open that ran the DDL would wait here for the writer.
    const tablePrefix = freshPrefix();
    const first = await PostgresLotStore.open({ pool: admin, tablePrefix });
    const writer = await admin.connect();
    const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c lock_timeout=2000' }); // an open that waited for the writer fails here
    try {
      await writer.query('BEGIN');
      await writer.query(`LOCK TABLE ${tablePrefix}lots, ${tablePrefix}lot_containers IN ROW EXCLUSIVE MODE`);
      const second = await PostgresLotStore.open({ pool, tablePrefix });
      expect(await second.get('LOT-000001')).toBeNull();
      await writer.query('COMMIT');
      await admin.query(`DROP INDEX ${tablePrefix}lots_due`);
      await PostgresLotStore.open({ pool, tablePrefix });
      const { rows } = await admin.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [`${tablePrefix}lots_due`]);
      expect(rows[0]?.r).toBe(`${tablePrefix}lots_due`);
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      writer.release();
      await pool.end();
      await first.close();
    }
  });

  it('creates its schema once when four stores open at once, and leaves a given pool open', async () => {
    const tablePrefix = freshPrefix();
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const stores = await Promise.all(pools.map((pool) => PostgresLotStore.open({ pool, tablePrefix })));
      await stores[0]!.create(lotRecord(1), new Uint8Array([1]));
      expect(await stores[3]!.get('LOT-000001')).toEqual(lotRecord(1));
      for (const s of stores) await s.close();
      // Reopening is idempotent, and the given pools still work.
      await (await PostgresLotStore.open({ pool: pools[1]!, tablePrefix })).close();
      const { rows: tables } = await pools[0]!.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE $1 ORDER BY table_name',
        [`${tablePrefix}%`],
      );
      expect(tables.map((t) => t.table_name)).toEqual([`${tablePrefix}lot_container_chunks`, `${tablePrefix}lot_containers`, `${tablePrefix}lots`]);
      const { rows: indexes } = await pools[2]!.query<{ indexname: string }>(
        'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 ORDER BY indexname',
        [`${tablePrefix}lots`],
      );
      expect(indexes.map((i) => i.indexname)).toEqual([
        `${tablePrefix}lots_due`,
        `${tablePrefix}lots_finess_b2`,
        `${tablePrefix}lots_pkey`,
        `${tablePrefix}lots_state_due`,
        `${tablePrefix}lots_untraced`,
      ]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('with createTables false, touches no schema (a missing table is ERR_LOT_STORE_MISCONFIGURED: no retry creates it, issue 19)', async () => {
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix: freshPrefix(), createTables: false });
    await expect(store.get('LOT-1')).rejects.toMatchObject({
      code: 'ERR_LOT_STORE_MISCONFIGURED',
      kind: 'internal',
      params: { detail: 'postgres get: 42P01 undefined_table' },
    });
    await store.close();
    // A given pool is not ended by close().
    expect((await admin.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('stores due_at as an instant for filtering, and returns the record exactly as written', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    const client = await admin.connect();
    try {
      // The session time zone must change nothing.
      await client.query("SET TIME ZONE 'America/Sao_Paulo'");
      const zoned = await PostgresLotStore.open({
        pool: { query: client.query.bind(client), connect: async () => client } as never,
        tablePrefix,
        createTables: false,
      });
      const r = lotRecord(2, { dueAt: '2026-03-29T01:30:00.120Z', b2Arl: { positive: true, receivedAt: '2026-03-02T09:00:00.001Z', code: '00' } });
      await zoned.create(r, new Uint8Array([2]));
      expect(await zoned.get(r.lotId)).toEqual(r);
      expect(await zoned.list({ dueBefore: '2026-03-29T01:30:00.120Z' })).toEqual([r]);
      expect(await zoned.list({ dueBefore: '2026-03-29T01:30:00.119Z' })).toEqual([]);
      const { rows } = await client.query<{ iso: string }>(
        `SELECT to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS iso FROM ${tablePrefix}lots`,
      );
      expect(rows).toEqual([{ iso: '2026-03-29T01:30:00.120Z' }]);
    } finally {
      client.release();
    }
    // Year 0 (1 BC) and 9999 are valid ISO instants of a record.
    await store.create(lotRecord(3, { dueAt: '0000-06-15T12:00:00.123Z' }), new Uint8Array([3]));
    await store.create(lotRecord(4, { dueAt: '9999-12-31T23:59:59.999Z' }), new Uint8Array([4]));
    expect((await store.get('LOT-000003'))?.dueAt).toBe('0000-06-15T12:00:00.123Z');
    expect((await store.list({ dueBefore: '0001-01-01T00:00:00.000Z' })).map((x) => x.lotId)).toEqual(['LOT-000003']);
    expect((await store.list({ dueBefore: '+275760-09-13T00:00:00.000Z' })).map((x) => x.lotId)).toEqual(['LOT-000003', 'LOT-000002', 'LOT-000004']);
    expect(await store.list({ dueBefore: '-000001-01-01T00:00:00.000Z' })).toEqual([]);
    // A FINESS query matches exactly (char(9) would ignore a trailing blank).
    expect(await store.list({ finess: `${lotRecord(2).finess} ` })).toEqual([]);
    expect((await store.list({ finess: lotRecord(2).finess })).map((x) => x.lotId)).toEqual(['LOT-000002', 'LOT-000004']);
  });

  it('finds the lots holding undelivered trace events through the partial index, not by reading every record', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    const pending = pendingTrace('1.0');
    await store.create(lotRecord(1), new Uint8Array([1]));
    await store.create(lotRecord(2, { untraced: [pending] }), new Uint8Array([2]));
    // 20,000 more lots, none holding an event: a year of a large fleet's purged lots.
    await admin.query(
      `INSERT INTO ${tablePrefix}lots (lot_id, finess, b2_lot_number, state, version, due_at, record)
       SELECT 'BULK-' || n, finess, b2_lot_number, state, version, due_at, record FROM ${tablePrefix}lots, generate_series(1, 20000) AS n WHERE lot_id = 'LOT-000001'`,
    );
    await admin.query(`ANALYZE ${tablePrefix}lots`);
    expect((await store.list({ untraced: true })).map((r) => r.lotId)).toEqual(['LOT-000002']);
    // The store's query for `untraced: true`, its predicate word for word.
    const { rows } = await admin.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT lot_id, version, record FROM ${tablePrefix}lots WHERE record ? 'untraced' ORDER BY due_at ASC NULLS LAST, lot_id COLLATE "C" ASC LIMIT 1000`,
    );
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(`${tablePrefix}lots_untraced`);
  });

  it('orders lot ids as JS compares strings, whatever the database collation', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    const { rows: columns } = await admin.query<{ table_name: string; collation_name: string | null }>(
      "SELECT table_name, collation_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE $1 AND column_name = 'lot_id' ORDER BY table_name",
      [`${tablePrefix}%`],
    );
    expect(columns).toEqual([
      { table_name: `${tablePrefix}lot_container_chunks`, collation_name: 'C' },
      { table_name: `${tablePrefix}lot_containers`, collation_name: 'C' },
      { table_name: `${tablePrefix}lots`, collation_name: 'C' },
    ]);
    const ids = ['lot-b', 'LOT-a', 'LOT-B', 'LOT_1', 'LOT-Z', 'LOT-10', 'LOT-9', 'LOT--', '0LOT'];
    for (const [i, lotId] of ids.entries()) await store.create(lotRecord(i, { lotId }), new Uint8Array([i]));
    expect((await store.list()).map((r) => r.lotId)).toEqual([...ids].sort());
  });

  it('drops the container only when the compare-and-set matched, and cascades nothing else', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    const r1 = lotRecord(5);
    await store.create(r1, new Uint8Array([5, 5]));
    await store.create(lotRecord(6), new Uint8Array([6]));
    expect(await store.update({ ...r1, version: 3, state: 'purged' }, { dropContainer: true })).toBe(false);
    expect(await store.container(r1.lotId)).toEqual(new Uint8Array([5, 5]));
    const purged: LotRecord = { ...r1, version: 2, state: 'purged', purgedAt: r1.createdAt };
    expect(await store.update(purged, { dropContainer: true })).toBe(true);
    const { rows } = await admin.query<{ lot_id: string }>(`SELECT lot_id FROM ${tablePrefix}lot_containers ORDER BY lot_id`);
    expect(rows).toEqual([{ lot_id: 'LOT-000006' }]);
    expect(await store.get(r1.lotId)).toEqual(purged);
    // A second purge of the same lot is a normal update.
    expect(await store.update({ ...purged, version: 3 }, { dropContainer: true })).toBe(true);
  });

  it('lets exactly one of 32 updates of one version win across two stores with separate pools', async () => {
    const tablePrefix = freshPrefix();
    const a = await PostgresLotStore.open({ connectionString: url, tablePrefix, poolSize: 8 });
    const b = await PostgresLotStore.open({ connectionString: url, tablePrefix, poolSize: 8, createTables: false });
    try {
      const r1 = lotRecord(7);
      await a.create(r1, new Uint8Array(1000).fill(7));
      const results = await Promise.all(
        Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? a : b).update({ ...r1, version: 2, attempts: i + 1 }, { dropContainer: i % 3 === 0 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await b.get(r1.lotId))?.attempts).toBe(winner + 1);
      expect(await a.container(r1.lotId)).toEqual(winner % 3 === 0 ? null : new Uint8Array(1000).fill(7));
      const creates = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).create(lotRecord(8, { invoices: i + 1 }), new Uint8Array([i]))),
      );
      expect(creates.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
      for (const c of creates) if (c.status === 'rejected') expect(c.reason).toMatchObject({ code: 'ERR_LOT_EXISTS' });
      const won = creates.findIndex((c) => c.status === 'fulfilled');
      expect((await a.get('LOT-000008'))?.invoices).toBe(won + 1);
      expect(await b.container('LOT-000008')).toEqual(new Uint8Array([won]));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('reports a row that no longer reads as a lot as ERR_LOT_STORE_CORRUPT', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    for (const i of [10, 11, 12, 13]) await store.create(lotRecord(i), new Uint8Array([i]));
    const set = (json: string, lotId: string) => admin.query(`UPDATE ${tablePrefix}lots SET record = $1::jsonb WHERE lot_id = $2`, [json, lotId]);
    await set('"not a lot"', 'LOT-000010');
    await set(JSON.stringify({ ...lotRecord(11), history: [{ from: null, to: 'nowhere', at: 'x' }] }), 'LOT-000011');
    await set(JSON.stringify({ ...lotRecord(12), version: 9 }), 'LOT-000012');
    for (const [id, detail] of [
      ['LOT-000010', 'LOT-000010'],
      ['LOT-000011', 'history'],
      ['LOT-000012', 'does not match'],
    ] as const) {
      await expect(store.get(id)).rejects.toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT', params: { detail: expect.stringContaining(detail) } });
    }
    await expect(store.list()).rejects.toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT' });
    // Asked to, list skips what no longer reads and names it: one damaged row does not hide the others.
    const unreadable: [string, string][] = [];
    const listed = await store.list({ onUnreadable: (lotId, e) => unreadable.push([lotId, e.code]) });
    expect(listed.map((r) => r.lotId)).toEqual(['LOT-000013']);
    expect(unreadable.sort()).toEqual([
      ['LOT-000010', 'ERR_LOT_STORE_CORRUPT'],
      ['LOT-000011', 'ERR_LOT_STORE_CORRUPT'],
      ['LOT-000012', 'ERR_LOT_STORE_CORRUPT'],
    ]);
    expect(await store.get('LOT-000013')).toEqual(lotRecord(13));
  });

  it('refuses with a TypeError a record jsonb cannot hold or the schema refuses, and writes nothing', async () => {
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix: freshPrefix() });
    const history = (reason: string): LotRecord['history'] => [{ from: null, to: 'built', at: lotRecord(1).createdAt, reason }];
    await expect(store.create(lotRecord(14, { history: history('nul \u0000 byte') }), new Uint8Array([1]))).rejects.toThrow(TypeError);
    await expect(store.create(lotRecord(14, { history: history('lone \ud800 surrogate') }), new Uint8Array([1]))).rejects.toThrow(TypeError);
    await expect(store.create(lotRecord(14, { b2LotNumber: '' }), new Uint8Array([1]))).rejects.toThrow(TypeError);
    expect(await store.get('LOT-000014')).toBeNull();
    // A backslash sequence and a real pair of surrogates are fine.
    const fine = lotRecord(14, { history: history('C:\\u0000 — 😀') });
    await store.create(fine, new Uint8Array([1]));
    expect(await store.get('LOT-000014')).toEqual(fine);
  });

  it('records a failed attempt whose error text is cut in the middle of an emoji, and an ARL whose reason is', async () => {
    // Outside text cut to its bound could end with half of a surrogate pair, which jsonb refuses: the transition failed.
    const tablePrefix = freshPrefix();
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    const fx = await lotFixture(1);
    const now = (): Date => new Date('2026-03-02T09:00:00.000Z');
    const packed = await packLot(fx.description, { files: fx.files, now });
    const cut = (bound: number): string => `${'x'.repeat(bound - 1)}😀 and more`;
    const lots = createLotManager({
      store,
      transport: {
        id: 'failing',
        send: async () => {
          throw new Error(cut(200));
        },
      },
      now,
    });
    const b2 = { kind: 'b2', finess: packed.finess, b2LotNumber: packed.b2LotNumber, receivedAt: now().toISOString() } as const;
    expect(await lots.register(packed, { b2Arl: { ...b2, positive: true, reason: cut(500), code: cut(64), reference: cut(128) } })).toMatchObject({
      state: 'retrying',
      attempts: 1,
    });
    const kept = await lots.get(packed.lotId);
    const texts = [kept.b2Arl?.reason, kept.b2Arl?.code, kept.b2Arl?.reference, ...kept.history.map((h) => h.reason)];
    // encodeURIComponent throws URIError on half of a pair.
    for (const t of texts) if (t !== undefined) expect(() => encodeURIComponent(t), t).not.toThrow();
    expect(kept.history.at(-1)?.reason).toMatch(/x\uFFFD$/);
  });

  it('never sends a container altered in the database: ERR_LOT_STORE_CORRUPT, the attempt recorded (SCOR-2)', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    const fx = await lotFixture(1);
    const now = (): Date => new Date('2026-03-02T09:00:00.000Z');
    const packed = await packLot(fx.description, { files: fx.files, now });
    const sent: LotTransmission[] = [];
    const lots = createLotManager({
      store,
      transport: {
        id: 'recording',
        send: async (t) => {
          sent.push(t);
          return { reference: 'r' };
        },
      },
      now,
      autoSend: false,
    });
    await lots.register(packed, {
      b2Arl: { kind: 'b2', finess: packed.finess, b2LotNumber: packed.b2LotNumber, positive: true, receivedAt: now().toISOString() },
    });
    // One bit in the middle of the stored container, flipped behind the SDK's back.
    await admin.query(`UPDATE ${tablePrefix}lot_containers SET bytes = set_byte(bytes, $2::int, get_byte(bytes, $2::int) # 1) WHERE lot_id = $1`, [
      packed.lotId,
      packed.container.bytes.length >> 1,
    ]);
    await expect(lots.send(packed.lotId)).rejects.toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT' });
    expect(sent).toHaveLength(0);
    expect(await lots.get(packed.lotId)).toMatchObject({ state: 'retrying', attempts: 1 });
    // Put back as registered: the next attempt sends it.
    await admin.query(`UPDATE ${tablePrefix}lot_containers SET bytes = $2 WHERE lot_id = $1`, [packed.lotId, Buffer.from(packed.container.bytes)]);
    expect(await lots.send(packed.lotId)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(Buffer.from(sent[0]!.bytes).equals(Buffer.from(packed.container.bytes))).toBe(true);
  });

  it('keeps ticking the other lots when one lot record no longer reads, and names it in the report (SCOR-3)', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    let ms = Date.parse('2026-03-02T09:00:00.000Z');
    const now = (): Date => new Date(ms);
    const down = { on: true };
    const sent: string[] = [];
    const lots = createLotManager({
      store,
      transport: {
        id: 'flaky',
        send: async (t) => {
          if (down.on) throw new Error('frontal injoignable');
          sent.push(t.lotId);
          return { reference: `r-${sent.length}` };
        },
      },
      now,
    });
    const ids: string[] = [];
    for (const seed of [1, 2, 3]) {
      const fx = await lotFixture(1, { seed, b2LotNumber: `07${seed}` });
      const packed = await packLot(fx.description, { files: fx.files, now });
      ids.push(packed.lotId);
      // The frontal is down at registration: each lot waits for its retry, 2 hours later.
      await lots.register(packed, {
        b2Arl: { kind: 'b2', finess: packed.finess, b2LotNumber: packed.b2LotNumber, positive: true, receivedAt: now().toISOString() },
      });
    }
    // The second lot's record damaged in the database (its indexed columns intact: it is still due).
    await admin.query(`UPDATE ${tablePrefix}lots SET record = record - 'history' WHERE lot_id = $1`, [ids[1]]);
    down.on = false;
    ms += 2 * 3_600_000;
    const report = await lots.tick();
    expect([...report.sent].sort()).toEqual([ids[0], ids[2]].sort());
    expect(report.errors).toEqual([{ lotId: ids[1], code: 'ERR_LOT_STORE_CORRUPT' }]);
    expect(sent.sort()).toEqual([ids[0], ids[2]].sort());
  });
  it('stops a tick whose store refuses its writes for good (a role without UPDATE): ERR_LOT_STORE_MISCONFIGURED, no lot sent (issue 19)', async () => {
    const tablePrefix = freshPrefix();
    const role = `s3404_scor_mc_${process.pid}`;
    const store = await PostgresLotStore.open({ pool: admin, tablePrefix });
    let ms = Date.parse('2026-03-02T09:00:00.000Z');
    const now = (): Date => new Date(ms);
    const sent: string[] = [];
    const transport = {
      id: 'recording',
      send: async (t: LotTransmission) => {
        sent.push(t.lotId);
        return { reference: `r-${sent.length}` };
      },
    };
    const failing = { id: 'down', send: async (): Promise<never> => Promise.reject(new Error('frontal injoignable')) };
    const owner = createLotManager({ store, transport: failing, now });
    for (const seed of [4, 5]) {
      const fx = await lotFixture(1, { seed, b2LotNumber: `08${seed}` });
      const packed = await packLot(fx.description, { files: fx.files, now });
      await owner.register(packed, {
        b2Arl: { kind: 'b2', finess: packed.finess, b2LotNumber: packed.b2LotNumber, positive: true, receivedAt: now().toISOString() },
      });
    }
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT SELECT ON ${tablePrefix}lots, ${tablePrefix}lot_containers TO ${role}`);
    const { hostname, port, pathname } = new URL(url);
    const readOnly = await PostgresLotStore.open({
      connectionString: `postgres://${role}@${hostname}:${port || 5432}${pathname}`,
      tablePrefix,
      createTables: false,
    });
    try {
      ms += 2 * 3_600_000;
      const lots = createLotManager({ store: readOnly, transport, now });
      // Before: each lot reported as its own error and the tick went on; the store is what fails, for every lot.
      await expect(lots.tick()).rejects.toMatchObject({ code: 'ERR_LOT_STORE_MISCONFIGURED', kind: 'internal', cause: { code: '42501' } });
      expect(sent).toEqual([]);
    } finally {
      await readOnly.close();
      await admin.query(`REVOKE ALL ON ${tablePrefix}lots, ${tablePrefix}lot_containers FROM ${role}`);
      await admin.query(`DROP ROLE ${role}`);
    }
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLog, type AuditStore } from '@s3404/audit';
import { PostgresAuditStore } from '@s3404/audit/postgres';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { clock, collect, draft, memoryLog, sealPurgeEvidence, seededRandom, signer, verifier } from './helpers.js';
import { storeContract } from './store-contract.js';
import { lostAnswerProxy, postgresSessionCut, repeatedCuts } from '@s3404/tooling/test-kit';

const url = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: url, max: 4 });
const run = randomBytes(3).toString('hex');
const prefixes: string[] = [];
let counter = 0;

/** A table prefix no other test (or concurrent test run) uses. */
const freshPrefix = (): string => {
  const prefix = `t_audit_${run}_${counter++}_`;
  prefixes.push(prefix);
  return prefix;
};

async function drop(tablePrefix: string): Promise<void> {
  const store = await PostgresAuditStore.open({ pool: admin, tablePrefix, createTables: false });
  await store.dropTables();
}

afterAll(async () => {
  for (const tablePrefix of prefixes) await drop(tablePrefix);
  await admin.end();
});

storeContract('postgres', async () => {
  const tablePrefix = freshPrefix();
  const opened: AuditStore[] = [];
  const open = async (): Promise<AuditStore> => {
    const store = await PostgresAuditStore.open({ connectionString: url, tablePrefix, poolSize: 4 });
    opened.push(store);
    return store;
  };
  return {
    open,
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close();
      await drop(tablePrefix);
    },
  };
});

const expectCode = async (promise: Promise<unknown>, code: string): Promise<void> => {
  await expect(promise).rejects.toMatchObject({ code });
};

describe('postgres audit store specifics (AUD-2, AUD-3)', () => {
  it('refuses malformed options with a TypeError', async () => {
    for (const tablePrefix of ['', 'Bad_', '1abc', 'a-b', 'a;drop table x;', `a${'b'.repeat(31)}`]) {
      await expect(PostgresAuditStore.open({ pool: admin, tablePrefix })).rejects.toThrow(TypeError);
    }
    await expect(PostgresAuditStore.open({})).rejects.toThrow(TypeError);
    await expect(PostgresAuditStore.open({ pool: admin, connectionString: url })).rejects.toThrow(TypeError);
    await expect(PostgresAuditStore.open({ connectionString: url, poolSize: 0 })).rejects.toThrow(TypeError);
    await expect(PostgresAuditStore.open({ pool: admin, poolSize: 2 })).rejects.toThrow(TypeError);
  });

  it('reports an unreachable database as ERR_AUDIT_STORE_UNAVAILABLE', async () => {
    await expectCode(
      PostgresAuditStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix: freshPrefix() }),
      'ERR_AUDIT_STORE_UNAVAILABLE',
    );
    const store = await PostgresAuditStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix: freshPrefix(), createTables: false });
    await expectCode(store.head(), 'ERR_AUDIT_STORE_UNAVAILABLE');
    await expectCode(collect(store.lines()), 'ERR_AUDIT_STORE_UNAVAILABLE');
    await store.close();
    await expectCode(store.head(), 'ERR_AUDIT_CLOSED');
  });

  it('keeps the store contract: a driver failure is kind unavailable with the driver error as cause; close() is idempotent and leaves a given pool open', async () => {
    const e = await PostgresAuditStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix: freshPrefix(), locale: 'en' }).catch(
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ name: 'AuditError', code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable' });
    expect((e as Error).cause).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/^Trace store unavailable: postgres open: /);
    const store = await PostgresAuditStore.open({ pool: admin, tablePrefix: freshPrefix() });
    await store.close();
    await store.close();
    await expect(store.head()).rejects.toMatchObject({ code: 'ERR_AUDIT_CLOSED', kind: 'unavailable' });
    expect((await admin.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  });

  it('creates one table with the documented columns, indexes and triggers, idempotently, when four openers race', async () => {
    const tablePrefix = freshPrefix();
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const stores = await Promise.all(pools.map((pool) => PostgresAuditStore.open({ pool, tablePrefix })));
      for (const s of stores) await s.close();
      await (await PostgresAuditStore.open({ pool: pools[0]!, tablePrefix })).close();
      const table = `${tablePrefix}audit_events`;
      const { rows: columns } = await admin.query<{ column_name: string; data_type: string; is_nullable: string }>(
        'SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
        [table],
      );
      expect(columns.map((c) => [c.column_name, c.data_type])).toEqual([
        ['seq', 'bigint'],
        ['id', 'uuid'],
        ['time', 'timestamp with time zone'],
        ['action', 'text'],
        ['line', 'text'],
        ['hash', 'text'],
        ['is_checkpoint', 'boolean'],
      ]);
      expect(columns.every((c) => c.is_nullable === 'NO')).toBe(true);
      const { rows: indexes } = await admin.query<{ indexdef: string }>(
        'SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1',
        [table],
      );
      expect(indexes.some((i) => /\(("?time"?)\)/.test(i.indexdef))).toBe(true);
      const { rows: triggers } = await admin.query<{ tgname: string }>(
        'SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname',
        [table],
      );
      expect(triggers.map((t) => t.tgname)).toEqual(['append_only_delete', 'append_only_truncate', 'append_only_update']);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('opens another handle without waiting for appends in flight, and restores a missing trigger or an outdated guard', async () => {
    // CREATE INDEX IF NOT EXISTS locks its table in SHARE mode even when the
    // index exists: an open that ran the DDL would wait here for the writer.
    const tablePrefix = freshPrefix();
    const table = `${tablePrefix}audit_events`;
    const first = await PostgresAuditStore.open({ pool: admin, tablePrefix });
    const writer = await admin.connect();
    const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c lock_timeout=2000' }); // an open that waited for the writer fails here
    try {
      await writer.query('BEGIN');
      await writer.query(`LOCK TABLE ${table} IN ROW EXCLUSIVE MODE`);
      const second = await PostgresAuditStore.open({ pool, tablePrefix });
      expect((await second.head()).seq).toBe(0);
      await writer.query('COMMIT');
      // A dropped trigger and a guard replaced by a permissive one are restored on open.
      await admin.query(`DROP TRIGGER append_only_update ON ${table}`);
      await admin.query(`CREATE OR REPLACE FUNCTION ${tablePrefix}audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`);
      await PostgresAuditStore.open({ pool, tablePrefix });
      const { rows } = await admin.query<{ tgname: string }>(
        'SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname',
        [table],
      );
      expect(rows.map((r) => r.tgname)).toEqual(['append_only_delete', 'append_only_truncate', 'append_only_update']);
      await admin.query(`INSERT INTO ${table} (seq, id, time, action, line, hash) VALUES (1, gen_random_uuid(), now(), 'x', 'x', 'x')`);
      await expect(admin.query(`DELETE FROM ${table}`)).rejects.toMatchObject({ code: 'S3A01' });
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      writer.release();
      await pool.end();
      await first.close();
    }
  });

  it('is append-only in the database: raw UPDATE, DELETE and TRUNCATE are refused; only purge(n) deletes', async () => {
    const tablePrefix = freshPrefix();
    const table = `${tablePrefix}audit_events`;
    // One connection: the store's purge and the raw statements share the session.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    try {
      const store = await PostgresAuditStore.open({ pool, tablePrefix });
      const c = clock();
      const log = memoryLog({ store, signer: await signer(), now: c.now });
      for (let i = 0; i < 6; i++) await log.append(draft(i));
      const cp = (await log.checkpoint())!;
      for (let i = 0; i < 3; i++) await log.append(draft(i));

      const refused = { code: 'S3A01', message: expect.stringMatching(/append-only/) };
      await expect(raw.query(`UPDATE ${table} SET action = 'signature.applied' WHERE seq = 2`)).rejects.toMatchObject(refused);
      await expect(raw.query(`UPDATE ${table} SET line = line WHERE false`)).rejects.toMatchObject(refused);
      await expect(raw.query(`DELETE FROM ${table} WHERE seq = 1`)).rejects.toMatchObject(refused);
      await expect(raw.query(`DELETE FROM ${table}`)).rejects.toMatchObject(refused);
      await expect(raw.query(`TRUNCATE ${table}`)).rejects.toMatchObject(refused);
      // The purge permission covers only the rows it names.
      await raw.query('BEGIN');
      await raw.query("SELECT set_config('s3404.audit_purge_through', '2', true)");
      await expect(raw.query(`DELETE FROM ${table} WHERE seq <= 3`)).rejects.toMatchObject(refused);
      await raw.query('ROLLBACK');
      await raw.query('BEGIN');
      await raw.query("SELECT set_config('s3404.audit_purge_through', 'all', true)");
      await expect(raw.query(`DELETE FROM ${table} WHERE seq = 1`)).rejects.toMatchObject(refused);
      await raw.query('ROLLBACK');
      expect((await verifyLog(await collect(store.lines()))).lastSeq).toBe(10);

      // The retention purge goes through, in its own transaction only (after the evidence log.purge seals first:
      // the daily checkpoint of its day, the purge event, the checkpoint that seals it).
      await sealPurgeEvidence(log, c, { firstSeq: 1, lastSeq: cp.seq - 1 });
      expect(await store.purge(0)).toBe(0);
      expect(await store.purge(cp.seq - 1)).toBe(6);
      expect(await store.purge(cp.seq - 1)).toBe(0);
      const { rows } = await pool.query<{ first: string; n: number }>(`SELECT min(seq)::text AS first, count(*)::int AS n FROM ${table}`);
      expect(rows[0]).toEqual({ first: String(cp.seq), n: 7 });
      await expect(pool.query(`DELETE FROM ${table} WHERE seq = ${cp.seq}`)).rejects.toMatchObject(refused);
      expect(await log.verify({ verifier: await verifier() })).toMatchObject({ ok: true, start: 'checkpoint', firstSeq: 7, lastSeq: 13 });
      await log.close();
    } finally {
      await raw.end();
      await pool.end();
    }
  });

  it('a row a table owner rewrote past the triggers: reading it, rebuilding the head on it, looking up an id on it are ERR_AUDIT_LINE_INVALID naming the row (AUD-2)', async () => {
    const tablePrefix = freshPrefix();
    const table = `${tablePrefix}audit_events`;
    const store = await PostgresAuditStore.open({ pool: admin, tablePrefix, locale: 'en' });
    const log = memoryLog({ store });
    const id = (n: number): string => `0192f1a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
    await log.appendMany(Array.from({ length: 4 }, (_, k) => ({ ...draft(k), id: id(k) })));
    // The owner can switch the append-only triggers off: row 2 no longer parses, row 3 is JSON but no event.
    await admin.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await admin.query(`UPDATE ${table} SET line = left(line, -1) WHERE seq = 2`);
    await admin.query(`UPDATE ${table} SET line = '[1,2,3]' WHERE seq = 3`);
    await admin.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    const read = async (): Promise<void> => {
      for await (const _ of store.read()) {
        // reads every event
      }
    };
    await expect(read()).rejects.toMatchObject({ name: 'AuditError', code: 'ERR_AUDIT_LINE_INVALID', message: expect.stringContaining(`${table} seq 2`) });
    for (const k of [1, 2]) {
      const e = await log.appendMany([{ ...draft(k), id: id(k) }]).catch((x: unknown) => x);
      expect(e, `row ${k + 1}`).toMatchObject({
        name: 'AuditError',
        code: 'ERR_AUDIT_LINE_INVALID',
        message: expect.stringContaining(`${table} seq ${k + 1}`),
      });
    }
    const fresh = await PostgresAuditStore.open({ pool: admin, tablePrefix, locale: 'en' });
    await expect(fresh.head()).rejects.toMatchObject({ name: 'AuditError', code: 'ERR_AUDIT_LINE_INVALID' });
    await fresh.close();
    await log.close();
  });

  it('four stores over separate pools appending concurrently yield one intact chain', async () => {
    const tablePrefix = freshPrefix();
    const sign = await signer();
    const c = clock();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresAuditStore.open({ connectionString: url, tablePrefix, poolSize: 2 })));
    const logs = stores.map((store, k) => memoryLog({ store, signer: sign, now: c.now, random: seededRandom(100 + k), maxBatch: 7 }));
    const PER_LOG = 120;
    await Promise.all(
      logs.map(async (log, k) => {
        for (let wave = 0; wave < 6; wave++) {
          await Promise.all(Array.from({ length: PER_LOG / 6 }, (_, i) => log.append(draft(k * 1000 + wave * 100 + i))));
          if (k % 2 === 0 && wave % 2 === 1) await log.checkpoint();
        }
      }),
    );
    const reader = await PostgresAuditStore.open({ connectionString: url, tablePrefix, createTables: false });
    try {
      const seqs: number[] = [];
      const ids = new Set<string>();
      let events = 0;
      let checkpoints = 0;
      for await (const e of reader.read()) {
        seqs.push(e.seq);
        ids.add(e.id);
        if (e.action === 'audit.checkpoint') checkpoints++;
        else events++;
      }
      expect(events).toBe(4 * PER_LOG);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(ids.size).toBe(seqs.length);
      const report = await verifyLog(await collect(reader.lines()), { verifier: await verifier() });
      expect(report).toMatchObject({ ok: true, firstSeq: 1, lastSeq: seqs.length, checkpoints, signatures: { status: 'valid' } });
      expect(checkpoints).toBeGreaterThan(0);
      // Every handle now reads the same head.
      const heads = await Promise.all([reader, ...stores].map((s) => s.head()));
      for (const h of heads) expect({ seq: h.seq, hash: h.hash }).toEqual({ seq: report.lastSeq, hash: report.head });
    } finally {
      await reader.close();
      for (const log of logs) await log.close();
    }
  });

  it('connections cut again and again while events are appended: each append is written whole or refused ERR_AUDIT_STORE_UNAVAILABLE, the chain verifies, the log goes on', async () => {
    // A failover, a restart, pg_terminate_backend: the server ends the store's connections in the middle of appends.
    const tablePrefix = freshPrefix();
    const c = clock();
    const store = await PostgresAuditStore.open({ connectionString: url, tablePrefix, poolSize: 3 });
    const log = memoryLog({ store, signer: await signer(), now: c.now, random: seededRandom(7), maxBatch: 16 });
    const outcomes: string[] = [];
    let ended = 0;
    // Cuts every 3 ms during the even waves; the odd waves run on a quiet server, so
    // that both outcomes are met however slow the machine (on a loaded CI runner a
    // cut every 3 ms all along refused every append, which proved nothing of the
    // log's recovery). At least 40 waves, and more (up to 400) until both outcomes were met: on a fast
    // machine a wave's one transaction can end between two cuts, wave after wave.
    const both = (): boolean => outcomes.includes('written') && outcomes.includes('ERR_AUDIT_STORE_UNAVAILABLE');
    for (let wave = 0; wave < 400 && (wave < 40 || !both()); wave++) {
      const cuts = wave % 2 === 0 ? repeatedCuts(postgresSessionCut(admin, tablePrefix), 3) : undefined;
      try {
        const settled = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => log.append(draft(wave * 100 + i))));
        for (const s of settled) outcomes.push(s.status === 'fulfilled' ? 'written' : ((s.reason as { code?: string }).code ?? String(s.reason)));
      } finally {
        if (cuts) ended += await cuts.stop();
      }
    }
    expect(ended).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(['written', 'ERR_AUDIT_STORE_UNAVAILABLE']));
    // Once the server stops cutting, the same log appends and checkpoints again.
    const after = await log.append(draft(9999));
    await log.checkpoint();
    const lines = await collect(store.lines());
    const report = await verifyLog(lines, { verifier: await verifier() });
    const ids = new Set(
      new TextDecoder()
        .decode(lines)
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id),
    );
    expect(report).toMatchObject({ ok: true, firstSeq: 1, signatures: { status: 'valid' } });
    // Every event said written is there (a refused one may be too: its commit can have reached the server before the cut).
    expect(ids.has(after.id)).toBe(true);
    expect(report.lastSeq).toBeGreaterThanOrEqual(outcomes.filter((o) => o === 'written').length + 2);
    await log.close();
  }, 60_000);

  it('an append whose COMMIT answer the network lost is reported written, once, as it is (AUD-2)', async () => {
    // The server commits, then the connection drops before its answer: the append is written. Reported failed,
    // a caller that retries it (the SCOR lot outbox does) would trace the action twice.
    const tablePrefix = freshPrefix();
    const { hostname, port, username, pathname } = new URL(url);
    let inserted = false;
    const proxy = await lostAnswerProxy({
      host: hostname,
      port: Number(port || 5432),
      cut: (request) => {
        if (request.includes(`INSERT INTO ${tablePrefix}audit_events`)) inserted = true;
        return inserted && request.includes('COMMIT');
      },
    });
    const store = await PostgresAuditStore.open({ connectionString: `postgres://${username}@127.0.0.1:${proxy.port}${pathname}`, tablePrefix });
    const c = clock();
    const log = memoryLog({ store, signer: await signer(), now: c.now, random: seededRandom(11) });
    try {
      const [one, two] = await Promise.all([log.append(draft(1)), log.append(draft(2))]);
      expect(proxy.cuts()).toBe(1);
      expect([one.seq, two.seq]).toEqual([1, 2]);
      c.advance(1);
      const three = await log.append(draft(3));
      expect(three.seq).toBe(3);
      const check = await PostgresAuditStore.open({ pool: admin, tablePrefix, createTables: false });
      const stored: string[] = [];
      for await (const e of check.read()) stored.push(e.id);
      expect(stored).toEqual([one.id, two.id, three.id]);
      await log.checkpoint();
      expect(await verifyLog(await collect(check.lines()), { verifier: await verifier() })).toMatchObject({ ok: true, lastSeq: 4 });
    } finally {
      await log.close();
      await proxy.close();
    }
  });

  it('rebuilds the same head in a fresh handle, from genesis, from the last checkpoint and after a purge', async () => {
    const tablePrefix = freshPrefix();
    const sign = await signer();
    const store = await PostgresAuditStore.open({ connectionString: url, tablePrefix });
    const c = clock();
    const log = memoryLog({ store, signer: sign, now: c.now });
    const fresh = async (): Promise<void> => {
      const other = await PostgresAuditStore.open({ connectionString: url, tablePrefix, createTables: false });
      try {
        const [a, b] = [await store.head(), await other.head()];
        expect({ ...b, merkle: b.merkle.root() }).toEqual({ ...a, merkle: a.merkle.root() });
      } finally {
        await other.close();
      }
    };
    try {
      await fresh(); // empty
      for (let i = 0; i < 7; i++) await log.append(draft(i));
      await fresh(); // from genesis, no checkpoint
      await log.checkpoint();
      await fresh(); // ends at a checkpoint
      for (let i = 0; i < 5; i++) await log.append(draft(i));
      const cp = (await log.checkpoint())!;
      for (let i = 0; i < 3; i++) await log.append(draft(i));
      await fresh(); // from the last checkpoint
      await sealPurgeEvidence(log, c, { firstSeq: 1, lastSeq: cp.seq - 1 });
      await fresh(); // ends at the checkpoint sealing the purge's evidence
      expect(await store.purge(cp.seq - 1)).toBe(cp.seq - 1);
      await fresh(); // after a purge: starts at the anchoring checkpoint
      // A second handle continues the purged chain.
      const other = await PostgresAuditStore.open({ connectionString: url, tablePrefix, createTables: false });
      const log2 = memoryLog({ store: other, signer: sign, random: seededRandom(42), now: c.now });
      await log2.append(draft(1));
      await log2.checkpoint();
      await log.append(draft(2));
      expect(await log.verify({ verifier: await verifier() })).toMatchObject({
        ok: true,
        start: 'checkpoint',
        firstSeq: cp.seq,
        lastSeq: cp.seq + 9,
        checkpoints: 4,
      });
      await log2.close();
    } finally {
      await log.close();
    }
  });

  it('returns the canonical lines byte for byte, as the memory store does (UTF-8, many pages)', async () => {
    const tablePrefix = freshPrefix();
    const store = await PostgresAuditStore.open({ connectionString: url, tablePrefix });
    const memory = new MemoryAuditStore();
    const drafts = Array.from({ length: 5200 }, (_, i) => ({
      ...draft(i),
      ...(i % 50 === 0 ? { reason: `Refusé — « patient » ${i} 🩺 \u2028 "quoted" \\ back` } : {}),
    }));
    const pgLog = memoryLog({ store, maxBatch: 1000 });
    const memLog = memoryLog({ store: memory, maxBatch: 1000 });
    try {
      await Promise.all(drafts.map((d) => pgLog.append(d)));
      await Promise.all(drafts.map((d) => memLog.append(d)));
      const [a, b] = [await collect(store.lines()), await collect(memory.lines())];
      expect(Buffer.compare(a, b)).toBe(0);
      const chunks: Uint8Array[] = [];
      for await (const chunk of store.lines()) chunks.push(chunk);
      expect(chunks).toHaveLength(2);
      const part: number[] = [];
      for await (const e of store.read({ fromSeq: 4998, toSeq: 5003 })) part.push(e.seq);
      expect(part).toEqual([4998, 4999, 5000, 5001, 5002, 5003]);
      const mem: unknown[] = [];
      for await (const e of memory.read({ fromSeq: 5100 })) mem.push(e);
      const got: unknown[] = [];
      for await (const e of store.read({ fromSeq: 5100 })) got.push(e);
      expect(got).toEqual(mem);
      expect(await verifyLog(a)).toMatchObject({ ok: true, lastSeq: 5200 });
    } finally {
      await pgLog.close();
      await memLog.close();
    }
  });
});

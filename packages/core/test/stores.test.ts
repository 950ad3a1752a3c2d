import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CORE_ERRORS, S3404Error, defineErrors } from '@s3404/core';
import { PassThrough, PostgresSession, driverCode, openSqliteDatabase, storeFailure, type PostgresStoreSpec } from '@s3404/core/stores';

const url = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: url, max: 4 });
const prefixes: string[] = [];
let counter = 0;
const freshPrefix = (): string => {
  const p = `tk_${process.pid}_${counter++}_`;
  prefixes.push(p);
  return p;
};

const KIT = defineErrors({
  ERR_KIT_STORE_UNAVAILABLE: { kind: 'unavailable', fr: (p) => `Indisponible (${p.detail}).`, en: (p) => `Unavailable (${p.detail}).` },
});
class KitError extends S3404Error<'ERR_KIT_STORE_UNAVAILABLE'> {
  constructor(options: { cause?: unknown; detail: string }) {
    super(KIT, 'ERR_KIT_STORE_UNAVAILABLE', { params: { detail: options.detail }, cause: options.cause });
  }
}

const spec = (over: Partial<PostgresStoreSpec> = {}): PostgresStoreSpec => ({
  who: 'KitStore.open',
  defaultPrefix: 's3404_kit_',
  createPool: (config) => new pg.Pool(config),
  schema: (p) => ({
    ddl: `CREATE TABLE IF NOT EXISTS ${p}items (id text PRIMARY KEY, n integer NOT NULL); CREATE INDEX IF NOT EXISTS ${p}items_n ON ${p}items (n);`,
    relations: [`${p}items`, `${p}items_n`],
  }),
  schemaLock: '3404009999',
  unavailable: (cause, detail) => new KitError({ cause, detail }),
  misconfigured: (cause, detail) => new KitError({ cause, detail: `misconfigured ${detail}` }),
  corrupt: (cause, detail) => new KitError({ cause, detail: `corrupt ${detail}` }),
  ...over,
});

afterAll(async () => {
  for (const p of prefixes) await admin.query(`DROP TABLE IF EXISTS ${p}items`);
  await admin.end();
});

describe('PostgresSession (store kit)', () => {
  it('refuses malformed options with a TypeError naming the store', async () => {
    const bad: unknown[] = [
      null,
      {},
      { pool: admin, connectionString: url },
      { pool: {} },
      { connectionString: '' },
      { pool: admin, tablePrefix: 'Bad' },
      { pool: admin, tablePrefix: 'a;drop table x;' },
      { pool: admin, poolSize: 2 },
      { connectionString: url, poolSize: 0 },
      { pool: admin, createTables: 'yes' },
    ];
    for (const options of bad) await expect(PostgresSession.open(options as never, spec())).rejects.toThrow(/^KitStore\.open: /);
  });

  it('creates the schema once, even when many handles open at once, and runs no DDL when it is there', async () => {
    const tablePrefix = freshPrefix();
    const sessions = await Promise.all(Array.from({ length: 8 }, () => PostgresSession.open({ connectionString: url, tablePrefix, poolSize: 2 }, spec())));
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_class WHERE relname = ANY($1)', [[`${tablePrefix}items`, `${tablePrefix}items_n`]]);
    expect(rows[0].n).toBe(2);
    for (const s of sessions) await s.close();
    // With the schema there, opening takes no lock: it succeeds while another transaction holds the table.
    const blocker = await admin.connect();
    await blocker.query(`BEGIN; LOCK TABLE ${tablePrefix}items IN ACCESS EXCLUSIVE MODE`);
    const again = await PostgresSession.open({ pool: admin, tablePrefix }, spec());
    await blocker.query('ROLLBACK');
    blocker.release();
    await again.close();
  });

  it('turns driver failures into the store’s unavailable error with cause; coded errors and PassThrough reach the caller as they are', async () => {
    const s = await PostgresSession.open({ pool: admin, tablePrefix: freshPrefix() }, spec());
    const e = await s.query('get', 'SELECT * FROM no_such_table_anywhere').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KitError);
    expect((e as KitError).kind).toBe('unavailable');
    expect(driverCode(e)).toBe('42P01');
    expect((e as KitError).message).toMatch(/postgres get: 42P01/);
    const coded = new KitError({ detail: 'mine' });
    await expect(
      s.transaction('t', async () => {
        throw coded;
      }),
    ).rejects.toBe(coded);
    const mine = new RangeError('caller');
    await expect(
      s.transaction('t', async () => {
        throw new PassThrough(mine);
      }),
    ).rejects.toBe(mine);
    await expect(
      s.transaction('t', async () => {
        throw new Error('boom');
      }),
    ).rejects.toBeInstanceOf(KitError);
    await s.close();
    await s.close();
    // The pool was the caller's: still usable.
    expect((await admin.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('retries a transaction PostgreSQL aborted for a deadlock when asked, and ends only a pool it created', async () => {
    const tablePrefix = freshPrefix();
    const s = await PostgresSession.open({ connectionString: url, tablePrefix }, spec());
    let calls = 0;
    const result = await s.transaction(
      't',
      async (client) => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        await client.query(`INSERT INTO ${tablePrefix}items VALUES ('a', 1)`);
        return 'done';
      },
      { retries: 5 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    let once = 0;
    await expect(
      s.transaction('t', async () => {
        once++;
        throw Object.assign(new Error('serialization'), { code: '40001' });
      }),
    ).rejects.toBeInstanceOf(KitError);
    expect(once).toBe(1);
    await s.close();
    await expect(s.pool.query('SELECT 1')).rejects.toThrow();
  });

  it('a connection that breaks in the middle of a transaction is the unavailable error, never an uncaught one; the session goes on', async () => {
    // Before (issue 19), the checked-out connection had no 'error' listener: the driver's "Connection terminated
    // unexpectedly" was an uncaught exception, which ends a vendor's server process (vitest reports it here).
    const tablePrefix = freshPrefix();
    const s = await PostgresSession.open({ connectionString: url, tablePrefix, poolSize: 2 }, spec());
    try {
      for (const when of ['idle in transaction', 'in a statement'] as const) {
        const failed = await s
          .transaction('t', async (client) => {
            await client.query(`INSERT INTO ${tablePrefix}items VALUES ('x', 1)`);
            const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
            if (when === 'in a statement') {
              const running = client.query('SELECT pg_sleep(5)');
              // Its rejection may come before it is awaited below: handled from now on (awaited, it still throws).
              running.catch(() => undefined);
              await new Promise((r) => setTimeout(r, 100));
              await admin.query('SELECT pg_terminate_backend($1)', [pid[0]!.pid]);
              await running;
            } else {
              await admin.query('SELECT pg_terminate_backend($1)', [pid[0]!.pid]);
              // The connection breaks while nothing runs on it: the driver emits its error on the client.
              await new Promise((r) => setTimeout(r, 200));
              await client.query('SELECT 1');
            }
          })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(failed, when).toBeInstanceOf(KitError);
        // Rolled back, and the broken connection is not given out again.
        expect((await admin.query(`SELECT count(*)::int AS n FROM ${tablePrefix}items`)).rows[0].n).toBe(0);
        expect(await s.transaction('t', async (client) => (await client.query('SELECT 7 AS seven')).rows[0])).toEqual({ seven: 7 });
      }
    } finally {
      await s.close();
    }
  });

  it('an unreachable server is the unavailable error at open, not a raw driver error', async () => {
    const e = await PostgresSession.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix: freshPrefix() }, spec()).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(KitError);
    expect(driverCode(e)).toBe('ECONNREFUSED');
  });
});

describe('openSqliteDatabase (store kit)', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3404-kit-'));
  const sqliteSpec = {
    who: 'KitSqlite.open',
    openDatabase: (path: string, o: { timeout: number }) => new Database(path, o),
    schema: 'CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY) STRICT;',
    pragmas: ['foreign_keys = ON'],
    unavailable: (cause: unknown, detail: string) => new KitError({ cause, detail }),
    misconfigured: (cause: unknown, detail: string) => new KitError({ cause, detail: `misconfigured ${detail}` }),
    corrupt: (cause: unknown, detail: string) => new KitError({ cause, detail: `corrupt ${detail}` }),
  };

  it('opens with WAL, secure delete and the schema; concurrent opens of one file agree', async () => {
    const path = join(dir, 'a.sqlite');
    const dbs = await Promise.all(Array.from({ length: 4 }, () => openSqliteDatabase({ path }, sqliteSpec)));
    expect(dbs[0]!.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(dbs[0]!.pragma('secure_delete', { simple: true })).toBe(1);
    expect(dbs[0]!.pragma('foreign_keys', { simple: true })).toBe(1);
    for (const db of dbs) db.close();
  });

  it('refuses bad options with a TypeError and unusable files with the unavailable error', async () => {
    for (const bad of [{ path: '' }, { path: 'x', synchronous: 'off' }, { path: 'x', busyTimeoutMs: -1 }]) {
      await expect(openSqliteDatabase(bad as never, sqliteSpec)).rejects.toThrow(/^KitSqlite\.open: /);
    }
    writeFileSync(join(dir, 'not-a-db'), 'hello, this is not a database file at all, not even close'.repeat(20));
    // Not a database (the path names another file): no retry opens it (issue 19).
    await expect(openSqliteDatabase({ path: join(dir, 'not-a-db') }, sqliteSpec)).rejects.toMatchObject({
      params: { detail: 'misconfigured sqlite open: SQLITE_NOTADB' },
    });
    // A directory that does not exist: no retry opens it, the spec's misconfigured error (issue 19).
    await expect(openSqliteDatabase({ path: join(dir, 'missing/dir/x.sqlite') }, sqliteSpec)).rejects.toMatchObject({
      params: { detail: 'misconfigured sqlite open: SQLITE_CANTOPEN' },
    });
  });

  it('storeFailure keeps coded errors and wraps the rest', () => {
    const coded = new KitError({ detail: 'x' });
    expect(storeFailure(coded, () => new Error('no'))).toBe(coded);
    const raw = new Error('raw');
    const wrapped = storeFailure(raw, (cause) => new KitError({ cause, detail: 'y' }));
    expect(wrapped).toBeInstanceOf(KitError);
    expect((wrapped as KitError).cause).toBe(raw);
    expect(CORE_ERRORS.has('ERR_KIT_STORE_UNAVAILABLE')).toBe(false);
  });
});

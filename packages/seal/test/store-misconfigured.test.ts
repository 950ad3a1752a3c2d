import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsumer, SEAL_ERRORS, type ConsumptionStore, type PendingEntry } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { PostgresConsumptionStore } from '@s3404/seal/postgres';
import { RedisConsumptionStore, RedisContextRegistry } from '@s3404/seal/redis';
import { openConsumptionStore } from '@s3404/seal/stores';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { at, fixture, sealInsured } from './helpers.js';

// Issue 19: a backend that refuses the store for good — a role without a grant, a table not migrated, an ACL without
// EVAL, a file SQLite cannot open — was reported ERR_STORE_UNAVAILABLE, kind `unavailable`: "retry later". A fleet
// retried for ever and no alert asked anyone to fix a grant. Now ERR_STORE_MISCONFIGURED, kind `internal` (HTTP 500).

const pgUrl = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.S3404_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const tag = `${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Pool({ connectionString: pgUrl, max: 2 });
const redisAdmin = new Redis(redisUrl, { lazyConnect: true });
const dir = mkdtempSync(join(tmpdir(), 's3404-misconfigured-'));
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await admin.end();
  await redisAdmin.quit();
  rmSync(dir, { recursive: true, force: true });
});

const codeOf = (p: Promise<unknown>): Promise<{ code?: string; kind?: string; message?: string }> =>
  p.then(
    () => ({}),
    (e: { code?: string; kind?: string; message?: string }) => e,
  );

/** A record of its own, deposited and consumed through `store` by a consumer on the fixture's clock. */
async function consumerOn(store: ConsumptionStore, seed: number) {
  const f = await fixture({ seed });
  const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
  const sealed = await sealInsured(f);
  return { consumer, sealed, target: { bordereauId: f.bordereauId, contentHash: f.contentHash } };
}

describe('a consumption store its backend refuses for good (issue 19)', () => {
  it('is a kind of its own in the catalogue: internal, in French and English, never "retry later"', () => {
    expect(SEAL_ERRORS.kind('ERR_STORE_MISCONFIGURED')).toBe('internal');
    expect(SEAL_ERRORS.message('ERR_STORE_MISCONFIGURED', { detail: 'postgres deposit: 42501 insufficient_privilege' }, 'fr')).toContain(
      "réessayer n'y changera rien",
    );
    expect(SEAL_ERRORS.message('ERR_STORE_MISCONFIGURED', { detail: 'x' }, 'en')).toContain('retrying will not help');
  });

  it("a vendor's store that throws its driver's errors as they are: a refusal is ERR_STORE_MISCONFIGURED, an outage ERR_STORE_UNAVAILABLE", async () => {
    class VendorStore extends MemoryConsumptionStore {
      next: Error | undefined;
      override async putPending(entry: PendingEntry) {
        const e = this.next;
        this.next = undefined;
        if (e !== undefined) throw e;
        await super.putPending(entry);
      }
    }
    const store = new VendorStore();
    const { consumer, sealed } = await consumerOn(store, 906);
    store.next = Object.assign(new Error('permission denied for table pending'), { code: '42501' });
    expect(await codeOf(consumer.deposit(sealed))).toMatchObject({
      code: 'ERR_STORE_MISCONFIGURED',
      kind: 'internal',
      params: { detail: 'putPending: 42501 insufficient_privilege' },
    });
    store.next = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(await codeOf(consumer.deposit(sealed))).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
    expect(await consumer.deposit(sealed)).toHaveProperty('handle');
  });

  it('PostgreSQL: a role without its grants, then with them; a claim refused is no half-done use (SIG-5)', async () => {
    const tablePrefix = `mc_${tag}_`;
    const role = `s3404_mc_${tag}`;
    const owner = await PostgresConsumptionStore.open({ pool: admin, tablePrefix });
    cleanups.push(async () => {
      await owner.dropTables();
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    });
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    const { hostname, port, pathname } = new URL(pgUrl);
    // The schema exists: the probe finds it and runs no DDL, so the store opens; its first statement is refused.
    const roleUrl = `postgres://${role}@${hostname}:${port || 5432}${pathname}`;
    // A schema missing and a role that may not create it (PostgreSQL 15 gives no CREATE on `public`): refused at open.
    const fresh = await codeOf(PostgresConsumptionStore.open({ connectionString: roleUrl, tablePrefix: `mcf_${tag}_` }));
    expect(fresh).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
    expect(fresh.message).toMatch(/postgres open: 42501 insufficient_privilege/);
    const store = await PostgresConsumptionStore.open({ connectionString: roleUrl, tablePrefix });
    cleanups.push(() => store.close());
    const { consumer, sealed, target } = await consumerOn(store, 901);
    const refused = await codeOf(consumer.deposit(sealed));
    expect(refused).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
    expect(refused.message).toMatch(/42501 insufficient_privilege/);

    // The pending table granted, the tombstones only readable: the claim is refused — not ERR_CONSUME_INCOMPLETE
    // (a lost answer), since PostgreSQL rolled the claim back whole.
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${tablePrefix}pending TO ${role}`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    const { handle } = await consumer.deposit(sealed);
    expect(await codeOf(consumer.consume({ handle }, { target, requestId: 'mc-1' }))).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED' });
    // The grant fixed, the same request id consumes the record once.
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    expect(await consumer.consume({ handle }, { target, requestId: 'mc-1' })).toMatchObject({ status: 'consumed' });
    expect(await codeOf(consumer.consume({ handle }, { target, requestId: 'mc-2' }))).toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
  });

  it('PostgreSQL: a table the schema lacks (an upgrade whose DDL was not run) is ERR_STORE_MISCONFIGURED, not a retry', async () => {
    const tablePrefix = `mc2_${tag}_`;
    const owner = await PostgresConsumptionStore.open({ pool: admin, tablePrefix });
    cleanups.push(() => owner.dropTables());
    await admin.query(`ALTER TABLE ${tablePrefix}pending RENAME TO ${tablePrefix}pending_old`);
    cleanups.push(() => admin.query(`DROP TABLE IF EXISTS ${tablePrefix}pending_old`));
    const store = await PostgresConsumptionStore.open({ pool: admin, tablePrefix, createTables: false });
    const { consumer, sealed } = await consumerOn(store, 902);
    const refused = await codeOf(consumer.deposit(sealed));
    expect(refused).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
    expect(refused.message).toMatch(/42P01 undefined_table/);
    // A server that does not answer is still "retry later".
    const down = await PostgresConsumptionStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', tablePrefix, createTables: false });
    expect(await codeOf(down.countPending())).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
    await down.close();
  });

  it('Redis: an ACL user without EVAL is ERR_STORE_MISCONFIGURED (NOPERM) at open and at deposit; with it, the same deposit goes through', async () => {
    const user = `s3404mc${tag}`;
    const prefix = `mc:${tag}:`;
    await redisAdmin.connect();
    await redisAdmin.call('ACL', 'SETUSER', user, 'on', '>mc-secret', '~*', '&*', '+@all', '-eval', '-evalsha', '-script');
    cleanups.push(async () => {
      await redisAdmin.call('ACL', 'DELUSER', user);
      const keys = await redisAdmin.keys(`${prefix}*`);
      if (keys.length > 0) await redisAdmin.del(...keys);
    });
    const withUser = new URL(redisUrl);
    withUser.username = user;
    withUser.password = 'mc-secret';
    const url = withUser.toString();
    // Refused when the store opens, before any record is deposited; on a client of the application's too.
    const atOpen = await codeOf(RedisConsumptionStore.open({ url, prefix }));
    expect(atOpen).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
    expect(atOpen.message).toMatch(/NOPERM/);
    const appClient = new Redis(url);
    try {
      expect(await codeOf(RedisConsumptionStore.open({ client: appClient, prefix }))).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED' });
    } finally {
      appClient.disconnect();
    }
    // An ACL changed after the store opened: each deposit is refused for good, until EVAL is granted again.
    await redisAdmin.call('ACL', 'SETUSER', user, '+eval', '+evalsha', '+script');
    const store = await RedisConsumptionStore.open({ url, prefix });
    cleanups.push(() => store.close());
    await redisAdmin.call('ACL', 'SETUSER', user, '-eval', '-evalsha', '-script');
    const { consumer, sealed } = await consumerOn(store, 903);
    const refused = await codeOf(consumer.deposit(sealed));
    expect(refused).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
    expect(refused.message).toMatch(/NOPERM/);
    await redisAdmin.call('ACL', 'SETUSER', user, '+eval', '+evalsha', '+script');
    expect(await consumer.deposit(sealed)).toHaveProperty('handle');
    // A wrong password is refused for good too.
    const wrong = await codeOf(RedisConsumptionStore.open({ url: url.replace('mc-secret', 'not-it'), prefix }));
    expect(wrong).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED' });
    expect(wrong.message).toMatch(/WRONGPASS/);
  });

  it('Redis: a database index the server does not have is ERR_STORE_MISCONFIGURED at open, never a store writing into database 0', async () => {
    const probe = `s3404_dbidx_${tag}:`;
    const [, databases] = (await redisAdmin.call('CONFIG', 'GET', 'databases')) as [string, string];
    const outside = Number(databases) + 3;
    for (const open of [
      () => RedisConsumptionStore.open({ url: `${redisUrl}/${outside}`, prefix: probe }),
      () => RedisContextRegistry.open({ url: `${redisUrl}/${outside}`, prefix: probe }),
      () => openConsumptionStore(`${redisUrl}/${outside}?prefix=${encodeURIComponent(probe)}`),
    ]) {
      const refused = await codeOf(open());
      expect(refused, String(refused.message)).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
      expect(refused.message).toMatch(/DB index is out of range/);
    }
    // Nothing of the refused store reached database 0 (ioredis goes on there after a refused SELECT).
    expect(await redisAdmin.keys(`${probe}*`)).toEqual([]);
    // A database the server has opens as before.
    const inside = await RedisConsumptionStore.open({ url: `${redisUrl}/${Number(databases) - 1}`, prefix: probe });
    await inside.close();
  });

  it('SQLite: a table dropped behind the store, a directory that does not exist; a busy file is still "retry later"', async () => {
    const path = join(dir, 'dropped.sqlite');
    const store = await SqliteConsumptionStore.open({ path });
    cleanups.push(() => store.close());
    const behind = new Database(path);
    behind.exec('DROP TABLE pending');
    behind.close();
    const { consumer, sealed } = await consumerOn(store, 904);
    const refused = await codeOf(consumer.deposit(sealed));
    expect(refused).toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
    expect(refused.message).toMatch(/no such table/);
    expect(await codeOf(SqliteConsumptionStore.open({ path: join(dir, 'no-such-dir', 'store.sqlite') }))).toMatchObject({
      code: 'ERR_STORE_MISCONFIGURED',
      message: expect.stringMatching(/SQLITE_CANTOPEN/),
    });
    const busyPath = join(dir, 'busy.sqlite');
    const busyStore = await SqliteConsumptionStore.open({ path: busyPath, busyTimeoutMs: 0 });
    cleanups.push(() => busyStore.close());
    const holder = new Database(busyPath);
    holder.exec('BEGIN EXCLUSIVE');
    const busy = await consumerOn(busyStore, 905);
    expect(await codeOf(busy.consumer.deposit(busy.sealed))).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
    holder.exec('ROLLBACK');
    holder.close();
  });
});

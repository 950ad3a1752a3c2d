/**
 * `pnpm bench` for single use (SIG-5, SIG-6): consumes per second on each
 * store with 16 concurrent clients, against the bare primitive of the same
 * backend measured in the same run (the research's peers: a PostgreSQL
 * `DELETE … RETURNING`, Redis `GETDEL`, the same in SQLite, a `Map.delete`).
 * The peer claims without a ledger, so it cannot refuse a replayed copy once
 * the row is gone: it is the floor of what one atomic step costs there.
 *
 * - "store consume" = the store's claim (tombstone + pending mark, atomic)
 *   then complete (tombstone completed + pending bytes deleted, atomic): the
 *   two steps `Consumer.consume` makes on the store.
 * - "full consume" = `Consumer.consume` of real sealed records: CMS
 *   verification (ECDSA P-256), binding check, tombstone lookup, claim,
 *   complete. Bounded by signature verification, not by the store.
 *
 * Run: pnpm --filter @s3404/seal bench   (or `pnpm bench` at the root).
 * Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (or
 * S3404_TEST_POSTGRES_URL / S3404_TEST_REDIS_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Redis } from 'ioredis';
import { machine } from '@s3404/tooling/bench';
import { createConsumer, type ConsumptionStore, type SealedRecord } from '../src/index.js';
import { MemoryConsumptionStore } from '../src/memory/index.js';
import { SqliteConsumptionStore } from '../src/sqlite/index.js';
import { PostgresConsumptionStore } from '../src/postgres/index.js';
import { RedisConsumptionStore } from '../src/redis/index.js';
import { at, fixture } from '../test/helpers.js';
import { bordereauOf, sealMany } from '../test/store-contract.js';

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const CLIENTS = 16;
const BYTES = new Uint8Array(1800).fill(7); // about the size of a sealed record
const tag = `bench${process.pid}`;

interface Row {
  readonly name: string;
  readonly ops: number;
  readonly perSecond: number;
}

async function throughput(name: string, n: number, fn: (i: number) => Promise<unknown>): Promise<Row> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return { name, ops: n, perSecond: (n / (performance.now() - t0)) * 1000 };
}

const uuid = (i: number, salt: number): string => {
  const h = (i * 2654435761 + salt).toString(16).padStart(12, '0').slice(-12);
  return `${salt.toString(16).padStart(8, '0').slice(-8)}-0000-4000-8000-${h}`;
};
const digest = (i: number, salt: number): string => (salt.toString(16) + i.toString(16).padStart(16, '0')).padStart(64, 'a');

/** claim + complete of `n` pre-deposited entries, 16 at a time. */
async function storeConsume(name: string, store: ConsumptionStore, n: number, salt: number): Promise<Row> {
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  for (let i = 0; i < n; i++) await store.putPending({ recordId: uuid(i, salt), digest: digest(i, salt), bytes: BYTES, expiresAt });
  const at0 = new Date().toISOString();
  return throughput(name, n, async (i) => {
    const recordId = uuid(i, salt);
    const c = await store.claim({ recordId, digest: digest(i, salt), target: 'bordereau:X', requestId: `r${i}`, consumer: 'bench', claimedAt: at0 });
    if (c.kind !== 'claimed') throw new Error('lost a claim');
    await store.complete({ recordId, requestId: `r${i}`, at: at0 });
  });
}

function print(title: string, ours: Row, peer: Row, goal?: number): void {
  console.log(`### ${title}\n`);
  console.log('| implementation | ops | consumes per second | ÷ peer |');
  console.log('|---|---:|---:|---:|');
  console.log(`| ${ours.name} | ${ours.ops} | ${ours.perSecond.toFixed(0)} | ${(ours.perSecond / peer.perSecond).toFixed(2)}× |`);
  console.log(`| ${peer.name} (peer) | ${peer.ops} | ${peer.perSecond.toFixed(0)} | 1.00 |`);
  if (goal !== undefined) console.log(`\nGoal ≥ ${goal.toLocaleString('en')}/s: ${ours.perSecond >= goal ? 'met' : 'NOT met'}.`);
  console.log('');
}

async function main(): Promise<void> {
  console.log(`## @s3404/seal consumption — ${CLIENTS} concurrent clients\n\n${await machine()}\n`);
  const dir = mkdtempSync(join(tmpdir(), 's3404-bench-'));
  try {
    // Memory.
    {
      const n = 200_000;
      const ours = await storeConsume('MemoryConsumptionStore', new MemoryConsumptionStore(), n, 1);
      const map = new Map<string, Uint8Array>();
      for (let i = 0; i < n; i++) map.set(uuid(i, 2), BYTES);
      const peer = await throughput('Map get + delete', n, async (i) => {
        const k = uuid(i, 2);
        if (map.get(k) === undefined || !map.delete(k)) throw new Error('lost');
      });
      print('In memory: store consume', ours, peer, 20_000);
    }
    // Embedded SQLite (synchronous FULL by default, and NORMAL).
    for (const synchronous of ['full', 'normal'] as const) {
      const n = 5_000;
      const store = await SqliteConsumptionStore.open({ path: join(dir, `ours-${synchronous}.sqlite`), synchronous });
      const ours = await storeConsume(`SqliteConsumptionStore (synchronous=${synchronous})`, store, n, 3);
      await store.close();
      const db = new Database(join(dir, `peer-${synchronous}.sqlite`));
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
      db.exec('CREATE TABLE pending (record_id TEXT PRIMARY KEY, bytes BLOB NOT NULL) STRICT');
      const ins = db.prepare('INSERT INTO pending VALUES (?, ?)');
      db.transaction(() => {
        for (let i = 0; i < n; i++) ins.run(uuid(i, 4), BYTES);
      })();
      const del = db.prepare<[string], { bytes: Buffer }>('DELETE FROM pending WHERE record_id = ? RETURNING bytes');
      const peer = await throughput('better-sqlite3 DELETE … RETURNING', n, async (i) => {
        if (del.get(uuid(i, 4)) === undefined) throw new Error('lost');
      });
      db.close();
      print(`Embedded SQLite, synchronous=${synchronous}: store consume`, ours, peer);
    }
    // PostgreSQL.
    {
      const n = 20_000;
      const pool = new pg.Pool({ connectionString: PG, max: CLIENTS });
      const store = await PostgresConsumptionStore.open({ pool, tablePrefix: `${tag}_` });
      const ours = await storeConsume('PostgresConsumptionStore', store, n, 5);
      await store.dropTables();
      await pool.query(`CREATE TABLE ${tag}_peer (record_id uuid PRIMARY KEY, bytes bytea NOT NULL)`);
      await pool.query(
        `INSERT INTO ${tag}_peer SELECT ('00000005-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, $1 FROM generate_series(0, $2::int - 1) i`,
        [Buffer.from(BYTES), n],
      );
      const peer = await throughput('pg DELETE … RETURNING', n, async (i) => {
        const r = await pool.query(`DELETE FROM ${tag}_peer WHERE record_id = $1 RETURNING bytes`, [
          `00000005-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        ]);
        if (r.rowCount !== 1) throw new Error('lost');
      });
      await pool.query(`DROP TABLE ${tag}_peer`);
      await pool.end();
      print('PostgreSQL: store consume', ours, peer, 2_000);
    }
    // Redis.
    {
      const n = 20_000;
      const client = new Redis(REDIS);
      const store = await RedisConsumptionStore.open({ client, prefix: `${tag}:` });
      const ours = await storeConsume('RedisConsumptionStore', store, n, 6);
      const buf = Buffer.from(BYTES);
      for (let i = 0; i < n; i += 1000) {
        const m = client.multi();
        for (let j = i; j < Math.min(n, i + 1000); j++) m.set(`${tag}:peer:${j}`, buf);
        await m.exec();
      }
      const peer = await throughput('ioredis GETDEL', n, async (i) => {
        if ((await client.getdelBuffer(`${tag}:peer:${i}`)) === null) throw new Error('lost');
      });
      const keys = await client.keys(`${tag}:*`);
      for (let i = 0; i < keys.length; i += 1000) await client.del(...keys.slice(i, i + 1000));
      client.disconnect();
      print('Redis: store consume', ours, peer);
    }
    // Full consume: verification included.
    {
      const f = await fixture();
      const records: SealedRecord[] = await sealMany(f, 3_000, 99);
      const rows: Row[] = [];
      for (const [name, open] of [
        ['Consumer.consume on memory', async () => new MemoryConsumptionStore()],
        ['Consumer.consume on PostgreSQL', async () => PostgresConsumptionStore.open({ connectionString: PG, tablePrefix: `${tag}_full_`, poolSize: CLIENTS })],
      ] as const) {
        const store: ConsumptionStore = await open();
        const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
        rows.push(
          await throughput(name, records.length, (i) =>
            consumer.consume({ bytes: records[i]!.bytes }, { target: { bordereauId: bordereauOf(records[i]!) }, requestId: `full-${i}` }),
          ),
        );
        if (store instanceof PostgresConsumptionStore) await store.dropTables();
        await store.close();
      }
      console.log('### Full consume (CMS verification + binding + claim + complete)\n');
      console.log('| implementation | ops | consumes per second |');
      console.log('|---|---:|---:|');
      for (const r of rows) console.log(`| ${r.name} | ${r.ops} | ${r.perSecond.toFixed(0)} |`);
      console.log('\nBounded by ECDSA P-256 verification (see the seal benchmark), whatever the store.\n');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

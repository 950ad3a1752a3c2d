import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, captureFor, noisePng, startServe, TestTerminal, type Served } from './serve-kit.js';

/**
 * SIG-5 across processes: two `s3404 serve` sharing one single-use ledger
 * (PostgreSQL, and Redis) and one seal (`--pki`). A record sealed and used
 * through one process is refused through the other; both asked at once,
 * exactly one uses it. The pending record's key travels in the handle only,
 * so the second process can open a record the first one sealed. No row of
 * the ledger holds the image.
 */
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const tag = `serve${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 's3404-serve-shared-'));
const pki = join(work, 'pki');
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';

beforeAll(() => {
  const r = spawnSync('node', [BIN, 'pki', 'init', pki], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  const { PostgresConsumptionStore } = await import('@s3404/seal/postgres');
  const store = await PostgresConsumptionStore.open({ connectionString: PG, tablePrefix: `${tag}_` });
  await store.dropTables();
  await store.close();
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`${tag}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** Every value the ledger holds, as text (PostgreSQL rows or Redis values of this run). */
async function ledgerText(kind: 'postgres' | 'redis'): Promise<string> {
  if (kind === 'postgres') {
    const driver = 'pg'; // untyped here: the CLI has no @types/pg
    const { default: pg } = (await import(driver)) as { default: { Client: new (o: object) => any } };
    const client = new pg.Client({ connectionString: PG });
    await client.connect();
    try {
      const tables: { rows: { table_name: string }[] } = await client.query('SELECT table_name FROM information_schema.tables WHERE table_name LIKE $1', [
        `${tag}_%`,
      ]);
      expect(tables.rows.length).toBeGreaterThan(0);
      let text = '';
      for (const { table_name } of tables.rows) {
        const rows: { rows: Record<string, unknown>[] } = await client.query(`SELECT * FROM "${table_name}"`);
        for (const row of rows.rows) for (const v of Object.values(row)) text += `${Buffer.isBuffer(v) ? v.toString('latin1') : JSON.stringify(v)}\n`;
      }
      return text;
    } finally {
      await client.end();
    }
  }
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS);
  try {
    let text = '';
    for (const key of await redis.keys(`${tag}:*`)) {
      const type = await redis.type(key);
      if (type === 'string') text += (await redis.getBuffer(key))?.toString('latin1') ?? '';
      else if (type === 'hash') for (const v of Object.values(await redis.hgetallBuffer(key))) text += v.toString('latin1');
      else if (type === 'zset') text += (await redis.zrange(key, '0', '-1')).join('\n');
    }
    return text;
  } finally {
    redis.disconnect();
  }
}

describe.each([
  ['postgres' as const, `${PG}?tablePrefix=${tag}_`],
  ['redis' as const, `${REDIS}?prefix=${tag}:`],
])('two s3404 serve processes sharing %s (SIG-5)', (kind, store) => {
  let a: Served;
  let b: Served;
  let onA: TestTerminal;
  let onB: TestTerminal;
  const pngs: Buffer[] = [];

  beforeAll(async () => {
    [a, b] = await Promise.all([startServe(['--store', store, '--pki', pki]), startServe(['--store', store, '--pki', pki])]);
    // One tablet, one key pair, enrolled on each process (their terminal lists are their own).
    onA = await new TestTerminal(a.url, 'tablette-partagee').init();
    onB = new TestTerminal(b.url, 'tablette-partagee');
    onB.keys = onA.keys;
    expect((await onA.pair(a.codes[0]!)).status).toBe(201);
    expect((await onB.pair(b.codes[0]!)).status).toBe(201);
  });

  afterAll(async () => {
    expect(await a?.stop()).toBe(0);
    expect(await b?.stop()).toBe(0);
  });

  /** A record sealed through A for a slot: its handle. */
  const sealOnA = async (slot: string, seed: number): Promise<string> => {
    const ctx = await onA.request('POST', '/v1/contexts', { bordereauId: ID, slot });
    expect(ctx.status, JSON.stringify(ctx.json)).toBe(201);
    const p = noisePng(1000, 400, seed);
    pngs.push(p);
    const deposit = await onA.request('POST', '/v1/captures', captureFor(ctx.json, p));
    expect(deposit.status, JSON.stringify(deposit.json)).toBe(201);
    return deposit.json.handle as string;
  };

  it('a record used through one process is refused through the other', async () => {
    const handle = await sealOnA('insured', 100);
    const used = await onA.request('POST', '/v1/records/consume', { handle, bordereauId: ID });
    expect(used.status, JSON.stringify(used.json)).toBe(200);
    expect(used.json.status).toBe('applied');
    const other = await onB.request('POST', '/v1/records/consume', { handle, bordereauId: ID });
    expect([other.status, other.json.code]).toEqual([409, 'ERR_RECORD_REPLAYED']);
    // And the reverse: sealed through A, used through B (its key in the handle), refused through A.
    const second = await sealOnA('line:1', 101);
    const throughB = await onB.request('POST', '/v1/records/consume', { handle: second, bordereauId: ID });
    expect(throughB.json.status, JSON.stringify(throughB.json)).toBe('applied');
    const backOnA = await onA.request('POST', '/v1/records/consume', { handle: second, bordereauId: ID });
    expect([backOnA.status, backOnA.json.code]).toEqual([409, 'ERR_RECORD_REPLAYED']);
  });

  it('both processes asked at once for the same record: exactly one uses it', async () => {
    for (const [i, slot] of ['line:2', 'line:3'].entries()) {
      const handle = await sealOnA(slot, 200 + i);
      const answers = await Promise.all([
        onA.request('POST', '/v1/records/consume', { handle, bordereauId: ID }),
        onB.request('POST', '/v1/records/consume', { handle, bordereauId: ID }),
      ]);
      const applied = answers.filter((r) => r.status === 200 && r.json.status === 'applied');
      expect(applied, JSON.stringify(answers.map((r) => r.json))).toHaveLength(1);
      const loser = answers.find((r) => r !== applied[0])!;
      expect(loser.status, JSON.stringify(loser.json)).toBe(409);
      expect(loser.json.code).toBe('ERR_RECORD_REPLAYED');
    }
  });

  it('the shared ledger holds no image: neither the PNG nor its base64, pending records included (ciphertext only)', async () => {
    const pending = await sealOnA('director', 300); // left pending: its encrypted record is in the ledger
    const recordId = /^s3404-pending\.1\.([0-9a-f-]{36})\./.exec(pending)![1]!;
    const text = await ledgerText(kind);
    expect(text).toContain(recordId);
    for (const p of pngs) {
      expect(text.includes(p.toString('latin1'))).toBe(false);
      expect(text.includes(p.toString('base64').slice(100, 164))).toBe(false);
      expect(text.includes(p.subarray(41, 105).toString('latin1'))).toBe(false);
    }
  });
});

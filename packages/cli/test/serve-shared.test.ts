import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPdfRevisions } from '@s3404/form/pdf';
import { dropTestState } from './backend-cleanup.js';
import { BIN, captureFor, noisePng, startServe, TestTerminal, type Served } from './serve-kit.js';

/**
 * SIG-5 across processes: two `s3404 serve` sharing one single-use ledger
 * (PostgreSQL, and Redis) and one seal (`--pki`). A record sealed and used
 * through one process is refused through the other; both asked at once,
 * exactly one uses it. The pending record's key travels in the handle only,
 * so the second process can open a record the first one sealed. No row of
 * the ledger holds the image. Sharing one `--state DIR` too, the processes
 * apply every used record to the one PDF of its bordereau (SIG-5, SIG-6).
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
  const { PostgresConsumptionStore, PostgresContextRegistry } = await import('@s3404/seal/postgres');
  for (const tablePrefix of [`${tag}_`, `${tag}_state_`]) {
    const store = await PostgresConsumptionStore.open({ connectionString: PG, tablePrefix });
    await store.dropTables();
    await store.close();
    const contexts = await PostgresContextRegistry.open({ connectionString: PG, tablePrefix });
    await contexts.dropTables();
    await contexts.close();
  }
  await dropTestState({ postgres: PG, tables: [`${tag}_serve_nonces`, `${tag}_state_serve_nonces`], redis: REDIS, keys: `${tag}:*` });
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

  it('warns at start that, with --store but no --state, the signed PDFs stay in each process (share --state DIR)', async () => {
    for (const p of [a, b]) await expect.poll(() => p.stderr()).toMatch(/--store (sans|without) --state.*--state DIR\./);
  });

  it('a context shown by one process is captured through the other, once: a tablet behind a load balancer (SIG-1)', async () => {
    const ctx = await onA.request('POST', '/v1/contexts', { bordereauId: ID, slot: 'line:2' });
    expect(ctx.status, JSON.stringify(ctx.json)).toBe(201);
    const png = noisePng(1000, 400, 50);
    pngs.push(png);
    const capture = captureFor(ctx.json, png);
    const sealed = await onB.request('POST', '/v1/captures', capture);
    expect(sealed.status, JSON.stringify(sealed.json)).toBe(201);
    expect(sealed.json.handle).toMatch(/^s3404-pending\.1\./);
    // The context is used: the same capture again, through either process, is refused.
    for (const t of [onA, onB]) {
      const again = await t.request('POST', '/v1/captures', capture);
      expect([again.status, again.json.code]).toEqual([409, 'ERR_CONTEXT_UNKNOWN']);
    }
  });

  it('a signed request replayed to the other process is refused, as it is by the first (SIG-7)', async () => {
    const first = await onA.request('GET', '/v1/bordereaux');
    expect(first.status).toBe(200);
    const replayed = { ...onA.lastHeaders };
    for (const served of [b, a]) {
      const r = await fetch(`${served.url}/v1/bordereaux`, { headers: replayed });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { code?: string }).code).toBe('ERR_TERMINAL_NONCE_REPLAYED');
    }
  });

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

describe('two s3404 serve processes sharing PostgreSQL and one --state DIR (SIG-5, SIG-6)', () => {
  const state = join(work, 'state');
  const store = `${PG}?tablePrefix=${tag}_state_`;
  /** Three bordereaux of the demo: 7, 5 and 4 slots (insured, director, each line; one line « pour mandat »). */
  const IDS = ['JDG38-JBVPR-YTV7Q-45Z28-45ZV7-8', ID, 'TCS3V-ZJ87G-49MPS-88CP5-KJW10-2'];
  let a: Served;
  let b: Served;
  let onA: TestTerminal;
  let onB: TestTerminal;

  beforeAll(async () => {
    const args = ['--store', store, '--pki', pki, '--state', state];
    [a, b] = await Promise.all([startServe(args), startServe(args)]);
    // One tablet enrolled through A; B reads the terminals of the shared DIR/serve/terminals.json.
    onA = await new TestTerminal(a.url, 'tablette-etat-partage').init();
    onB = new TestTerminal(b.url, 'tablette-etat-partage');
    onB.keys = onA.keys;
    expect((await onA.pair(a.codes[0]!)).status).toBe(201);
    expect((await onB.pair(b.codes[0]!)).status).toBe(200); // already enrolled, same key
  }, 60_000);

  afterAll(async () => {
    expect(await a?.stop()).toBe(0);
    expect(await b?.stop()).toBe(0);
  });

  it('every slot of three bordereaux sealed half through each process and used all at once through both: every signature is on the PDF', async () => {
    const listed = await onA.request('GET', '/v1/bordereaux');
    expect(listed.status).toBe(200);
    const jobs: { id: string; slot: string; seal: TestTerminal; use: TestTerminal }[] = [];
    for (const id of IDS) {
      const entry = (listed.json.bordereaux as { id: string; slots: { id: string; signed: boolean }[] }[]).find((x) => x.id === id)!;
      expect(entry.slots.every((s) => !s.signed)).toBe(true);
      // Slot k sealed through one process and used through the other, alternately: each bordereau's uses are split across both.
      for (const [k, s] of entry.slots.entries()) jobs.push({ id, slot: s.id, seal: k % 2 === 0 ? onA : onB, use: k % 2 === 0 ? onB : onA });
    }
    expect(jobs).toHaveLength(16);
    const handles = await Promise.all(
      jobs.map(async (j, k) => {
        const ctx = await j.seal.request('POST', '/v1/contexts', { bordereauId: j.id, slot: j.slot });
        expect(ctx.status, JSON.stringify(ctx.json)).toBe(201);
        const deposit = await j.seal.request('POST', '/v1/captures', captureFor(ctx.json, noisePng(1000, 400, 500 + k)));
        expect(deposit.status, JSON.stringify(deposit.json)).toBe(201);
        return deposit.json.handle as string;
      }),
    );
    // A process killed while holding a bordereau's lock (its record names a pid that is gone): taken over, not waited for.
    const lock = join(state, 'bordereaux', `${IDS[0]}.pdf.lock.d`);
    const top = Math.max(0, ...readdirSync(lock).map((n) => Number(/^(\d+)$/.exec(n)?.[1] ?? 0)));
    writeFileSync(join(lock, String(top + 1)), `${spawnSync('true').pid} ${hostname()} killed\n`);
    // All at once: within a process one use per bordereau at a time, across the two the lock of the bordereau's file.
    const used = await Promise.all(jobs.map((j, k) => j.use.request('POST', '/v1/records/consume', { handle: handles[k], bordereauId: j.id })));
    for (const u of used) expect([u.status, u.json.status], JSON.stringify(u.json)).toEqual([200, 'applied']);
    for (const id of IDS) {
      const count = jobs.filter((j) => j.id === id).length;
      const file = join(state, 'bordereaux', `${id}.pdf`);
      expect(listPdfRevisions(new Uint8Array(readFileSync(file))).revisions, id).toHaveLength(1 + count);
      expect(spawnSync('qpdf', ['--check', file]).status, id).toBe(0);
      for (const t of [onA, onB]) {
        const pdf = await t.request('GET', `/v1/bordereaux/${id}/pdf`);
        expect(listPdfRevisions(new Uint8Array(pdf.bytes)).revisions, `${t.url} ${id}`).toHaveLength(1 + count);
      }
    }
    for (const t of [onA, onB]) {
      const after = await t.request('GET', '/v1/bordereaux');
      for (const id of IDS) {
        const entry = (after.json.bordereaux as { id: string; complete: boolean; slots: { id: string; signed: boolean }[] }[]).find((x) => x.id === id)!;
        expect(
          entry.slots.filter((s) => !s.signed).map((s) => s.id),
          `${t.url} ${id}`,
        ).toEqual([]);
        expect(entry.complete).toBe(true);
      }
    }
    expect(a.stderr() + b.stderr()).not.toMatch(/--store (sans|without) --state/);
  }, 60_000);
});

/**
 * Attacks on the PostgreSQL copy of a lot container from its file
 * (`createFromFile`, SCOR-3, X-2, issue 19): the connection cut in the
 * middle of the copy, the process SIGKILLed in the middle of it while
 * another instance waits to register the same lot, and two instances of a
 * fleet registering the same lot at once. Each must leave either the whole
 * lot or nothing — never a lot row whose container is short of chunks —
 * and the store must go on working.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LotRecord } from '@s3404/scor';
import { PostgresLotStore } from '@s3404/scor/postgres';
import { withTemp } from './fixtures/tools.js';
import { lotRecord } from './lot-store-contract.js';

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const WORKER = join(import.meta.dirname, 'workers/file-worker.ts');
const MiB = 1024 * 1024;
/** Chunks of the container: enough that the copy lasts long enough to be cut in the middle. */
const CHUNKS = 40;
const prefix = `t_scorx_${process.pid}_`;
const admin = new pg.Pool({ connectionString: PG, max: 2 });

beforeAll(async () => {
  // The tables, made once by the SDK (the workers open the store without creating them).
  await (await PostgresLotStore.open({ pool: admin, tablePrefix: prefix })).close();
});

afterAll(async () => {
  await (await PostgresLotStore.open({ pool: admin, tablePrefix: prefix, createTables: false })).dropTables();
  await admin.end();
});

/** A container of `CHUNKS` MiB less a little, written to a file, and the record that describes it. */
function bigContainer(dir: string, n: number): { record: LotRecord; path: string; sha256: string } {
  const bytes = randomBytes(CHUNKS * MiB - 777);
  const path = join(dir, `LOT-${n}.zip`);
  writeFileSync(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base = lotRecord(n);
  return { path, sha256, record: { ...base, container: { ...base.container, bytes: bytes.length, sha256 } } };
}

/** What the tables hold for a lot, read by another connection (committed rows only). */
async function rows(lotId: string): Promise<{ lots: number; chunks: number }> {
  const q = async (table: string): Promise<number> =>
    (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${prefix}${table} WHERE lot_id = $1`, [lotId])).rows[0]!.n;
  return { lots: await q('lots'), chunks: await q('lot_container_chunks') };
}

/** The SHA-256 of the container the store gives back chunk by chunk. */
async function storedSha256(store: PostgresLotStore, lotId: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of (await store.containerChunks(lotId))!) h.update(c);
  return h.digest('hex');
}

/** Polls the server's sessions until `where` matches one of them (a backend of this test's tables); its pid. */
async function backendWhere(where: string, what: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { rows: found } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND ${where}`,
      [`%${prefix}%`],
    );
    if (found[0] !== undefined) return found[0].pid;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`no backend ${what} within 20 s`);
}

/** A backend in the middle of a copy: it has inserted a chunk in a transaction still open. */
const copying = (): Promise<number> =>
  backendWhere("xact_start IS NOT NULL AND query LIKE 'INSERT INTO %lot_container_chunks%' AND query LIKE $1", 'copying chunks');

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly go: () => void;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; report: { created?: boolean; code?: string; fatal?: string } | null }>;
}

function startWorker(dir: string, name: string, record: LotRecord, path: string): Worker {
  const job = join(dir, `${name}.json`);
  writeFileSync(job, JSON.stringify({ connectionString: PG, tablePrefix: prefix, record, path }));
  const child = spawn(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', WORKER, job], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => {
    err += d;
    if (err.includes('ready\n')) markReady();
  });
  const done = new Promise<Awaited<Worker['done']>>((resolve) =>
    child.on('close', (code, signal) => {
      markReady();
      resolve({ code, signal, report: out === '' ? null : (JSON.parse(out) as { created?: boolean; code?: string }) });
    }),
  );
  return { child, ready, done, go: () => child.stdin!.end('go\n') };
}

describe('PostgreSQL createFromFile under attack: the whole lot or nothing (SCOR-3, X-2, issue 19)', () => {
  it('the connection cut in the middle of the copy: ERR_LOT_STORE_UNAVAILABLE, nothing stored, the store goes on and the copy made again is whole', async () => {
    await withTemp(async (dir) => {
      const store = await PostgresLotStore.open({ connectionString: PG, tablePrefix: prefix, poolSize: 2, createTables: false });
      try {
        const { record, path, sha256 } = bigContainer(dir, 11);
        const copy = store.createFromFile(record, path);
        copy.catch(() => undefined);
        const pid = await copying();
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await expect(copy).rejects.toMatchObject({ code: 'ERR_LOT_STORE_UNAVAILABLE' });
        expect(await rows(record.lotId)).toEqual({ lots: 0, chunks: 0 });
        expect(await store.get(record.lotId)).toBeNull();
        expect(await store.containerChunks(record.lotId)).toBeNull();
        // The same store, another connection of its pool: the copy made again is the whole container.
        await store.createFromFile(record, path);
        expect(await rows(record.lotId)).toEqual({ lots: 1, chunks: CHUNKS });
        expect(await storedSha256(store, record.lotId)).toBe(sha256);
        expect(await store.get(record.lotId)).toEqual(record);
      } finally {
        await store.close();
      }
    });
  }, 60_000);

  it('two instances register the same lot from its file at once: one stores it, the other gets ERR_LOT_EXISTS, the chunks are there once', async () => {
    await withTemp(async (dir) => {
      const { record, path, sha256 } = bigContainer(dir, 12);
      const workers = [startWorker(dir, 'a', record, path), startWorker(dir, 'b', record, path)];
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.go();
      const results = await Promise.all(workers.map((w) => w.done));
      const reports = results.map((r) => r.report).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
      expect(reports).toEqual([{ code: 'ERR_LOT_EXISTS' }, { created: true }]);
      expect(await rows(record.lotId)).toEqual({ lots: 1, chunks: CHUNKS });
      const store = await PostgresLotStore.open({ pool: admin, tablePrefix: prefix, createTables: false });
      expect(await storedSha256(store, record.lotId)).toBe(sha256);
    });
  }, 120_000);

  it('the process SIGKILLed in the middle of the copy while another waits for the same lot: the other stores the whole lot', async () => {
    await withTemp(async (dir) => {
      const { record, path, sha256 } = bigContainer(dir, 13);
      const first = startWorker(dir, 'first', record, path);
      const second = startWorker(dir, 'second', record, path);
      await Promise.all([first.ready, second.ready]);
      first.go();
      await copying();
      second.go();
      // The second waits on the lot's row, which the first's open transaction holds.
      await backendWhere("wait_event_type = 'Lock' AND query LIKE 'INSERT INTO %lots %' AND query LIKE $1", 'waiting for the lot row');
      first.child.kill('SIGKILL');
      const [killed, survived] = await Promise.all([first.done, second.done]);
      expect(killed).toMatchObject({ signal: 'SIGKILL', report: null });
      expect(survived.report).toEqual({ created: true });
      expect(await rows(record.lotId)).toEqual({ lots: 1, chunks: CHUNKS });
      const store = await PostgresLotStore.open({ pool: admin, tablePrefix: prefix, createTables: false });
      expect(await storedSha256(store, record.lotId)).toBe(sha256);
    });
  }, 120_000);
});

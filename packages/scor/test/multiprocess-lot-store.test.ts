import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LotStore } from '@s3404/scor';
import { PostgresLotStore } from '@s3404/scor/postgres';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { lotRecord } from './lot-store-contract.js';

const WORKER = join(import.meta.dirname, 'workers/cas-worker.ts');
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROCESSES = 4;
const INCREMENTS = 200;
const dir = mkdtempSync(join(tmpdir(), 's3404-scor-mp-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  rmSync(dir, { recursive: true, force: true });
});

interface Report {
  done?: number;
  conflicts?: number;
  ms?: number;
  fatal?: string;
}
interface Worker {
  readonly ready: Promise<void>;
  readonly go: () => void;
  readonly done: Promise<{ code: number | null; report: Report | null; stderr: string }>;
}

function startWorker(job: object, name: string): Worker {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(job));
  const child = spawn(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', WORKER, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    if (err.includes('ready\n')) markReady();
  });
  const done = new Promise<{ code: number | null; report: Report | null; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      markReady();
      let report: Report | null = null;
      try {
        report = out === '' ? null : (JSON.parse(out) as Report);
      } catch {
        report = { fatal: `unreadable report: ${out.slice(0, 200)}` };
      }
      resolve({ code, report, stderr: err });
    }),
  );
  return { ready, done, go: () => child.stdin.end('go\n') };
}

const BACKENDS: readonly (readonly [string, () => Promise<{ store: LotStore; job: object }>])[] = [
  [
    'embedded SQLite',
    async () => {
      const path = join(dir, 'cas.sqlite');
      return { store: await SqliteLotStore.open({ path }), job: { store: 'sqlite', target: path } };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const tablePrefix = `t_scor_mp_${process.pid}_`;
      const store = await PostgresLotStore.open({ connectionString: PG, tablePrefix });
      cleanups.push(async () => {
        const admin = await PostgresLotStore.open({ connectionString: PG, tablePrefix, createTables: false });
        await admin.dropTables();
        await admin.close();
      });
      return { store, job: { store: 'postgres', target: PG, tablePrefix } };
    },
  ],
];

describe(`no lost update: ${PROCESSES} processes × ${INCREMENTS} compare-and-set increments of one lot (SCOR-3)`, () => {
  for (const [name, setup] of BACKENDS) {
    it(`on ${name}`, async () => {
      const { store, job } = await setup();
      try {
        const lot = lotRecord(1);
        await store.create(lot, new Uint8Array([1, 2, 3]));
        const workers = Array.from({ length: PROCESSES }, (_, p) =>
          startWorker({ ...job, lotId: lot.lotId, increments: INCREMENTS, tag: `p${p}` }, `${name}-${p}`.replace(/\W/g, '_')),
        );
        await Promise.all(workers.map((w) => w.ready));
        for (const w of workers) w.go();
        const results = await Promise.all(workers.map((w) => w.done));
        for (const r of results) {
          expect(r.report?.fatal, r.stderr).toBeUndefined();
          expect(r.code, r.stderr).toBe(0);
          expect(r.report?.done).toBe(INCREMENTS);
        }
        const final = (await store.get(lot.lotId))!;
        expect(final.attempts).toBe(PROCESSES * INCREMENTS);
        expect(final.version).toBe(PROCESSES * INCREMENTS + 1);
        // Every increment is in the history exactly once: none overwrote another.
        const reasons = final.history.slice(1).map((h) => h.reason);
        expect(new Set(reasons).size).toBe(PROCESSES * INCREMENTS);
        for (let p = 0; p < PROCESSES; p++) for (let i = 0; i < INCREMENTS; i++) expect(reasons).toContain(`p${p}#${i}`);
        expect(await store.container(lot.lotId)).toEqual(new Uint8Array([1, 2, 3]));
        const conflicts = results.reduce((n, r) => n + (r.report?.conflicts ?? 0), 0);
        expect(conflicts, 'the workers did contend').toBeGreaterThan(0);
        console.info(
          `${name}: ${PROCESSES * INCREMENTS} increments, ${conflicts} refused compare-and-sets, worker times ${results.map((r) => r.report?.ms).join('/')} ms`,
        );
      } finally {
        await store.close();
      }
    });
  }
});

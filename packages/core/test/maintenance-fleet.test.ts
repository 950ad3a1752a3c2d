/**
 * One maintenance runner per fleet, for real (issue 19): 4 node processes run the runner over a
 * PostgreSQL lease, then over a Redis lease, for a few periods; one is SIGKILLed in the middle
 * of a job. Each job must have been executed exactly once per period (a PostgreSQL table counts
 * the committed executions with their fencing token), no two holders ran a job at once, and the
 * killed holder's job was taken over, in the same period, once its lease expired.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient } from './resp-client.js';

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const WORKER_SOURCE = fileURLToPath(new URL('./workers/maintenance-worker.ts', import.meta.url));
// The worker is bundled once (esbuild, the one tsup builds with) so that 4 processes start in a
// fraction of a second even on a loaded machine; the bundle sits under node_modules so `pg` resolves.
const BUNDLE_DIR = join(import.meta.dirname, `../node_modules/.cache/s3404-fleet-${process.pid}`);
const WORKER = join(BUNDLE_DIR, 'maintenance-worker.mjs');
const EVERY_MS = 3000;
const PERIODS = 3;
const PROCESSES = 4;
const JOBS = ['fleet.a', 'fleet.b'];
const pool = new pg.Pool({ connectionString: PG, max: 2 });
const prefixes: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve('tsup'))('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
  await esbuild.build({
    entryPoints: [WORKER_SOURCE],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@s3404/source'],
    external: ['pg'],
    logLevel: 'silent',
  });
});

afterAll(async () => {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const p of prefixes) await pool.query(`DROP TABLE IF EXISTS ${p}_runs, ${p}_fence, ${p}_executions, ${p}_leases`);
  await pool.end();
  const redis = await RespClient.open(REDIS);
  for (const p of prefixes) {
    const keys = await redis.keys(`${p}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  stderr: string;
}

function startWorker(store: string, prefix: string, onLine: (w: Worker, line: string) => void): Worker {
  const child = spawn(process.execPath, [WORKER, store, prefix, String(EVERY_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let markReady: () => void = () => {};
  const worker: Worker = { child, ready: new Promise((r) => (markReady = r)), exited: new Promise((r) => child.on('close', () => r())), stderr: '' };
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (line === 'ready') markReady();
      else onLine(worker, line);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (worker.stderr += d.toString()));
  child.on('close', () => markReady());
  return worker;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface RunRow {
  id: string;
  job: string;
  period: string;
  token: string;
  pid: number;
  started_at: Date;
  ended_at: Date | null;
  outcome: string | null;
}

async function fleet(store: 'pg' | 'redis'): Promise<void> {
  const prefix = `fl${process.pid}_${store}`;
  prefixes.push(prefix);
  await pool.query(`DROP TABLE IF EXISTS ${prefix}_runs, ${prefix}_fence, ${prefix}_executions, ${prefix}_leases`);
  await pool.query(`CREATE TABLE ${prefix}_runs (id bigserial PRIMARY KEY, job text, period text, token bigint, pid int, started_at timestamptz, ended_at timestamptz, outcome text);
CREATE TABLE ${prefix}_fence (job text PRIMARY KEY, token bigint NOT NULL);
CREATE TABLE ${prefix}_executions (job text, period text, token bigint, pid int);`);

  let firstPeriod = Number.POSITIVE_INFINITY;
  let victim: { pid: number; job: string; period: string; token: number; killedAt: number } | undefined;
  const onLine = (w: Worker, line: string): void => {
    const [word, job, period, token] = line.split(' ');
    // Kill the first holder that starts a job in the second checked period, 100 ms into its work.
    if (word !== 'started' || victim !== undefined || Date.parse(period!) !== firstPeriod + EVERY_MS) return;
    victim = { pid: w.child.pid!, job: job!, period: period!, token: Number(token), killedAt: 0 };
    setTimeout(() => {
      victim!.killedAt = Date.now();
      w.child.kill('SIGKILL');
    }, 100);
  };
  const spawned = Date.now();
  const workers = Array.from({ length: PROCESSES }, () => startWorker(store, prefix, onLine));
  await Promise.all(workers.map((w) => w.ready));
  const readyMs = Date.now() - spawned;
  for (const w of workers) expect(w.child.exitCode, w.stderr).toBeNull();
  firstPeriod = Math.ceil((Date.now() + 100) / EVERY_MS) * EVERY_MS;
  const end = firstPeriod + PERIODS * EVERY_MS;
  await sleep(end - Date.now() + 200);
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));

  expect(victim, 'a holder was killed mid-job').toBeDefined();
  const killed = workers.filter((w) => w.child.signalCode === 'SIGKILL');
  expect(killed).toHaveLength(1);
  for (const w of workers) if (w.child.signalCode !== 'SIGKILL') expect(w.child.exitCode, w.stderr).toBe(0);

  const periods = Array.from({ length: PERIODS }, (_, i) => new Date(firstPeriod + i * EVERY_MS).toISOString());
  const executions = (await pool.query<{ job: string; period: string; token: string; pid: number }>(`SELECT * FROM ${prefix}_executions`)).rows;
  // Exactly once per job and period, whoever ran it.
  for (const job of JOBS) {
    for (const period of periods) {
      const here = executions.filter((e) => e.job === job && e.period === period);
      expect(here, `${job} ${period}`).toHaveLength(1);
    }
  }
  // The killed holder's job was done by another process, with a higher token, in the same period.
  const takeover = executions.find((e) => e.job === victim!.job && e.period === victim!.period)!;
  expect(takeover.pid).not.toBe(victim!.pid);
  expect(Number(takeover.token)).toBeGreaterThan(victim!.token);

  // No two holders at once: per job, runs in start order; a run starts only after the previous
  // one ended (or, for the killed one, after it was killed); tokens grow.
  const runs = (await pool.query<RunRow>(`SELECT * FROM ${prefix}_runs ORDER BY started_at`)).rows;
  for (const job of JOBS) {
    const mine = runs.filter((r) => r.job === job);
    for (let i = 1; i < mine.length; i++) {
      const before = mine[i - 1]!;
      const after = mine[i]!;
      expect(Number(after.token)).toBeGreaterThan(Number(before.token));
      const freedAt = before.ended_at?.getTime() ?? victim!.killedAt;
      expect(after.started_at.getTime(), `${job}: run ${after.id} started while ${before.id} held the lease`).toBeGreaterThanOrEqual(freedAt - 5);
    }
  }
  const killedRun = runs.find((r) => r.pid === victim!.pid && r.job === victim!.job && r.period === victim!.period)!;
  expect(killedRun.ended_at).toBeNull();
  const next = runs.find((r) => r.job === victim!.job && Number(r.token) > victim!.token)!;
  // Taken over once the lease (700 ms, renewed every 200 ms) expired: not before the kill, within the period.
  expect(next.started_at.getTime()).toBeGreaterThanOrEqual(victim!.killedAt);
  expect(next.started_at.getTime()).toBeLessThan(Date.parse(victim!.period) + EVERY_MS);
  console.log(
    `fleet ${store}: ${PROCESSES} processes ready in ${readyMs} ms; killed pid ${victim!.pid} in ${victim!.job} ${victim!.period}; taken over ${next.started_at.getTime() - victim!.killedAt} ms after the kill (lease 700 ms); ${runs.length} runs, ${executions.length} executions`,
  );
  // Nothing was fenced out under normal load; every other run committed or resumed.
  const outcomes = runs.filter((r) => r.ended_at !== null).map((r) => r.outcome);
  expect(outcomes.every((o) => o === 'committed' || o === 'resumed' || o === 'fenced')).toBe(true);
}

describe('maintenance runner: a fleet of 4 processes, one SIGKILLed mid-job', () => {
  it('over a PostgreSQL lease: each job once per period, one holder at a time, takeover after expiry', { timeout: 60_000 }, async () => {
    await fleet('pg');
  });
  it('over a Redis lease: the same', { timeout: 60_000 }, async () => {
    await fleet('redis');
  });
});

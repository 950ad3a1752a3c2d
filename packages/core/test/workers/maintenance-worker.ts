/**
 * One instance of a fleet for the maintenance test (issue 19): runs a maintenance runner over a
 * PostgreSQL or Redis lease with two jobs that record their executions in PostgreSQL, until
 * SIGTERM (the test may SIGKILL it mid-job instead).
 *
 *   node --conditions=@s3404/source --import tsx maintenance-worker.ts STORE PREFIX EVERY_MS
 *
 * Each job run: inserts a `runs` row (start), prints `started <job> <period> <token> <run id>`,
 * works JOB_MS, then in one transaction checks the fencing token against the `fence` table
 * (a resource keeps the highest token it saw and refuses lower ones; with PostgreSQL the lease
 * row is also locked by `PostgresLease.fence`), records the execution unless this period's is
 * already there (the job is idempotent), and commits; finally it closes its `runs` row.
 */
import pg from 'pg';
import { CoreError } from '@s3404/core';
import { createMaintenanceRunner, type Lease, type MaintenanceJob } from '@s3404/core/maintenance';
import { PostgresLease } from '@s3404/core/postgres';
import { RedisLease } from '@s3404/core/redis';
import { RespClient } from '../resp-client.js';

const [store, prefix, everyText] = process.argv.slice(2) as [string, string, string];
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const everyMs = Number(everyText);
const JOB_MS = 300;
const pool = new pg.Pool({ connectionString: PG, max: 4 });
let redis: RespClient | undefined;
let lease: Lease;
let pgLease: PostgresLease | undefined;
if (store === 'pg') {
  pgLease = await PostgresLease.open({ pool, tablePrefix: `${prefix}_` });
  lease = pgLease;
} else {
  redis = await RespClient.open(REDIS);
  lease = await RedisLease.open({ client: redis, prefix: `${prefix}:` });
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const job = (name: string): MaintenanceJob => ({
  name,
  everyMs,
  run: async (ctx) => {
    const run = await pool.query<{ id: string }>(
      `INSERT INTO ${prefix}_runs (job, period, token, pid, started_at) VALUES ($1, $2, $3, $4, clock_timestamp()) RETURNING id`,
      [name, ctx.period, ctx.token, process.pid],
    );
    const id = run.rows[0]!.id;
    process.stdout.write(`started ${name} ${ctx.period} ${ctx.token} ${id}\n`);
    for (let waited = 0; waited < JOB_MS && ctx.held; waited += 50) await sleep(50);
    let outcome = 'fenced';
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (pgLease !== undefined) await pgLease.fence(client, ctx.grant);
      const fence = await client.query(
        `INSERT INTO ${prefix}_fence AS f (job, token) VALUES ($1, $2) ON CONFLICT (job) DO UPDATE SET token = EXCLUDED.token WHERE f.token <= EXCLUDED.token RETURNING token`,
        [name, ctx.token],
      );
      if (fence.rows.length === 0) throw new CoreError('ERR_LEASE_LOST', { params: { key: name, token: ctx.token } });
      const done = await client.query(`SELECT 1 FROM ${prefix}_executions WHERE job = $1 AND period = $2`, [name, ctx.period]);
      if (done.rows.length === 0) {
        await client.query(`INSERT INTO ${prefix}_executions (job, period, token, pid) VALUES ($1, $2, $3, $4)`, [name, ctx.period, ctx.token, process.pid]);
        outcome = 'committed';
      } else outcome = 'resumed';
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
      await pool.query(`UPDATE ${prefix}_runs SET ended_at = clock_timestamp(), outcome = $2 WHERE id = $1`, [id, outcome]);
    }
    return { count: 1 };
  },
});

const runner = createMaintenanceRunner({ lease, jobs: [job('fleet.a'), job('fleet.b')], leaseMs: 700, heartbeatMs: 200, pollMs: 100 });
runner.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void (async () => {
    await runner.stop();
    await lease.close();
    redis?.disconnect();
    await pool.end();
    process.exit(0);
  })();
});

/**
 * A compare-and-set worker for the multi-process lot-store test (SCOR-3).
 * Reads its job from the JSON file given as the only argument, opens the
 * store, prints `ready` on stderr, waits for `go` on stdin (so every worker
 * starts at once), then increments `attempts` of one lot `increments` times:
 * get → update with version + 1 → on `false` (another process won), get
 * again. Prints a JSON report on stdout.
 *
 *   node --conditions=@s3404/source --import tsx cas-worker.ts JOB.json
 */
import { readFileSync } from 'node:fs';
import type { LotStore } from '@s3404/scor';
import { PostgresLotStore } from '@s3404/scor/postgres';
import { readyThenGo } from './start-barrier.js';
import { SqliteLotStore } from '@s3404/scor/sqlite';

interface Job {
  readonly store: 'sqlite' | 'postgres';
  /** SQLite file, or PostgreSQL connection string. */
  readonly target: string;
  readonly tablePrefix?: string;
  readonly lotId: string;
  readonly increments: number;
  readonly tag: string;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;

async function open(): Promise<LotStore> {
  if (job.store === 'sqlite') return SqliteLotStore.open({ path: job.target });
  return PostgresLotStore.open({ connectionString: job.target, tablePrefix: job.tablePrefix!, poolSize: 2, createTables: false });
}

async function main(): Promise<void> {
  const store = await open();
  await readyThenGo();
  let conflicts = 0;
  const t0 = performance.now();
  for (let i = 0; i < job.increments; i++) {
    for (;;) {
      const r = await store.get(job.lotId);
      if (r === null) throw new Error(`lot ${job.lotId} not found`);
      const next = {
        ...r,
        version: r.version + 1,
        attempts: r.attempts + 1,
        history: [...r.history, { from: r.state, to: r.state, at: r.updatedAt, reason: `${job.tag}#${i}` }],
      };
      if (await store.update(next)) break;
      conflicts++;
      if (conflicts > 1_000_000) throw new Error('no progress');
    }
  }
  const ms = Math.round(performance.now() - t0);
  await store.close();
  process.stdout.write(JSON.stringify({ done: job.increments, conflicts, ms }));
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ fatal: String(e), code: (e as { code?: string }).code }));
  process.exitCode = 1;
});

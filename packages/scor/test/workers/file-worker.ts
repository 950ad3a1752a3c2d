/**
 * A worker of the PostgreSQL lot-store attacks (SCOR-3, X-2, issue 19):
 * registers one lot from its container file with `createFromFile`. Reads
 * its job from the JSON file given as the only argument, opens the store,
 * prints `ready` on stderr, waits for `go` on stdin (so that workers start
 * at once), then prints a JSON report on stdout: `{ created: true }`, or the
 * refusal's code.
 *
 *   node --conditions=@s3404/source --import tsx file-worker.ts JOB.json
 */
import { readFileSync } from 'node:fs';
import type { LotRecord } from '@s3404/scor';
import { PostgresLotStore } from '@s3404/scor/postgres';
import { readyThenGo } from './start-barrier.js';

interface Job {
  readonly connectionString: string;
  readonly tablePrefix: string;
  readonly record: LotRecord;
  readonly path: string;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;

async function main(): Promise<void> {
  const store = await PostgresLotStore.open({ connectionString: job.connectionString, tablePrefix: job.tablePrefix, poolSize: 1, createTables: false });
  await readyThenGo();
  try {
    await store.createFromFile(job.record, job.path);
    process.stdout.write(JSON.stringify({ created: true }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ code: (e as { code?: string }).code ?? String(e) }));
  } finally {
    await store.close();
  }
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ fatal: String(e) }));
  process.exitCode = 1;
});

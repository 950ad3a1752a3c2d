/**
 * A process that registers a lot and is SIGKILLed in the middle (SCOR-3,
 * AUD-1, issue 19). Reads its job from the JSON file given as the only
 * argument: the SQLite file of the lots, a `PackedLotFile` (JSON), the
 * JSON Lines file its trace sink appends each event to, and `hangAt`, the
 * number of events the sink takes before it stops answering. It then
 * prints `hanging` on stderr and waits for ever, for its parent to kill it
 * between the store and the sink.
 *
 *   node --conditions=@s3404/source --import tsx register-worker.ts JOB.json
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createLotManager, type PackedLotFile } from '@s3404/scor';
import { SqliteLotStore } from '@s3404/scor/sqlite';

interface Job {
  readonly db: string;
  readonly lot: PackedLotFile;
  readonly traceFile: string;
  readonly hangAt: number;
  readonly now: string;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;

async function main(): Promise<void> {
  const store = await SqliteLotStore.open({ path: job.db });
  let taken = 0;
  const trace = {
    record: async (e: unknown): Promise<void> => {
      if (taken++ === job.hangAt) {
        process.stderr.write('hanging\n');
        await new Promise(() => setInterval(() => undefined, 60_000));
      }
      appendFileSync(job.traceFile, `${JSON.stringify(e)}\n`);
    },
  };
  const lots = createLotManager({ store, trace, transport: { id: 'never', send: async () => ({}) }, now: () => new Date(job.now) });
  await lots.register(job.lot);
  process.stderr.write('registered\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`fatal ${String(e)}\n`);
  process.exitCode = 1;
});

/**
 * A consumer process that sweeps once and is SIGKILLed as its sweep is
 * traced (SIG-6, AUD-1): after the store committed the deletions (and their
 * outbox row), before any trace is written. Reads its job from the JSON file
 * given as the only argument.
 *
 *   node --conditions=@s3404/source --import tsx sweep-worker.ts JOB.json
 */
import { readFileSync } from 'node:fs';
import { createConsumer } from '@s3404/seal';
import { openConsumptionStore } from '@s3404/seal/stores';

interface Job {
  readonly store: string;
  readonly ca: string; // base64 DER
  readonly now: string;
  readonly consumerId: string;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;

async function main(): Promise<void> {
  const store = await openConsumptionStore(job.store);
  const consumer = createConsumer({
    store,
    trustAnchors: [new Uint8Array(Buffer.from(job.ca, 'base64'))],
    now: () => new Date(job.now),
    consumerId: job.consumerId,
    trace: {
      record(event) {
        // The sweep's deletions are committed: the process dies before its event is written anywhere.
        if (event.action === 'signature.expired') process.kill(process.pid, 'SIGKILL');
      },
    },
  });
  await consumer.sweep();
  process.stdout.write('swept without dying\n');
  await store.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

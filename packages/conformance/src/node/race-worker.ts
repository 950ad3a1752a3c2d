/**
 * A consumer process of the race over processes and of the crash trials
 * (SIG-5): reads its job on stdin, imports the adapter module, opens its own
 * store through the adapter's factory with the job's namespace, says it is
 * ready and waits for `go` (so that every process starts together), and consumes
 * the records with the job's consumers, writing each win on stdout as it
 * happens (JSON Lines). Started by `runAdapterConformance`; not an API.
 */
import { createInterface } from 'node:readline';
import { isS3404Error } from '@s3404/core';
import { createConsumer, type ConsumptionStore } from '@s3404/seal';
import { adapterOf, callFactory } from '../contracts/adapter.js';
import { RACE_GRACE_SECONDS, RACE_TTL_SECONDS, raceConsumers, type WorkerJob, type WorkerLine } from './race-protocol.js';

const emit = (line: WorkerLine): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function main(): Promise<void> {
  // stdin: the job on the first line, then `go` once every process of the race is ready.
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done === true) throw new Error('no job on stdin');
  const job = JSON.parse(first.value) as WorkerJob;
  const adapter = adapterOf(await import(job.module), job.module);
  const store = await callFactory<ConsumptionStore>(adapter, 'consumptionStore', { namespace: job.namespace }, job.module);
  const now = new Date(job.now);
  const consumer = createConsumer({
    store,
    trustAnchors: [new Uint8Array(Buffer.from(job.ca, 'base64'))],
    now: () => now,
    ttlSeconds: RACE_TTL_SECONDS,
    claimGraceSeconds: RACE_GRACE_SECONDS,
    consumerId: job.tag,
    keyHolder: null,
  });
  const pause = job.applyPauseMs ?? 0;
  emit({ t: 'ready' });
  const go = await lines.next();
  if (go.done === true || go.value !== 'go') throw new Error('the race was called off before its start');
  const codes = await raceConsumers({
    consumer,
    records: job.records,
    consumers: job.consumers,
    tag: job.tag,
    onWin: (i, requestId) => emit({ t: 'win', i, requestId }),
    ...(pause > 0
      ? {
          apply: (i: number) => {
            emit({ t: 'apply', i });
            return new Promise<void>((r) => setTimeout(r, Math.floor(Math.random() * pause)));
          },
        }
      : {}),
  });
  await store.close();
  await adapter.close?.();
  emit({ t: 'done', codes });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    emit({ t: 'fatal', ...(isS3404Error(e) ? { code: e.code } : {}), message: (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500) });
    process.exit(3);
  },
);

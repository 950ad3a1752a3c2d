import { isS3404Error } from '@s3404/core';
import type { ConsumptionStore } from '@s3404/seal';
import { callFactory } from '../contracts/adapter.js';
import { expectContract, runContractCase } from '../contracts/contract-case.js';
import { boundedBody } from '../internal/bounded-body.js';
import type { ConformanceTest } from '../report.js';
import { RACE_GRACE_SECONDS, RACE_TTL_SECONDS } from './race-protocol.js';
import { benchConsumer, depositAll, jobOf, type RaceBench } from './race-over-processes.js';
import { spawnWorker } from './spawn-worker.js';

/** Records per crash trial, and the consumers of the process that dies. */
const PER_TRIAL = 6;
const DOOMED_CONSUMERS = 2;

/** A seeded generator of numbers in [0, 1) (mulberry32): the kill instants of a run can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Crash trials (SIG-5, SIG-6): in each, a process consuming records of the
 * adapter's store is SIGKILLed at a random instant (a pause inside `apply`
 * leaves it dying between claim and completion as often as not). Afterwards,
 * through a fresh store of the adapter: a record the dead process reported
 * consumed has its completed tombstone; a record never claimed is consumable
 * exactly once; a record claimed and never completed is refused to every
 * other request (`ERR_RECORD_REPLAYED`) and resumed once by its own; no
 * record is ever consumed twice; and after the grace the sweeper leaves no
 * ciphertext.
 */
export async function crashCases(
  bench: RaceBench,
  o: { readonly trials: number; readonly seed: number; readonly maxKillMs: number },
): Promise<ConformanceTest[]> {
  const random = seeded(o.seed);
  const tests: ConformanceTest[] = [];
  for (let t = 1; t <= o.trials; t++) {
    // Killed once it has made `progress` steps (a claim being applied, a use completed), then up to a few ms later.
    const progress = Math.floor(random() * (2 * PER_TRIAL));
    const killAfter = Math.floor(random() * o.maxKillMs);
    let found = '';
    const test = await runContractCase(
      {
        suite: 'consumption-store-crash',
        tcId: t,
        requirements: ['SIG-5', 'SIG-6'],
        comment: `crash trial ${t}: ${PER_TRIAL} records, a consuming process SIGKILLed ${killAfter} ms after its ${progress}th step; no record consumed twice, an unfinished use resumable by its own request only`,
        body: boundedBody(bench.timeoutMs, async () => {
          found = await trial(bench, t, progress, killAfter);
          return undefined;
        }),
      },
      bench.context,
    );
    tests.push(found === '' ? test : { ...test, detail: found });
  }
  return tests;
}

/** One trial; returns what it found (for the report). */
async function trial(bench: RaceBench, t: number, progress: number, killAfter: number): Promise<string> {
  const { namespace } = bench.next();
  const open = (): Promise<ConsumptionStore> => callFactory<ConsumptionStore>(bench.adapter, 'consumptionStore', { namespace }, bench.module);
  const setup = await open();
  let after: ConsumptionStore | undefined;
  try {
    const { jobs, recordIds } = await depositAll(bench, setup, PER_TRIAL);
    await setup.close();
    const worker = spawnWorker(jobOf(bench, namespace, jobs, { mode: 'crash', consumers: DOOMED_CONSUMERS, tag: `t${t}`, applyPauseMs: 8 }), bench.timeoutMs);
    await worker.ready;
    worker.go();
    await worker.progress(progress);
    await new Promise((r) => setTimeout(r, killAfter));
    worker.kill();
    const end = await worker.done;
    const fatal = worker.lines.find((l) => l.t === 'fatal');
    expectContract(fatal === undefined, `the consuming process failed before the kill: ${fatal?.t === 'fatal' ? `${fatal.code ?? ''} ${fatal.message}` : ''}`);
    expectContract(
      worker.lines.some((l) => l.t === 'ready'),
      `the consuming process never started (exit ${end.code ?? end.signal}): ${end.stderr.slice(-300)}`,
    );
    const reported = new Set(worker.lines.flatMap((l) => (l.t === 'win' ? [l.i] : [])));
    // A fresh store, as a restarted service would open it: only the backend remembers.
    after = await open();
    const consumer = benchConsumer(bench, after, 20);
    const counts = { consumed: 0, unfinished: 0, untouched: 0 };
    for (const [i, job] of jobs.entries()) {
      const id = recordIds[i]!;
      const before = await after.findTombstone({ recordId: id });
      if (reported.has(i)) expectContract(before?.completedAt !== undefined, `record #${i} was reported consumed but has no completed tombstone`);
      if (before === null) {
        counts.untouched++;
        const used = await consumer.consume({ handle: job.handle }, { target: job.target, requestId: `after-${i}` });
        expectContract(used.status === 'consumed', `record #${i}, never claimed, cannot be consumed (${used.status})`);
      } else if (before.completedAt === undefined) {
        counts.unfinished++;
        await expectRefused(
          consumer.consume({ handle: job.handle }, { target: job.target, requestId: `intruder-${i}` }),
          `record #${i}, claimed and unfinished, by another request`,
        );
        const resumed = await consumer.consume({ handle: job.handle }, { target: job.target, requestId: before.requestId });
        expectContract(resumed.status === 'consumed' && resumed.resumed, `record #${i}: its own request id (${before.requestId}) does not resume the use`);
      } else counts.consumed++;
      // Whatever state it was found in, the record is now used: any further request is a replay.
      await expectRefused(consumer.consume({ handle: job.handle }, { target: job.target, requestId: `again-${i}` }), `record #${i} after the trial`);
    }
    const sweeper = benchConsumer(bench, after, 5 + RACE_TTL_SECONDS + RACE_GRACE_SECONDS);
    await sweeper.sweep();
    const left = await after.countPending();
    expectContract(left === 0, `${left} ciphertext(s) left after the sweep`);
    return `killed ${end.signal === 'SIGKILL' ? 'by SIGKILL' : `after its end (exit ${end.code})`}: ${counts.consumed} consumed, ${counts.unfinished} claimed unfinished (resumed by their request), ${counts.untouched} untouched (consumed once after)`;
  } finally {
    await setup.close().catch(() => undefined);
    await after?.close().catch(() => undefined);
  }
}

async function expectRefused(work: Promise<unknown>, what: string): Promise<void> {
  try {
    await work;
  } catch (e) {
    expectContract(isS3404Error(e) && e.code === 'ERR_RECORD_REPLAYED', `${what}: ${isS3404Error(e) ? e.code : String(e)}, ERR_RECORD_REPLAYED expected`);
    return;
  }
  expectContract(false, `${what}: consumed again — two uses of one record`);
}

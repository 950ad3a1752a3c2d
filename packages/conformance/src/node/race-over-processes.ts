import { createConsumer, type ConsumptionStore, type Consumer } from '@s3404/seal';
import { callFactory, type AdapterContext, type ConformanceAdapter } from '../contracts/adapter.js';
import { expectContract, runContractCase, type ContractContext } from '../contracts/contract-case.js';
import { targetOf, type ContractRecords } from '../contracts/contract-records.js';
import { boundedBody } from '../internal/bounded-body.js';
import type { ConformanceTest } from '../report.js';
import { RACE_GRACE_SECONDS, RACE_TTL_SECONDS, raceConsumers, type JobRecord, type WorkerJob } from './race-protocol.js';
import { spawnWorker } from './spawn-worker.js';

/** What the race and the crash trials share. */
export interface RaceBench {
  readonly adapter: ConformanceAdapter;
  /** The module, as named in errors. */
  readonly module: string;
  /** The module as the workers import it (`file:` URL or package name). */
  readonly moduleUrl: string;
  readonly next: () => AdapterContext;
  readonly records: ContractRecords;
  readonly context: ContractContext;
  /** Longest life of a worker, milliseconds. */
  readonly timeoutMs: number;
}

/** A consumer of the suite's settings over `store`, on the fixed clock `t0 + 10 s`. */
export function benchConsumer(bench: RaceBench, store: ConsumptionStore, seconds = 10): Consumer {
  const now = bench.records.at(seconds);
  return createConsumer({
    store,
    trustAnchors: [bench.records.ca],
    now: () => now,
    ttlSeconds: RACE_TTL_SECONDS,
    claimGraceSeconds: RACE_GRACE_SECONDS,
    consumerId: 'conformance',
    keyHolder: null,
  });
}

/** Deposits the records in `store` and returns them as jobs (handle and target). */
export async function depositAll(bench: RaceBench, store: ConsumptionStore, count: number): Promise<{ jobs: JobRecord[]; recordIds: string[] }> {
  const sealed = await bench.records.bordereaux(count);
  const consumer = benchConsumer(bench, store);
  const jobs: JobRecord[] = [];
  for (const s of sealed) jobs.push({ handle: (await consumer.deposit(s)).handle, target: targetOf(s) });
  return { jobs, recordIds: sealed.map((s) => s.recordId) };
}

export function jobOf(
  bench: RaceBench,
  namespace: string,
  records: readonly JobRecord[],
  extra: Pick<WorkerJob, 'mode' | 'consumers' | 'tag'> & Partial<WorkerJob>,
): WorkerJob {
  return {
    module: bench.moduleUrl,
    namespace,
    ca: btoa(String.fromCharCode(...bench.records.ca)),
    now: bench.records.at(10).toISOString(),
    records,
    ...extra,
  };
}

interface RaceOutcome {
  readonly wins: readonly number[];
  readonly codes: Readonly<Record<string, number>>;
  readonly problems: readonly string[];
  readonly store: ConsumptionStore;
  readonly recordIds: readonly string[];
  /** Wins of each process, in order: the evidence that the race was spread. */
  readonly perProcess: readonly number[];
}

/**
 * The race (SIG-5, SIG-6): `size` records × `consumers` consumers spread over
 * `processes` processes, each process with its own store of the adapter on
 * one namespace (one process: the consumers share one store). Three cases:
 * exactly one winner per record, every loser refused with
 * `ERR_RECORD_REPLAYED`, and nothing left pending after the uses.
 */
export async function raceCases(
  bench: RaceBench,
  o: { readonly size: number; readonly consumers: number; readonly processes: number },
): Promise<ConformanceTest[]> {
  const title = `${o.size} records × ${o.consumers} consumers over ${o.processes} process${o.processes > 1 ? 'es' : ''}`;
  let outcome: Promise<RaceOutcome> | undefined;
  const race = (): Promise<RaceOutcome> => (outcome ??= runRace(bench, o));
  const spec = (tcId: number, requirements: string[], comment: string, body: (r: RaceOutcome) => string | undefined | Promise<string | undefined>) => ({
    suite: 'consumption-store-race',
    tcId,
    requirements,
    comment: `${title}: ${comment}`,
    body: boundedBody(bench.timeoutMs, async () => {
      const r = await race();
      expectContract(r.problems.length === 0, r.problems.join('; '));
      return body(r);
    }),
  });
  const tests: ConformanceTest[] = [];
  try {
    for (const s of [
      spec(1, ['SIG-5'], 'exactly one winner per record', (r) => {
        const per = new Map<number, number>();
        for (const i of r.wins) per.set(i, (per.get(i) ?? 0) + 1);
        const twice = [...per].filter(([, n]) => n > 1);
        expectContract(
          twice.length === 0,
          `${twice.length} record(s) consumed more than once (${twice
            .slice(0, 5)
            .map(([i, n]) => `#${i} ×${n}`)
            .join(', ')}): two winners`,
        );
        expectContract(per.size === o.size, `${o.size - per.size} record(s) without a winner`);
        return undefined;
      }),
      spec(2, ['SIG-5'], 'every loser refused with ERR_RECORD_REPLAYED', (r) => {
        const other = Object.entries(r.codes).filter(([c]) => c !== 'ERR_RECORD_REPLAYED');
        expectContract(other.length === 0, `losers refused with ${other.map(([c, n]) => `${c} ×${n}`).join(', ')}`);
        const refused = r.codes['ERR_RECORD_REPLAYED'] ?? 0;
        expectContract(refused + r.wins.length === o.size * o.consumers, `${refused} refusals and ${r.wins.length} wins for ${o.size * o.consumers} attempts`);
        return 'ERR_RECORD_REPLAYED';
      }),
      spec(3, ['SIG-5', 'SIG-6'], 'every record has its completed tombstone and no ciphertext is left', async (r) => {
        const left = await r.store.countPending();
        expectContract(left === 0, `${left} pending entr(ies) left after the race`);
        let open = 0;
        for (const id of r.recordIds) if ((await r.store.findTombstone({ recordId: id }))?.completedAt === undefined) open++;
        expectContract(open === 0, `${open} record(s) without a completed tombstone`);
        return undefined;
      }),
    ] as const)
      tests.push(await runContractCase(s as Parameters<typeof runContractCase>[0], bench.context));
    // The evidence of the first case: how the wins were spread over the processes.
    const done = await outcome?.catch(() => undefined);
    const first = tests[0];
    if (done !== undefined && first !== undefined) {
      const spread = `wins per process: ${done.perProcess.map((n, p) => `p${p} ${n}`).join(', ')}`;
      tests[0] = { ...first, detail: first.detail === undefined ? spread : `${first.detail} (${spread})`.slice(0, 600) };
    }
  } finally {
    await (await outcome?.catch(() => undefined))?.store.close();
  }
  return tests;
}

async function runRace(bench: RaceBench, o: { readonly size: number; readonly consumers: number; readonly processes: number }): Promise<RaceOutcome> {
  const { namespace } = bench.next();
  const store = await callFactory<ConsumptionStore>(bench.adapter, 'consumptionStore', { namespace }, bench.module);
  const { jobs, recordIds } = await depositAll(bench, store, o.size);
  const wins: number[] = [];
  const codes: Record<string, number> = {};
  const problems: string[] = [];
  if (o.processes === 1) {
    Object.assign(
      codes,
      await raceConsumers({ consumer: benchConsumer(bench, store), records: jobs, consumers: o.consumers, tag: 'p0', onWin: (i) => wins.push(i) }),
    );
    return { wins, codes, problems, store, recordIds, perProcess: [wins.length] };
  }
  const workers = Array.from({ length: o.processes }, (_, p) => {
    const consumers = Math.floor(o.consumers / o.processes) + (p < o.consumers % o.processes ? 1 : 0);
    return spawnWorker(jobOf(bench, namespace, jobs, { mode: 'race', consumers, tag: `p${p}` }), bench.timeoutMs);
  });
  // Every process opens its store first; then they all start together.
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  const ends = await Promise.all(workers.map((w) => w.done));
  const perProcess = workers.map(() => 0);
  for (const [p, w] of workers.entries()) {
    for (const line of w.lines) {
      if (line.t === 'win') {
        wins.push(line.i);
        perProcess[p]!++;
      } else if (line.t === 'done') for (const [c, n] of Object.entries(line.codes)) codes[c] = (codes[c] ?? 0) + n;
      else if (line.t === 'fatal') problems.push(`process ${p}: ${line.code ?? ''} ${line.message}`);
    }
    const end = ends[p]!;
    if (!w.lines.some((l) => l.t === 'done') && !w.lines.some((l) => l.t === 'fatal'))
      problems.push(`process ${p} ended without its report (exit ${end.code ?? end.signal}): ${end.stderr.slice(-300)}`);
  }
  return { wins, codes, problems, store, recordIds, perProcess };
}

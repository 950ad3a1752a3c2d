/**
 * A consumer process for the multi-process tests (SIG-5, SIG-6). Reads its
 * job from a JSON file given as the only argument, prints a JSON report on
 * stdout. In `crash` mode it may kill itself with SIGKILL at a chosen point.
 * In `deposit` mode it deposits `bytes` (base64 records), one every 25 ms from `startAt`,
 * with a shared `RedisKeyHolder` at `keyHolder`, and reports each answer; with `crashAt` it kills
 * itself (SIGKILL) when its first deposit has put the key but not written the record (`before-write`),
 * or has written the record but not had the store's answer (`after-write`).
 *
 *   node --conditions=@s3404/source --import tsx consume-worker.ts JOB.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createConsumer, type ConsumptionStore } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { RedisKeyHolder } from '@s3404/seal/redis';
import { openConsumptionStore } from '@s3404/seal/stores';

interface Job {
  readonly mode: 'race' | 'crash' | 'deposit';
  readonly store: string;
  readonly ca: string; // base64 DER
  readonly now: string;
  readonly records: readonly {
    readonly recordId: string;
    readonly handle: string;
    readonly bordereauId: string;
    readonly contentHash: string;
    readonly pdf?: string;
  }[];
  readonly consumers: number;
  readonly tag: string;
  /** crash mode: where to die, and on which record (index); deposit mode: where to die during the first deposit. */
  readonly crashAt?: 'after-claim' | 'in-apply' | 'after-save' | 'after-complete' | 'before-write' | 'after-write' | 'none';
  readonly crashOn?: number;
  readonly outDir?: string;
  /** deposit mode: the records' bytes (base64), the shared key holder's URL and prefix, and when to start (epoch ms). */
  readonly bytes?: readonly string[];
  readonly keyHolder?: { readonly url: string; readonly prefix: string };
  readonly startAt?: number;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

/** Deposits every record, the other processes doing the same at the same instant: `handles[i]` or the error code. */
async function deposits(): Promise<void> {
  const opened = await openConsumptionStore(job.store);
  // The store as this process sees it: a SIGKILL on either side of the first write, when asked.
  const store: ConsumptionStore = {
    ...bound(opened),
    putPending: async (entry) => {
      if (job.crashAt === 'before-write') die();
      await opened.putPending(entry);
      if (job.crashAt === 'after-write') die();
    },
  };
  const keyHolder = await RedisKeyHolder.open(job.keyHolder!);
  const consumer = createConsumer({
    store,
    keyHolder,
    trustAnchors: [new Uint8Array(Buffer.from(job.ca, 'base64'))],
    now: () => new Date(job.now),
    consumerId: `worker-${process.pid}`,
  });
  const answers: string[] = [];
  // Record i at `startAt` + 25 i ms in every process: the deposits of one record meet, each step of one
  // process's interleaving with the others' (a tablet's retry sent to another instance while the first runs).
  await Promise.all(
    job.bytes!.map(async (b64, i) => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt! + 25 * i - Date.now())));
      try {
        answers[i] = (await consumer.deposit({ bytes: new Uint8Array(Buffer.from(b64, 'base64')) })).handle;
      } catch (e) {
        answers[i] = `${(e as { code?: string }).code ?? `THROWN ${String(e)}`}`;
      }
    }),
  );
  await keyHolder.close();
  await store.close();
  process.stdout.write(JSON.stringify({ answers }));
}

/** Every method of `store`, bound to it, to override one or two. */
function bound(store: ConsumptionStore): ConsumptionStore {
  return {
    putPending: (e) => store.putPending(e),
    getPending: (id) => store.getPending(id),
    claim: (t) => store.claim(t),
    complete: (o) => store.complete(o),
    sweep: (o) => store.sweep(o),
    countPending: () => store.countPending(),
    findTombstone: (o) => store.findTombstone(o),
    purgeTombstones: (o) => store.purgeTombstones(o),
    close: () => store.close(),
  };
}

async function main(): Promise<void> {
  if (job.mode === 'deposit') return deposits();
  const opened = await openConsumptionStore(job.store);
  let current = -1;
  const store: ConsumptionStore =
    job.mode === 'crash'
      ? {
          ...bound(opened),
          claim: async (t) => {
            const r = await opened.claim(t);
            if (job.crashAt === 'after-claim' && current === job.crashOn) die();
            return r;
          },
          complete: async (o) => {
            const r = await opened.complete(o);
            if (job.crashAt === 'after-complete' && current === job.crashOn) die();
            return r;
          },
        }
      : opened;
  const consumer = createConsumer({
    store,
    trustAnchors: [new Uint8Array(Buffer.from(job.ca, 'base64'))],
    now: () => new Date(job.now),
    consumerId: `worker-${process.pid}`,
    // The keys travel in the handles from the depositing process (SIG-6): this one holds none.
    keyHolder: null,
  });
  const wins: string[] = [];
  const refusals: Record<string, number> = {};
  if (job.mode === 'race') {
    await Promise.all(
      Array.from({ length: job.consumers }, async (_, c) => {
        for (const [i, r] of job.records.entries()) {
          try {
            const used = await consumer.consume(
              { handle: r.handle },
              { target: { bordereauId: r.bordereauId, contentHash: r.contentHash }, requestId: `${job.tag}-${c}-${i}` },
            );
            if (used.status === 'consumed') wins.push(r.recordId);
          } catch (e) {
            const code = (e as { code?: string }).code ?? `THROWN ${String(e)}`;
            refusals[code] = (refusals[code] ?? 0) + 1;
          }
        }
      }),
    );
  } else {
    process.stderr.write('ready\n');
    for (const [i, r] of job.records.entries()) {
      current = i;
      const pdf = new Uint8Array(readFileSync(r.pdf!));
      const result = await applySignature(consumer, {
        input: { handle: r.handle },
        pdf,
        requestId: `${job.tag}-${i}`,
        save: (signed) => {
          if (job.crashAt === 'in-apply' && current === job.crashOn) die();
          writeFileSync(`${job.outDir}/${r.recordId}.pdf`, signed);
          if (job.crashAt === 'after-save' && current === job.crashOn) die();
        },
      });
      if (result.status === 'applied') wins.push(r.recordId);
    }
  }
  await opened.close();
  process.stdout.write(JSON.stringify({ wins, refusals }));
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ fatal: String(e), code: (e as { code?: string }).code }));
  process.exitCode = 1;
});

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { visibleText, type Clock, type Locale, type TraceSink } from '@s3404/core';
import type { MaintenanceJob } from '@s3404/core/maintenance';
import { DEFAULT_RETENTION_MONTHS, retentionCutoff, type AuditLog } from '@s3404/audit';
import { createConsumer, type Verifier } from '@s3404/seal';
import { openConsumptionStore } from '@s3404/seal/stores';
import { usage } from '../args.js';
import { CliError } from '../errors.js';
import { makeDirectory, type Io } from '../io.js';
import { line } from '../output.js';
import { STATE_STORE } from './record-state.js';
import { sealKeyOf } from './signing-keys.js';
import { openStateTrace, STATE_TRACE, type StateTrace } from './state-trace.js';

/** Where `--state DIR` keeps its SCOR lots (SCOR-3), as `s3404 demo --out DIR` writes them. */
export const STATE_LOTS = 'scor/lots.sqlite';
/** Where the lots of `--state DIR` are sent: the file-drop transport of development (SCOR-3). */
export const STATE_OUTBOX = 'scor/outbox';

/**
 * How long the single-use ledger keeps a tombstone (SIG-5): as long as the
 * trace that names its use (AUD-3, 24 months). The consumer refuses anything
 * shorter than the record's lifetime plus the clock skew; a record that old
 * is refused anyway.
 */
export const TOMBSTONE_RETENTION_MONTHS = DEFAULT_RETENTION_MONTHS;

/** The periods of the jobs (docs/maintenance.md, docs/production.md "Scheduling"). */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The jobs a state can run, its trace (the runner's sink), and what closes them. */
export interface StateJobs {
  readonly jobs: readonly MaintenanceJob[];
  readonly trace: TraceSink | undefined;
  close(): Promise<void>;
}

/** The verifier of a command that verifies no record: never called. */
const noVerifier = { verify: () => Promise.reject(new TypeError('maintenance verifies no record')) } as unknown as Verifier;

/**
 * The maintenance jobs of `--state DIR` or `--store URL` (issue 19), each
 * wired only when its store is there:
 * - the single-use store (SIG-5, SIG-6), always: `seal.sweep` every minute,
 *   `seal.purge-tombstones` every day (tombstones older than
 *   {@link TOMBSTONE_RETENTION_MONTHS});
 * - `DIR/scor/lots.sqlite` (SCOR-3): `scor.tick` every 5 minutes, sending
 *   through the file drop `DIR/scor/outbox`;
 * - `DIR/audit/trace.jsonl` (AUD-1): the runner's, the sweep's and the
 *   lots' events are chained in it; with the seal key (`--cert --key`),
 *   `audit.purge` every day (AUD-3) and `audit.checkpoint` every hour (AUD-2).
 */
export async function openStateJobs(
  io: Io,
  o: {
    readonly state?: string | undefined;
    readonly store?: string | undefined;
    readonly cert?: string | undefined;
    readonly key?: string | undefined;
    readonly locale: Locale;
  },
  now: Clock,
): Promise<StateJobs> {
  const { locale } = o;
  const signing = o.cert !== undefined || o.key !== undefined;
  if (signing && o.state === undefined)
    throw usage({
      fr: '--cert et --key scellent les points de contrôle de la trace de --state DIR : sans --store',
      en: '--cert and --key seal the checkpoints of the trace of --state DIR: not with --store',
    });
  const seal = signing ? await sealKeyOf(io, { cert: o.cert, key: o.key, locale }) : undefined;
  const dir = o.state === undefined ? undefined : resolve(io.cwd, o.state);
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const url = dir === undefined ? o.store! : `sqlite:${resolve(dir, STATE_STORE)}`;
    if (dir !== undefined) await makeDirectory(io, resolve(dir, 'seal'));
    const store = await openConsumptionStore(url, { durable: true, locale });
    closers.push(() => store.close());
    let trace: StateTrace | undefined;
    if (dir !== undefined && existsSync(resolve(dir, STATE_TRACE))) {
      trace = await openStateTrace(io, dir, { now, locale, ...(seal === undefined ? {} : { seal }) });
      closers.push(trace.close);
      if (seal === undefined)
        io.stderr(
          line(
            locale,
            `Note : les événements de maintenance vont dans ${trace.path} ; ses points de contrôle et sa purge de conservation (audit.checkpoint, audit.purge) demandent le cachet : --cert PEM --key PEM.`,
            `Note: the maintenance events go to ${trace.path}; its checkpoints and retention purge (audit.checkpoint, audit.purge) need the seal: --cert PEM --key PEM.`,
          ),
        );
    }
    const sink = trace?.sink;
    const consumer = createConsumer({
      store,
      verifier: noVerifier,
      now,
      consumerId: 's3404-maintenance',
      keyHolder: null,
      locale,
      ...(sink === undefined ? {} : { trace: sink }),
    });
    const jobs: MaintenanceJob[] = [
      {
        name: 'seal.sweep',
        everyMs: MINUTE,
        run: async () => {
          const r = await consumer.sweep();
          return { count: r.expired + r.abandoned };
        },
      },
      {
        name: 'seal.purge-tombstones',
        everyMs: DAY,
        run: async () => ({ count: await consumer.purgeTombstones({ before: retentionCutoff(now(), TOMBSTONE_RETENTION_MONTHS) }) }),
      },
    ];
    if (dir !== undefined && existsSync(resolve(dir, STATE_LOTS))) {
      const [{ createLotManager }, { SqliteLotStore }, { FileDropTransport }] = await Promise.all([
        import('@s3404/scor'),
        import('@s3404/scor/sqlite'),
        import('@s3404/scor/file'),
      ]);
      const lotStore = await SqliteLotStore.open({ path: resolve(dir, STATE_LOTS) });
      closers.push(() => lotStore.close());
      const lots = createLotManager({
        store: lotStore,
        transport: new FileDropTransport({ dir: resolve(dir, STATE_OUTBOX) }),
        now,
        locale,
        ...(sink === undefined ? {} : { trace: sink }),
      });
      jobs.push({
        name: 'scor.tick',
        everyMs: 5 * MINUTE,
        run: async () => {
          const r = await lots.tick();
          // A lot the tick could not handle (its stored container altered, say) fails the job: exit 2 with --once,
          // `maintenance.failed` in the trace, each lot named on stderr; its own event carries its code.
          if (r.errors.length > 0) {
            // A lot id comes from the store, which may have been edited behind the SDK's back: no control character reaches the terminal.
            const shown = r.errors.map((e) => ({ lotId: visibleText(e.lotId), code: e.code }));
            for (const e of shown) io.stderr(line(locale, `lot ${e.lotId} : non traité [${e.code}]`, `lot ${e.lotId}: not handled [${e.code}]`));
            throw new CliError('ERR_MAINTENANCE_LOTS_FAILED', {
              params: { count: shown.length, lots: shown.map((e) => `${e.lotId} [${e.code}]`).join(', ') },
              locale,
            });
          }
          return { count: r.sent.length + r.failed.length + r.paperFallback.length + r.purged.length + r.traced.length };
        },
      });
    }
    if (trace !== undefined && seal !== undefined) jobs.push(...auditJobs(trace.log, now));
    return { jobs, trace: sink, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The retention purge (AUD-3), then the checkpoint that seals what the pass traced (AUD-2). */
function auditJobs(log: AuditLog, now: Clock): MaintenanceJob[] {
  return [
    {
      name: 'audit.purge',
      everyMs: DAY,
      run: async () => ({ count: (await log.purge({ before: retentionCutoff(now(), log.retentionMonths) })).purged }),
    },
    {
      name: 'audit.checkpoint',
      everyMs: HOUR,
      run: async () => {
        const e = await log.checkpoint();
        const { firstSeq, lastSeq } = e?.subject ?? {};
        return { count: firstSeq === undefined || lastSeq === undefined ? 0 : lastSeq - firstSeq + 1 };
      },
    },
  ];
}

import { readClock, resolveClock, type Clock } from '../clock.js';
import { CoreError } from '../errors/core-error.js';
import { resolveLocale, type Locale } from '../errors/locale.js';
import { isS3404Error } from '../errors/s3404-error.js';
import { notifyQuietly } from '../notify-quietly.js';
import { resolveRandom, uuidV4, type RandomSource } from '../random.js';
import type { TraceActor, TraceEvent, TraceOutcome, TraceSink } from '../trace.js';
import { checkHolder, checkLeaseKey, checkTtl, type Lease, type LeaseGrant } from './lease.js';
import { periodOf, type MaintenanceJob, type MaintenanceJobContext } from './maintenance-job.js';

/**
 * The trace actions of the maintenance runner (issue 19, AUD-1): a job
 * started, ended, failed, or lost its lease (another instance took over).
 * The event's `reason` is `<job> <period> token <n>`, `count` the items the
 * job handled, `code` the error of a failure.
 *
 * @public
 */
export type MaintenanceTraceAction = 'maintenance.started' | 'maintenance.ended' | 'maintenance.failed' | 'maintenance.lease-lost';

/** Options of {@link createMaintenanceRunner} (issue 19; X-2). @public */
export interface MaintenanceRunnerOptions {
  /** Where the jobs' leases live: one per fleet (`PostgresLease`, `RedisLease`; `MemoryLease` for one process). */
  readonly lease: Lease;
  readonly jobs: readonly MaintenanceJob[];
  /** This instance's identifier in the leases. Default: `maintenance-<random UUID>` (from `random`). */
  readonly holder?: string;
  /**
   * How long a lease lasts without a heartbeat, milliseconds: the longest a
   * killed holder delays its job. Default 30,000.
   */
  readonly leaseMs?: number;
  /** How often a running job's lease is renewed, milliseconds; below `leaseMs`. Default `leaseMs / 3`. */
  readonly heartbeatMs?: number;
  /** How often {@link MaintenanceRunner.start}'s loop looks for due jobs, milliseconds. Default 10,000. */
  readonly pollMs?: number;
  /** The clock of periods and expiries. Default: the system clock. */
  readonly now?: Clock;
  /** Random source of the default holder identifier. Default: Web Crypto. */
  readonly random?: RandomSource;
  /** Where job starts, ends, failures and lost leases are traced; awaited. Default: none. */
  readonly trace?: TraceSink<MaintenanceTraceAction>;
  /** Who the traces name. Default `{ personId: 'service', role: 'service', terminalId: 's3404-maintenance' }`. */
  readonly actor?: TraceActor;
  /** Language of the errors. Default French. */
  readonly locale?: Locale;
}

/** What happened to one job in one pass (issue 19; X-2). @public */
export interface MaintenanceRun {
  readonly job: string;
  readonly period: string;
  /**
   * `ran`: done and recorded for the period; `done`: already done for the
   * period; `held`: another instance holds the lease; `lost`: the lease was
   * lost during the run (nothing recorded, another instance runs it);
   * `failed`: the job or the lease store failed (`code`).
   */
  readonly outcome: 'ran' | 'done' | 'held' | 'lost' | 'failed';
  readonly token?: number;
  /** Items the job handled, as it said. */
  readonly count?: number;
  readonly code?: string;
  /**
   * Why, for `failed` and `lost`: the coded error's message in the runner's
   * locale (a store's `detail` included). Absent for an error that is not
   * the SDK's (`code` `ERR_INTERNAL`): its message may hold what must not be
   * printed (a connection string), so the job's own logs tell it.
   */
  readonly message?: string;
}

/** What one {@link MaintenanceRunner.runDue} pass did (issue 19; X-2). @public */
export interface MaintenanceReport {
  readonly runs: readonly MaintenanceRun[];
}

/**
 * Runs periodic jobs once per period across a fleet (issue 19; X-2). Every
 * instance runs a runner over the same shared {@link Lease}: for each job
 * whose period is not done, the one instance that acquires its lease runs
 * it with the lease's fencing token, renews the lease while it runs (the
 * heartbeat), records the period done only while it still holds the lease,
 * then releases it. A holder that dies stops renewing: its lease expires
 * and another instance runs the job again in the same period.
 *
 * @public
 */
export interface MaintenanceRunner {
  /** This instance's holder identifier. */
  readonly holder: string;
  /**
   * One pass: runs every job due now, one after the other. Never throws for a job's or the store's failure: see the
   * report. A {@link MaintenanceRunner.stop} during the pass ends it after the running job: the jobs not started are
   * absent from the report.
   */
  runDue(): Promise<MaintenanceReport>;
  /**
   * Starts the loop (a pass every `pollMs`); `onReport` gets each pass's
   * report — what it throws or rejects is ignored: a failing reporter never
   * stops the loop nor the process. Idempotent.
   */
  start(onReport?: (report: MaintenanceReport) => void): void;
  /**
   * Stops the loop, and any pass in progress (the loop's or a {@link MaintenanceRunner.runDue} call), after the job
   * that is running: that job ends, is recorded and its lease given back; no further job starts. Resolves when the
   * loop ended. Idempotent.
   */
  stop(): Promise<void>;
}

interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const timers = globalThis as unknown as Timers;

const DEFAULT_ACTOR: TraceActor = Object.freeze({ personId: 'service', role: 'service', terminalId: 's3404-maintenance' });

/**
 * Creates a maintenance runner (issue 19; X-2): each job once per period
 * across every instance sharing `lease`, fenced, crash-safe, traced.
 *
 * `import { createMaintenanceRunner } from '@s3404/core/maintenance'`
 *
 * @example
 * ```ts
 * const runner = createMaintenanceRunner({
 *   lease: await PostgresLease.open({ pool }),
 *   jobs: [{ name: 'seal.sweep', everyMs: 60_000, run: async () => ({ count: (await consumer.sweep()).expired }) },
 *          { name: 'scor.tick', everyMs: 300_000, run: async () => ({ count: (await lots.tick()).sent.length }) }],
 *   trace,
 * })
 * runner.start()
 * process.on('SIGTERM', () => void runner.stop())
 * ```
 * @throws TypeError for malformed options (a duplicated job name, `heartbeatMs` not below `leaseMs`…).
 * @public
 */
export function createMaintenanceRunner(options: MaintenanceRunnerOptions): MaintenanceRunner {
  const who = 'createMaintenanceRunner';
  if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options are required`);
  const lease = options.lease;
  for (const m of ['acquire', 'renew', 'complete', 'release', 'inspect'] as const) {
    if (typeof (lease as Partial<Lease> | undefined)?.[m] !== 'function') throw new TypeError(`${who}: options.lease must be a Lease`);
  }
  if (!Array.isArray(options.jobs)) throw new TypeError(`${who}: options.jobs must be an array of MaintenanceJob`);
  const names = new Set<string>();
  for (const job of options.jobs) {
    if (job === null || typeof job !== 'object' || typeof job.run !== 'function') throw new TypeError(`${who}: each job needs a name, everyMs and run`);
    checkLeaseKey(who, job.name);
    checkTtl(who, job.everyMs, 'everyMs');
    if (names.has(job.name)) throw new TypeError(`${who}: two jobs are named ${job.name}`);
    names.add(job.name);
  }
  const jobs = [...options.jobs];
  const now = resolveClock(options.now, who);
  const leaseMs = checkTtl(who, options.leaseMs ?? 30_000, 'leaseMs');
  const heartbeatMs = checkTtl(who, options.heartbeatMs ?? Math.max(1, Math.floor(leaseMs / 3)), 'heartbeatMs');
  if (heartbeatMs >= leaseMs) throw new TypeError(`${who}: heartbeatMs must be below leaseMs`);
  const pollMs = checkTtl(who, options.pollMs ?? 10_000, 'pollMs');
  const holder = checkHolder(who, options.holder ?? `maintenance-${uuidV4(resolveRandom(options.random))}`);
  const trace = options.trace;
  const actor = options.actor ?? DEFAULT_ACTOR;
  const locale = options.locale;
  const at = (): Date => readClock(now, who);

  const emit = async (
    action: MaintenanceTraceAction,
    outcome: TraceOutcome,
    job: string,
    period: string,
    token: number,
    extra: { count?: number; code?: string } = {},
  ): Promise<void> => {
    if (trace === undefined) return;
    const event: TraceEvent<MaintenanceTraceAction> = {
      action,
      at: at().toISOString(),
      actor,
      subject: {},
      outcome,
      reason: `${job} ${period} token ${token}`,
      ...(extra.count === undefined ? {} : { count: extra.count }),
      ...(extra.code === undefined ? {} : { code: extra.code }),
    };
    await trace.record(event);
  };

  const codeOf = (e: unknown): string => (isS3404Error(e) ? e.code : 'ERR_INTERNAL');
  /** A failure for the report: its code and, for the SDK's coded errors, its message in the runner's locale. */
  const failureOf = (e: unknown): { code: string; message?: string } => {
    if (!isS3404Error(e)) return { code: 'ERR_INTERNAL' };
    // A coded error of another copy of the SDK (recognised by its shape) may lack `messageIn`: its own message then.
    const message = typeof e.messageIn === 'function' ? e.messageIn(resolveLocale(locale)) : String(e.message);
    return { code: e.code, message: message.slice(0, 500) };
  };
  /** Gives the lease back, whatever the store does (a vendor's `release` that throws at once included): the lease expires anyway. */
  const releaseQuietly = async (grant: LeaseGrant): Promise<void> => {
    try {
      await lease.release(grant);
    } catch {
      // expires by itself after leaseMs
    }
  };

  const runJob = async (job: MaintenanceJob): Promise<MaintenanceRun> => {
    const period = periodOf(at(), job.everyMs);
    const base = { job: job.name, period };
    try {
      const state = await lease.inspect(job.name);
      if (state !== null && state.completed !== null && state.completed >= period) return { ...base, outcome: 'done' };
      if (state !== null && state.holder !== null && state.expiresAt.getTime() > at().getTime()) return { ...base, outcome: 'held' };
    } catch (e) {
      return { ...base, outcome: 'failed', ...failureOf(e) };
    }
    let grant: LeaseGrant | null;
    try {
      grant = await lease.acquire(job.name, { holder, ttlMs: leaseMs });
    } catch (e) {
      return { ...base, outcome: 'failed', ...failureOf(e) };
    }
    if (grant === null) return { ...base, outcome: 'held' };
    const token = grant.token;
    if (grant.completed !== null && grant.completed >= period) {
      await releaseQuietly(grant);
      return { ...base, outcome: 'done', token };
    }

    let current: LeaseGrant = grant;
    let lost = false;
    let lostTraced: Promise<void> | undefined;
    const markLost = (): void => {
      if (lost) return;
      lost = true;
      lostTraced = emit('maintenance.lease-lost', 'failure', job.name, period, token, { code: 'ERR_LEASE_LOST' }).catch(() => undefined);
    };
    const renew = async (): Promise<void> => {
      if (lost) return;
      try {
        const next = await lease.renew(current, { ttlMs: leaseMs });
        if (next === null) markLost();
        else current = next;
      } catch (e) {
        // The store is unreachable: the lease still counts until it expires on our clock.
        if (at().getTime() >= current.expiresAt.getTime()) markLost();
        if (isS3404Error(e) && e.code === 'ERR_LEASE_LOST') markLost();
      }
    };
    let beat: unknown;
    let stopped = false;
    let beating: Promise<void> = Promise.resolve();
    const schedule = (): void => {
      beat = timers.setTimeout(() => {
        beating = renew().then(() => {
          if (!stopped && !lost) schedule();
        });
      }, heartbeatMs);
    };
    const lostError = (): CoreError => new CoreError('ERR_LEASE_LOST', { params: { key: job.name, token }, locale });
    const context: MaintenanceJobContext = {
      job: job.name,
      period,
      token,
      get grant() {
        return current;
      },
      get held() {
        return !lost;
      },
      assertHeld: async () => {
        await renew();
        if (lost) throw lostError();
      },
    };

    let count: number | undefined;
    try {
      await emit('maintenance.started', 'success', job.name, period, token);
      schedule();
      const result = await job.run(context);
      const n = (result as { count?: unknown } | undefined)?.count;
      if (typeof n === 'number' && Number.isFinite(n)) count = n;
    } catch (e) {
      stopped = true;
      timers.clearTimeout(beat);
      await beating;
      await lostTraced;
      const failure = failureOf(lost ? lostError() : e);
      if (!lost) await releaseQuietly(current);
      await emit('maintenance.failed', 'failure', job.name, period, token, { code: failure.code }).catch(() => undefined);
      return { ...base, outcome: lost ? 'lost' : 'failed', token, ...failure };
    }
    stopped = true;
    timers.clearTimeout(beat);
    await beating;
    try {
      if (!lost && !(await lease.complete(current, { period }))) markLost();
    } catch (e) {
      await emit('maintenance.failed', 'failure', job.name, period, token, { code: codeOf(e) }).catch(() => undefined);
      return { ...base, outcome: 'failed', token, ...failureOf(e) };
    }
    await lostTraced;
    if (lost) {
      await emit('maintenance.failed', 'failure', job.name, period, token, { code: 'ERR_LEASE_LOST' }).catch(() => undefined);
      return { ...base, outcome: 'lost', token, ...failureOf(lostError()) };
    }
    await releaseQuietly(current);
    try {
      await emit('maintenance.ended', 'success', job.name, period, token, count === undefined ? {} : { count });
    } catch (e) {
      return { ...base, outcome: 'failed', token, ...failureOf(e) };
    }
    return { ...base, outcome: 'ran', token, ...(count === undefined ? {} : { count }) };
  };

  // Bumped by stop(): a pass started before it ends after the job that is running (SIGTERM mid-pass: the job in hand
  // completes and gives its lease back, the next ones are not started), instead of running every job left.
  let stops = 0;
  const runDue = async (): Promise<MaintenanceReport> => {
    const epoch = stops;
    const runs: MaintenanceRun[] = [];
    for (const job of jobs) {
      if (stops !== epoch) break;
      runs.push(await runJob(job));
    }
    return { runs };
  };

  let loop: Promise<void> | undefined;
  let running = false;
  let wake: (() => void) | undefined;
  let sleeping: unknown;

  return {
    holder,
    runDue,
    start(onReport) {
      if (loop !== undefined) return;
      running = true;
      loop = (async () => {
        while (running) {
          const report = await runDue().catch((e: unknown) => ({ runs: [{ job: '*', period: '', outcome: 'failed' as const, ...failureOf(e) }] }));
          notifyQuietly(onReport, report);
          if (!running) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
            sleeping = timers.setTimeout(resolve, pollMs);
          });
        }
      })();
    },
    async stop() {
      stops++;
      running = false;
      timers.clearTimeout(sleeping);
      wake?.();
      await loop;
      loop = undefined;
    },
  };
}

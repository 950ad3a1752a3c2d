import type { LeaseGrant } from './lease.js';

/**
 * What a job is given for one run (issue 19; X-2): the period it runs for, the
 * lease it runs under and its fencing token, and a way to check the lease
 * before it commits.
 *
 * `import type { MaintenanceJobContext } from '@s3404/core/maintenance'`
 *
 * @public
 */
export interface MaintenanceJobContext {
  /** The job's name (its lease key). */
  readonly job: string;
  /** The period, the ISO 8601 UTC instant it starts at, e.g. `2026-04-08T02:00:00.000Z`. */
  readonly period: string;
  /** The fencing token of the lease: pass it to a resource that refuses older tokens. */
  readonly token: number;
  /** The lease held (e.g. for `PostgresLease.fence` inside the job's transaction). */
  readonly grant: LeaseGrant;
  /** `false` once the heartbeat found the lease lost: stop, commit nothing. No I/O. */
  readonly held: boolean;
  /**
   * Renews the lease now and checks it is still held: call it right before
   * committing what cannot be done twice.
   * @throws CoreError `ERR_LEASE_LOST`; `ERR_LEASE_STORE_UNAVAILABLE`.
   */
  assertHeld(): Promise<void>;
}

/**
 * One periodic maintenance job (issue 19; the sweeps of SIG-6, the lot lifecycle of SCOR-3, the
 * checkpoints and retention of AUD-2 and AUD-3): a name (its lease key, e.g.
 * `seal.sweep`), a period, and the work. The work must be idempotent or
 * resume (a holder killed mid-run leaves it half done, and another
 * instance runs it again in the same period); the SDK's jobs are:
 * `consumer.sweep()` and `consumer.purgeTombstones()` of `@s3404/seal`,
 * `lots.tick()` of `@s3404/scor`, `log.checkpoint()` and `log.purge()` of
 * `@s3404/audit`. The returned `count` (items handled) goes to the trace.
 *
 * `import type { MaintenanceJob } from '@s3404/core/maintenance'`
 *
 * @example
 * ```ts
 * const sweep: MaintenanceJob = { name: 'seal.sweep', everyMs: 60_000,
 *   run: async () => { const r = await consumer.sweep(); return { count: r.expired + r.abandoned } } }
 * ```
 * @public
 */
export interface MaintenanceJob {
  /** 1 to 128 of `A-Z a-z 0-9 . _ : -`: the lease key, unique in the fleet. */
  readonly name: string;
  /** The period, milliseconds: the job runs once in each `[k × everyMs, (k + 1) × everyMs)` (UTC epoch). */
  readonly everyMs: number;
  run(context: MaintenanceJobContext): Promise<{ readonly count?: number } | undefined> | Promise<void>;
}

/**
 * The period `at` falls in for a job run every `everyMs` (issue 19; X-2): the
 * ISO 8601 UTC instant the period starts at.
 *
 * `import { periodOf } from '@s3404/core/maintenance'`
 *
 * @example
 * ```ts
 * periodOf(new Date('2026-04-08T09:31:20Z'), 3_600_000) // '2026-04-08T09:00:00.000Z'
 * ```
 * @throws TypeError when `everyMs` is not a positive integer or `at` no valid Date.
 * @public
 */
export function periodOf(at: Date, everyMs: number): string {
  if (!Number.isSafeInteger(everyMs) || everyMs < 1) throw new TypeError('periodOf: everyMs must be a positive integer');
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('periodOf: at must be a valid Date');
  return new Date(Math.floor(at.getTime() / everyMs) * everyMs).toISOString();
}

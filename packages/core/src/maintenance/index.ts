/**
 * `@s3404/core/maintenance` — one maintenance runner per fleet (issue 19; X-2):
 * the periodic jobs of the SDK (sweeping expired signature records, SCOR lot
 * ticks, audit checkpoints and retention purges) run by every instance but
 * executed once per period, under a {@link Lease} with a fencing token,
 * renewed while the job runs, taken over when its holder dies. The runner
 * and the in-memory lease are runtime-neutral; the PostgreSQL and Redis
 * leases are on `@s3404/core/postgres` and `@s3404/core/redis`. Guide:
 * `docs/maintenance.md`.
 *
 * @packageDocumentation
 */
export type { Lease, LeaseGrant, LeaseState, AcquireLeaseOptions } from './lease.js';
export { MemoryLease, type MemoryLeaseOptions } from './memory-lease.js';
export { periodOf, type MaintenanceJob, type MaintenanceJobContext } from './maintenance-job.js';
export {
  createMaintenanceRunner,
  type MaintenanceReport,
  type MaintenanceRun,
  type MaintenanceRunner,
  type MaintenanceRunnerOptions,
  type MaintenanceTraceAction,
} from './maintenance-runner.js';

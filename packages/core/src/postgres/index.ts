/**
 * `@s3404/core/postgres` — the PostgreSQL lease of the maintenance runner
 * (issue 19): `PostgresLease`, over the application's `pg` pool (core
 * loads no driver). See `@s3404/core/maintenance` and `docs/maintenance.md`.
 *
 * @packageDocumentation
 */
export { PostgresLease, type PostgresLeaseOptions } from '../stores/postgres-lease.js';

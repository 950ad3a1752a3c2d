/**
 * `@s3404/audit/postgres` — the shared, durable trace on PostgreSQL: every
 * process and host of a service appends to one hash chain in one table,
 * serialised by an advisory lock, with append-only enforced by database
 * triggers (AUD-2, AUD-3). Node only; needs the optional peer `pg`.
 *
 * @packageDocumentation
 */
export { PostgresAuditStore, type PostgresAuditStoreOptions } from './postgres-audit-store.js';

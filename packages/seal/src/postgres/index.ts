/**
 * `@s3404/seal/postgres` — the shared, durable consumption store on
 * PostgreSQL: every process and host of a service claims records against the
 * same tables, exactly one winner per record (SIG-5, SIG-6). Node only; needs
 * the optional peer `pg`.
 *
 * @packageDocumentation
 */
export { PostgresConsumptionStore, type PostgresStoreOptions } from './postgres-store.js';

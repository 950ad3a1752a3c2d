/**
 * `@s3404/seal/postgres` — the shared, durable consumption store on
 * PostgreSQL: every process and host of a service claims records against the
 * same tables, exactly one winner per record (SIG-5, SIG-6); and the capture
 * contexts shown and not yet used, shared by every server of a fleet (SIG-1).
 * Node only; needs the optional peer `pg`.
 *
 * @packageDocumentation
 */
export { PostgresConsumptionStore, type PostgresStoreOptions } from './postgres-store.js';
export { PostgresContextRegistry, type PostgresContextRegistryOptions } from './postgres-context-registry.js';

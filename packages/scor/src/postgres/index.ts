/**
 * `@s3404/scor/postgres` — the shared, durable lot store on PostgreSQL:
 * every process and host of a service runs the lot lifecycle on the same
 * tables, with compare-and-set updates on the lot's version and a purge
 * that deletes the container in the same statement (SCOR-3). Node only;
 * needs the optional peer `pg`.
 *
 * @packageDocumentation
 */
export { PostgresLotStore, type PostgresLotStoreOptions } from './postgres-lot-store.js';

/**
 * `@s3404/seal/sqlite` — the embedded, durable consumption store: one SQLite
 * file shared by the processes of one machine, no server (SIG-5, SIG-6).
 * Node only; needs the optional peer `better-sqlite3`.
 *
 * @packageDocumentation
 */
export { SqliteConsumptionStore, type SqliteStoreOptions } from './sqlite-store.js';

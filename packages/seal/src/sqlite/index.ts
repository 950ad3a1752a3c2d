/**
 * `@s3404/seal/sqlite` — the embedded, durable consumption store: one SQLite
 * file shared by the processes of one machine, no server (SIG-5, SIG-6).
 * Node with the optional peer `better-sqlite3` (or Node ≥ 22.5 with `node:sqlite`
 * without it), Bun on `bun:sqlite`, Deno on `node:sqlite`.
 *
 * @packageDocumentation
 */
export { SqliteConsumptionStore, type SqliteStoreOptions } from './sqlite-store.js';

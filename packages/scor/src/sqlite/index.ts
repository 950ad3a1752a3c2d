/**
 * `@s3404/scor/sqlite` — the embedded, durable lot store: one SQLite file
 * shared by the processes of one machine, no server (SCOR-3). Updates are
 * compare-and-set on the lot's version; the purge deletes the container in
 * the same transaction and zeroes its pages. Node with the optional peer
 * `better-sqlite3` (or Node ≥ 22.5 with `node:sqlite` without it), Bun on
 * `bun:sqlite`, Deno on `node:sqlite`.
 *
 * @packageDocumentation
 */
export { SqliteLotStore, type SqliteLotStoreOptions } from './sqlite-lot-store.js';

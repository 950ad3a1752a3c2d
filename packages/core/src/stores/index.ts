/**
 * `@s3404/core/stores` — the store kit: the shared plumbing of the SDK's
 * PostgreSQL and SQLite stores (`@s3404/seal/postgres`, `@s3404/scor/sqlite`,
 * `@s3404/audit/postgres`…), so that every store keeps one contract
 * (`docs/conventions.md`): checked options, the schema ensured once under a
 * lock, transient failures retried, backend failures as the package's
 * `…_STORE_UNAVAILABLE` with `cause` (a Redis key of the wrong kind as its
 * `…_STORE_CORRUPT`), `null` for a missing item, and an
 * idempotent `close()`. It imports no driver: each store passes its own.
 *
 * @internal Not a stable API: for the s3404 packages.
 * @packageDocumentation
 */
export {
  storeFailure,
  backendFailure,
  isWrongKindOfKey,
  damageOf,
  failureClassOf,
  misconfigurationOf,
  failureReason,
  driverCode,
  type BackendErrors,
} from './store-failure.js';
export {
  PostgresSession,
  PassThrough,
  isTransientPgError,
  type PgClient,
  type PgPool,
  type PgQueryable,
  type PgResult,
  type PostgresConnectionOptions,
  type PostgresStoreSpec,
} from './postgres-session.js';
export { openSqliteDatabase, type SqliteDatabaseLike, type SqliteFileOptions, type SqliteStoreSpec } from './sqlite-database.js';
export {
  defaultSqliteDriver,
  openSqliteDriver,
  type OpenSqliteDriverOptions,
  type SqliteDriverDatabase,
  type SqliteDriverName,
  type SqliteStatement,
} from './sqlite-driver.js';
export { withoutUrlParam } from './url-param.js';
export { redisConnector, type LazyRedisClient } from './redis-connect.js';

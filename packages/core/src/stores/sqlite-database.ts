import { backendFailure } from './store-failure.js';

/** The part of a better-sqlite3 `Database` the kit uses. @internal */
export interface SqliteDatabaseLike {
  readonly open: boolean;
  pragma(source: string): unknown;
  exec(source: string): unknown;
  transaction(fn: () => void): { immediate(): unknown };
  close(): unknown;
}

/**
 * The file options every SQLite store of the SDK takes (the store contract
 * of `docs/conventions.md`).
 *
 * @internal Each store exports its own options type extending this one.
 */
export interface SqliteFileOptions {
  /** The database file; created with its tables if missing. Shared by every process of the machine. */
  readonly path: string;
  /**
   * `full` (default): a write survives a power loss once the call returns.
   * `normal`: survives a process crash (SIGKILL), not a power loss; faster.
   */
  readonly synchronous?: 'full' | 'normal';
  /** How long to wait for another process's write lock, milliseconds. Default 10000. */
  readonly busyTimeoutMs?: number;
}

/** What a SQLite store tells the kit about itself. @internal */
export interface SqliteStoreSpec<D extends SqliteDatabaseLike> {
  /** Names the caller in TypeErrors, e.g. `SqliteLotStore.open`. */
  readonly who: string;
  /** Opens the file: `(path, options) => new Database(path, options)`, or `openSqliteDriver` (any runtime). */
  readonly openDatabase: (path: string, options: { timeout: number }) => D | Promise<D>;
  /** The DDL (`CREATE … IF NOT EXISTS`), run in one immediate transaction. */
  readonly schema: string;
  /** Pragmas after the journal, synchronous and secure-delete ones, e.g. `foreign_keys = ON`. */
  readonly pragmas?: readonly string[];
  /** The package's `…_STORE_UNAVAILABLE` error for a backend failure, with `cause`. */
  readonly unavailable: (cause: unknown, reason: string) => Error;
  /** The package's `…_STORE_MISCONFIGURED` error for a refusal no retry changes (a read-only file, a missing table: `misconfigurationOf`). */
  readonly misconfigured: (cause: unknown, reason: string) => Error;
  /** The package's `…_STORE_CORRUPT` error for data the backend reports damaged (`damageOf`: `SQLITE_CORRUPT`, SQLSTATE `XX001`/`XX002`). */
  readonly corrupt: (cause: unknown, reason: string) => Error;
}

/**
 * Opens a store's SQLite file the one way every SQLite store of the SDK does
 * (SIG-5, SIG-6, SCOR-3): checked options, WAL journal, the chosen
 * `synchronous`, `secure_delete` (freed pages are zeroed, so a deleted
 * image or container does not linger in the file), the schema in one
 * immediate transaction — safe when several processes open the file at
 * once. Failures are the spec's `…_STORE_UNAVAILABLE`; the file is closed.
 *
 * `import { openSqliteDatabase } from '@s3404/core/stores'`
 *
 * @throws TypeError for malformed options.
 * @internal Shared plumbing of the s3404 store subpaths; not a stable API.
 */
export async function openSqliteDatabase<D extends SqliteDatabaseLike>(options: SqliteFileOptions, spec: SqliteStoreSpec<D>): Promise<D> {
  const who = spec.who;
  if (options === null || typeof options !== 'object' || typeof options.path !== 'string' || options.path === '') {
    throw new TypeError(`${who}: options.path must be a non-empty string`);
  }
  const sync = options.synchronous ?? 'full';
  if (sync !== 'full' && sync !== 'normal') throw new TypeError(`${who}: synchronous must be 'full' or 'normal'`);
  const busy = options.busyTimeoutMs ?? 10_000;
  if (!Number.isInteger(busy) || busy < 0 || busy > 2_147_483_647) throw new TypeError(`${who}: busyTimeoutMs must be a non-negative integer`);
  const failure = (e: unknown): Error => backendFailure(e, 'sqlite', 'open', spec);
  let db: D;
  try {
    db = await spec.openDatabase(options.path, { timeout: busy });
  } catch (e) {
    throw failure(e);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('secure_delete = ON');
    for (const p of spec.pragmas ?? []) db.pragma(p);
    db.transaction(() => db.exec(spec.schema)).immediate();
    return db;
  } catch (e) {
    db.close();
    throw failure(e);
  }
}

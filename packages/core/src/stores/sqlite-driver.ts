/**
 * The one small SQLite driver interface of the SDK's embedded stores (SIG-5, SCOR-3, X-1): the
 * part of better-sqlite3 they use, and adapters that give it on the SQLite built into Bun
 * (`bun:sqlite`) and into Deno and Node ≥ 22.5 (`node:sqlite`).
 */

/** A prepared statement: positional parameters `P`, rows `R`. @internal */
export interface SqliteStatement<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): { changes: number };
  /** The first row, `undefined` when there is none. */
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** The database the SDK's SQLite stores use, whatever the driver. @internal */
export interface SqliteDriverDatabase {
  readonly open: boolean;
  /** Sets a pragma (`journal_mode = WAL`). */
  pragma(source: string): unknown;
  exec(source: string): unknown;
  prepare<P extends unknown[] = unknown[], R = unknown>(source: string): SqliteStatement<P, R>;
  /** `fn` in one `BEGIN IMMEDIATE` transaction, committed when it returns, rolled back when it throws. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): { immediate(...args: A): R };
  close(): unknown;
}

/** Which SQLite the store runs on. @internal */
export type SqliteDriverName = 'better-sqlite3' | 'bun:sqlite' | 'node:sqlite';

/** How a store opens its file. @internal */
export interface OpenSqliteDriverOptions {
  /** How long to wait for another process's write lock, milliseconds. */
  readonly timeout: number;
  /**
   * Loads better-sqlite3 from the store's own package (`() => import('better-sqlite3')`): its
   * optional peer, resolved where it is installed. Used on Node; without it (not installed, or
   * its native addon not loadable: built for another Node), Node ≥ 22.5 falls back to `node:sqlite`.
   */
  readonly betterSqlite3: () => Promise<unknown>;
  /** Forces a driver (tests). Default: `bun:sqlite` in Bun, `node:sqlite` in Deno, better-sqlite3 elsewhere. */
  readonly driver?: SqliteDriverName | undefined;
}

interface RawStatement {
  run(...params: unknown[]): { changes: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** `bun:sqlite`: releases the statement (its database closes only once they all are). */
  finalize?(): void;
}
interface RawDatabase {
  exec(source: string): unknown;
  prepare(source: string): RawStatement;
  close(): unknown;
}

/** Built-in modules, imported by a name bundlers and type checkers do not resolve. */
const importBuiltin = (name: string): Promise<Record<string, unknown>> => import(/* @vite-ignore */ name) as Promise<Record<string, unknown>>;

/**
 * The driver of the runtime: Bun's, Deno's, else better-sqlite3.
 *
 * `import { defaultSqliteDriver } from '@s3404/core/stores'`
 *
 * @internal
 */
export function defaultSqliteDriver(): SqliteDriverName {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return 'bun:sqlite';
  if (g.Deno !== undefined) return 'node:sqlite';
  return 'better-sqlite3';
}

/**
 * Opens a SQLite file with the runtime's driver behind {@link SqliteDriverDatabase} (X-1, for
 * the SIG-5 and SCOR-3 stores): `bun:sqlite` in Bun, `node:sqlite` in Deno, better-sqlite3 on
 * Node (`node:sqlite` from Node 22.5 when better-sqlite3 is not installed or its native addon
 * does not load). A busy lock is waited
 * for `timeout` milliseconds whatever the driver.
 *
 * `import { openSqliteDriver } from '@s3404/core/stores'`
 *
 * @example
 * ```ts
 * const db = await openSqliteDriver('lots.sqlite', { timeout: 10_000, betterSqlite3: () => import('better-sqlite3') })
 * db.transaction(() => db.prepare('INSERT INTO t VALUES (?)').run('x')).immediate()
 * ```
 * @throws TypeError for a malformed timeout or loader.
 * @throws the driver's error when the file cannot be opened, or when no driver is available
 * (Node < 22.5 without better-sqlite3).
 * @internal Shared plumbing of the s3404 store subpaths; not a stable API.
 */
export async function openSqliteDriver(path: string, options: OpenSqliteDriverOptions): Promise<SqliteDriverDatabase> {
  if (!Number.isInteger(options?.timeout) || options.timeout < 0 || options.timeout > 2_147_483_647)
    throw new TypeError('openSqliteDriver: options.timeout must be a non-negative integer (milliseconds)');
  if (typeof options.betterSqlite3 !== 'function') throw new TypeError('openSqliteDriver: options.betterSqlite3 must be a function');
  const driver = options.driver ?? defaultSqliteDriver();
  if (driver === 'bun:sqlite') {
    const { Database } = (await importBuiltin('bun:sqlite')) as { Database: new (path: string, o: { create: boolean }) => RawDatabase };
    const db = new Database(path, { create: true });
    db.exec(`PRAGMA busy_timeout = ${options.timeout}`);
    return adapt(db, 'null-is-none');
  }
  if (driver === 'better-sqlite3') {
    let loaded: unknown;
    try {
      loaded = await options.betterSqlite3();
    } catch (e) {
      if (options.driver === 'better-sqlite3' || !(await hasNodeSqlite())) throw e;
      return openNodeSqlite(path, options.timeout);
    }
    const Database = ((loaded as { default?: unknown }).default ?? loaded) as BetterSqlite3;
    // Installed but unusable — its native addon built for another Node (an upgrade without a reinstall), or
    // missing: `node:sqlite` where the runtime has it, as when better-sqlite3 is not installed (issue 19).
    if (options.driver === undefined && !addonWorks(Database) && (await hasNodeSqlite())) return openNodeSqlite(path, options.timeout);
    return new Database(path, { timeout: options.timeout });
  }
  return openNodeSqlite(path, options.timeout);
}

type BetterSqlite3 = new (path: string, o?: { timeout: number }) => SqliteDriverDatabase;

/** Whether each better-sqlite3 constructor loaded so far can open a database (its native addon loads). */
const addons = new WeakMap<BetterSqlite3, boolean>();

/**
 * Whether better-sqlite3's native addon loads: it is loaded by the first
 * database opened, so an in-memory one is opened (and closed) once per
 * process to know, apart from any error of the file itself.
 */
function addonWorks(Database: BetterSqlite3): boolean {
  let works = addons.get(Database);
  if (works === undefined) {
    try {
      new Database(':memory:').close();
      works = true;
    } catch {
      works = false;
    }
    addons.set(Database, works);
  }
  return works;
}

async function hasNodeSqlite(): Promise<boolean> {
  try {
    await importBuiltin('node:sqlite');
    return true;
  } catch {
    return false;
  }
}

async function openNodeSqlite(path: string, timeout: number): Promise<SqliteDriverDatabase> {
  const { DatabaseSync } = (await importBuiltin('node:sqlite')) as { DatabaseSync: new (path: string) => RawDatabase };
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${timeout}`);
  return adapt(db, 'undefined-is-none');
}

/** better-sqlite3's subset on a built-in driver (`bun:sqlite` answers `null` for no row, `node:sqlite` `undefined`). */
function adapt(db: RawDatabase, none: 'null-is-none' | 'undefined-is-none'): SqliteDriverDatabase {
  let open = true;
  let depth = 0;
  const statements = new Set<RawStatement>();
  // Bun keeps a closed database usable by its live statements: a closed store refuses every call, as better-sqlite3 does.
  const live = <T>(work: () => T): T => {
    if (!open) throw new TypeError('The database connection is not open');
    return work();
  };
  return {
    get open() {
      return open;
    },
    pragma: (source) => live(() => db.exec(`PRAGMA ${source}`)),
    exec: (source) => live(() => db.exec(source)),
    prepare<P extends unknown[], R>(source: string): SqliteStatement<P, R> {
      const s = live(() => db.prepare(source));
      statements.add(s);
      return {
        run: (...params) => live(() => ({ changes: Number(s.run(...params).changes) })),
        get: (...params) =>
          live(() => {
            const row = s.get(...params);
            return (none === 'null-is-none' && row === null ? undefined : row) as R | undefined;
          }),
        all: (...params) => live(() => s.all(...params) as R[]),
      };
    },
    transaction<A extends unknown[], R>(fn: (...args: A) => R) {
      return {
        immediate: (...args: A): R => {
          // A transaction inside another runs in it, as better-sqlite3's do.
          if (depth > 0) return fn(...args);
          db.exec('BEGIN IMMEDIATE');
          depth++;
          try {
            const result = fn(...args);
            db.exec('COMMIT');
            return result;
          } catch (e) {
            try {
              db.exec('ROLLBACK');
            } catch {
              // No transaction left to roll back (SQLite already did): the first error is the one to report.
            }
            throw e;
          } finally {
            depth--;
          }
        },
      };
    },
    close: () => {
      if (!open) return;
      open = false;
      for (const s of statements) s.finalize?.();
      statements.clear();
      db.close();
    },
  };
}

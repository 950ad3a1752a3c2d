import { backendFailure } from './store-failure.js';

/** What a query returns: the shape of `pg`'s result that the stores use. @internal */
export interface PgResult<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

/** Something that runs queries: a pool or a checked-out client (`pg`'s shape). @internal */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<PgResult<unknown>>;
}

/** A checked-out connection (`pg.PoolClient`'s shape). @internal */
export interface PgClient extends PgQueryable {
  release(error?: Error | boolean): void;
  on?(event: 'error', listener: (e: Error) => void): unknown;
  removeListener?(event: 'error', listener: (e: Error) => void): unknown;
}

/** A connection pool (`pg.Pool`'s shape). @internal */
export interface PgPool extends PgQueryable {
  connect(): Promise<PgClient>;
  end(): Promise<void>;
}

/**
 * The connection options every PostgreSQL store of the SDK takes (the store
 * contract of `docs/conventions.md`). Give exactly one of `pool` and
 * `connectionString`.
 *
 * @internal Each store exports its own options type extending this one.
 */
export interface PostgresConnectionOptions<P = PgPool> {
  /** A pool the application owns: the store uses it and never ends it. */
  readonly pool?: P;
  /** A connection string: the store creates its own pool and ends it on `close()`. */
  readonly connectionString?: string;
  /**
   * Prefix of the store's table names, so several stores (or applications)
   * can share a database: lowercase letters, digits and `_`, 1 to 31
   * characters, not starting with a digit.
   */
  readonly tablePrefix?: string;
  /** Maximum connections of the pool the store creates (with `connectionString`). Default: `pg`'s (10). */
  readonly poolSize?: number;
  /**
   * Creates the tables, indexes (and triggers) if missing. Default `true`;
   * `false` when a migration tool owns the schema or the role may not run DDL.
   */
  readonly createTables?: boolean;
}

/** What a store tells the kit about itself (the store contract). @internal */
export interface PostgresStoreSpec {
  /** Names the caller in TypeErrors, e.g. `PostgresLotStore.open`. */
  readonly who: string;
  /** The table prefix when none is given, e.g. `s3404_scor_`. */
  readonly defaultPrefix: string;
  /** Makes a pool from a connection string: `(config) => new pg.Pool(config)`. */
  readonly createPool: (config: { connectionString: string; max?: number }) => PgPool & { on?(event: 'error', listener: (e: Error) => void): unknown };
  /** The DDL, and every relation it creates: when all exist, opening runs no DDL. */
  readonly schema: (prefix: string) => { readonly ddl: string; readonly relations: readonly string[] };
  /** The advisory lock (a signed 64-bit integer, as text) that serialises schema creation between processes. */
  readonly schemaLock: string;
  /** The package's `…_STORE_UNAVAILABLE` error for a backend failure, with `cause`. */
  readonly unavailable: (cause: unknown, reason: string) => Error;
  /** The package's `…_STORE_MISCONFIGURED` error for a refusal no retry changes (a right, a table, a column: `misconfigurationOf`). */
  readonly misconfigured: (cause: unknown, reason: string) => Error;
  /** The package's `…_STORE_CORRUPT` error for data the backend reports damaged (`damageOf`: `SQLITE_CORRUPT`, SQLSTATE `XX001`/`XX002`). */
  readonly corrupt: (cause: unknown, reason: string) => Error;
}

/**
 * An error the caller's code threw inside {@link PostgresSession.transaction}
 * that must reach the caller as it is, not as a store failure.
 *
 * @internal
 */
export class PassThrough {
  constructor(readonly error: unknown) {}
}

const PREFIX = /^[a-z_][a-z0-9_]{0,30}$/;

/**
 * A PostgreSQL deadlock (40P01) or serialization failure (40001): the
 * server rolled the statement or transaction back whole, so running it
 * again is safe.
 *
 * @internal
 */
export function isTransientPgError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The shared plumbing of the SDK's PostgreSQL stores (SIG-5, SCOR-3, AUD-2):
 * checks the connection options, opens a pool or takes the caller's, ensures
 * the schema once under an advisory lock, retries transient failures, turns
 * driver failures into the package's `…_STORE_UNAVAILABLE` (with `cause`),
 * and closes idempotently (ending only a pool it created).
 *
 * `import { PostgresSession } from '@s3404/core/stores'`
 *
 * @internal Shared plumbing of the s3404 store subpaths; not a stable API.
 */
export class PostgresSession {
  readonly pool: PgPool;
  readonly prefix: string;
  readonly #owned: boolean;
  readonly #spec: PostgresStoreSpec;
  #closed = false;

  private constructor(pool: PgPool, owned: boolean, prefix: string, spec: PostgresStoreSpec) {
    this.pool = pool;
    this.#owned = owned;
    this.prefix = prefix;
    this.#spec = spec;
  }

  /**
   * Checks `options`, opens the pool (or takes the given one) and, unless
   * `createTables` is `false`, creates the schema if any relation is
   * missing.
   *
   * @throws TypeError for malformed options; the spec's `unavailable` error when the database is unreachable or the DDL fails.
   */
  static async open(options: PostgresConnectionOptions<unknown>, spec: PostgresStoreSpec): Promise<PostgresSession> {
    const who = spec.who;
    if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options are required`);
    const hasPool = options.pool !== undefined;
    const hasUrl = options.connectionString !== undefined;
    if (hasPool === hasUrl) throw new TypeError(`${who}: give exactly one of options.pool and options.connectionString`);
    const given = options.pool as Partial<PgPool> | null | undefined;
    if (hasPool && (given === null || typeof given !== 'object' || typeof given.query !== 'function' || typeof given.connect !== 'function')) {
      throw new TypeError(`${who}: options.pool must be a pg.Pool`);
    }
    if (hasUrl && (typeof options.connectionString !== 'string' || options.connectionString === '')) {
      throw new TypeError(`${who}: options.connectionString must be a non-empty string`);
    }
    const prefix = options.tablePrefix ?? spec.defaultPrefix;
    if (typeof prefix !== 'string' || !PREFIX.test(prefix)) throw new TypeError(`${who}: tablePrefix must match /^[a-z_][a-z0-9_]{0,30}$/`);
    if (options.poolSize !== undefined) {
      if (hasPool) throw new TypeError(`${who}: poolSize applies only with connectionString`);
      if (!Number.isInteger(options.poolSize) || options.poolSize < 1) throw new TypeError(`${who}: poolSize must be a positive integer`);
    }
    const createTables = options.createTables ?? true;
    if (typeof createTables !== 'boolean') throw new TypeError(`${who}: createTables must be a boolean`);

    let pool: PgPool;
    if (hasPool) {
      pool = given as PgPool;
    } else {
      const config: { connectionString: string; max?: number } = { connectionString: options.connectionString! };
      if (options.poolSize !== undefined) config.max = options.poolSize;
      try {
        const created = spec.createPool(config);
        // An idle connection that breaks (server restart) must not crash the
        // process: the pool drops it and the next query reconnects or fails.
        created.on?.('error', () => {});
        pool = created;
      } catch (e) {
        throw backendFailure(e, 'postgres', 'open', spec);
      }
    }
    const session = new PostgresSession(pool, !hasPool, prefix, spec);
    if (createTables) {
      try {
        await session.#ensureSchema();
      } catch (e) {
        await session.close().catch(() => undefined);
        throw e;
      }
    }
    return session;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The spec's `misconfigured` or `unavailable` error for `cause` during `op` (coded errors pass as they are). */
  failure(op: string, cause: unknown): Error {
    return backendFailure(cause, 'postgres', op, this.#spec);
  }

  /**
   * Creates the schema unless a lock-free probe finds every relation. The
   * probe takes no lock: `CREATE INDEX IF NOT EXISTS` locks its table in
   * SHARE mode even when the index exists, so running the DDL while other
   * handles work would wait for them and could deadlock. When something is
   * missing, the DDL runs in one transaction under the advisory lock, again
   * if PostgreSQL aborted it for a deadlock.
   */
  async #ensureSchema(): Promise<void> {
    const { ddl, relations } = this.#spec.schema(this.prefix);
    const probe = await this.query<{ ready: boolean }>(
      'open',
      'SELECT count(*) = cardinality($1::text[]) AS ready FROM unnest($1::text[]) AS n WHERE to_regclass(n) IS NOT NULL',
      [relations],
    );
    if (probe.rows[0]?.ready === true) return;
    await this.transaction(
      'open',
      async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(${BigInt(this.#spec.schemaLock).toString()})`);
        await client.query(ddl);
      },
      { retries: 5 },
    );
  }

  /**
   * One statement on the pool, retried when PostgreSQL aborted it for a
   * deadlock or a serialization failure (it was rolled back whole, so
   * running it again is safe); any other failure is the store's
   * `…_STORE_UNAVAILABLE`.
   */
  async query<R>(op: string, text: string, values?: unknown[]): Promise<PgResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.pool.query(text, values)) as unknown as PgResult<R>;
      } catch (e) {
        if (!isTransientPgError(e) || attempt >= 8) throw this.failure(op, e);
        await pause(Math.random() * 5 * attempt);
      }
    }
  }

  /**
   * Runs `fn` in one transaction on one connection (`BEGIN` or `options.begin`),
   * commits, and rolls back on failure. A transaction PostgreSQL aborted for
   * a deadlock or a serialization failure is run again, whole, up to
   * `options.retries` times (default 0: `fn` may have effects outside the
   * database). Errors `fn` wraps in {@link PassThrough} and coded errors
   * reach the caller as they are; others are `…_STORE_UNAVAILABLE`.
   */
  async transaction<T>(op: string, fn: (client: PgQueryable) => Promise<T>, options: { readonly begin?: string; readonly retries?: number } = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let client: PgClient;
      try {
        client = await this.pool.connect();
      } catch (e) {
        throw this.failure(op, e);
      }
      let broken: Error | undefined;
      // The pool listens for the errors of idle connections only: a connection checked out here that breaks
      // (backend terminated, server restart, network cut) emits 'error' on the client, which would crash the
      // process (issue 19). Kept instead: the statement running fails too, and the connection is destroyed.
      const onError = (e: Error): void => {
        broken ??= e;
      };
      client.on?.('error', onError);
      try {
        await client.query(options.begin ?? 'BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((r: unknown) => {
          broken = r instanceof Error ? r : new Error(String(r));
        });
        if (e instanceof PassThrough) throw e.error;
        if (!isTransientPgError(e) || attempt >= (options.retries ?? 0)) throw this.failure(op, e);
      } finally {
        client.removeListener?.('error', onError);
        client.release(broken);
      }
      await pause(Math.random() * 20 * (attempt + 1));
    }
  }

  /** Ends the pool if the session created it (`connectionString`); a given `pool` is left open. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await this.pool.end();
  }
}

import pg from 'pg';
import { readClock, resolveClock, resolveLocale, type Clock, type Locale } from '@s3404/core';
import { PostgresSession, driverCode, type PostgresConnectionOptions, type PostgresStoreSpec } from '@s3404/core/stores';
import type { CaptureContext, ContextRegistry } from '../capture-context.js';
import { CONTEXT_NONCE, contextFromText, contextToText } from '../internal/stored-context.js';
import { storeCorrupt, storeCorruptFailure, storeMisconfigured, storeUnavailable } from '../internal/store-failure.js';

/**
 * Options of {@link PostgresContextRegistry.open} (SIG-1): the connection
 * (give exactly one of `pool` and `connectionString`) and the table prefix,
 * default `s3404_` (the table is `<prefix>capture_contexts`).
 *
 * `import type { PostgresContextRegistryOptions } from '@s3404/seal/postgres'`
 *
 * @public
 */
export interface PostgresContextRegistryOptions extends PostgresConnectionOptions<pg.Pool> {
  /** The clock that decides which contexts expired (the sealer's). Default: the system clock. */
  readonly now?: Clock;
  /** Language of the registry's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

const SCHEMA_LOCK = '340400510002';

function schema(p: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${p}capture_contexts (
  nonce text PRIMARY KEY,
  context text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ${p}capture_contexts_expires_at ON ${p}capture_contexts (expires_at);
`;
}

/** Registrations between two deletions of the expired contexts. */
const SWEEP_EVERY = 256;

/**
 * The capture contexts shown and not yet used, shared by every server on one
 * PostgreSQL database (SIG-1, issue 19): a tablet shown a context by one
 * server behind a load balancer can send its capture to another. `register`
 * inserts the context under its nonce (never over another one); `take`
 * deletes it and returns what it deleted, in one statement, so a context
 * yields at most one sealed record across the fleet. Expired contexts are
 * deleted every 256 registrations and by `sweep()` (the sealer refuses them
 * anyway, as expired). What `take` reads is checked to be a context
 * (`ERR_STORE_CORRUPT` otherwise).
 *
 * `import { PostgresContextRegistry } from '@s3404/seal/postgres'`
 *
 * @example
 * ```ts
 * const contexts = await PostgresContextRegistry.open({ pool })
 * const sealer = await createSealer({ …, contexts })
 * ```
 * @public
 */
export class PostgresContextRegistry implements ContextRegistry {
  readonly #session: PostgresSession;
  readonly #table: string;
  readonly #now: Clock;
  readonly #locale: Locale;
  #registrations = 0;

  private constructor(session: PostgresSession, now: Clock, locale: Locale) {
    this.#session = session;
    this.#table = `${session.prefix}capture_contexts`;
    this.#now = now;
    this.#locale = locale;
  }

  /**
   * Opens the registry, creating its table unless `createTables: false` (SIG-1).
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE` (unreachable, or the table cannot be created).
   * @throws TypeError for malformed options.
   */
  static async open(options: PostgresContextRegistryOptions): Promise<PostgresContextRegistry> {
    const locale = resolveLocale(options?.locale);
    const now = resolveClock(options?.now, 'PostgresContextRegistry');
    const spec: PostgresStoreSpec = {
      who: 'PostgresContextRegistry.open',
      defaultPrefix: 's3404_',
      createPool: (config) => new pg.Pool(config) as unknown as ReturnType<PostgresStoreSpec['createPool']>,
      schema: (prefix) => ({ ddl: schema(prefix), relations: [`${prefix}capture_contexts`, `${prefix}capture_contexts_expires_at`] }),
      schemaLock: SCHEMA_LOCK,
      unavailable: storeUnavailable(locale),
      misconfigured: storeMisconfigured(locale),
      corrupt: storeCorruptFailure(locale),
    };
    return new PostgresContextRegistry(await PostgresSession.open(options, spec), now, locale);
  }

  /**
   * Keeps a shown context until it is taken or swept after its expiry (SIG-1); the same context registered again is kept as it is.
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE`; `ERR_STORE_CORRUPT` when another context is registered under its nonce.
   */
  async register(context: CaptureContext): Promise<void> {
    const nonce = context.token.nonce;
    if (!CONTEXT_NONCE.test(nonce)) throw new TypeError('PostgresContextRegistry.register: the context has no nonce of createCaptureContext');
    if (++this.#registrations % SWEEP_EVERY === 0) await this.sweep();
    const text = contextToText(context);
    try {
      await this.#session.query('register', `INSERT INTO ${this.#table} (nonce, context, expires_at) VALUES ($1, $2, $3::timestamptz)`, [
        nonce,
        text,
        context.token.expiresAt,
      ]);
    } catch (e) {
      if (driverCode(e) !== '23505') throw e;
      // Already there: this very context again (a register tried again after its answer was lost) is kept as it is;
      // 18 random bytes never repeat, so another context under this nonce is data the registry never wrote.
      const { rows } = await this.#session.query<{ context: string }>('register', `SELECT context FROM ${this.#table} WHERE nonce = $1`, [nonce]);
      if (rows[0]?.context !== text) throw storeCorrupt('capture context: nonce already registered', this.#locale);
    }
  }

  /**
   * The context shown under this nonce, deleted by the same statement; `null` when unknown or already taken (SIG-1).
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE`; `ERR_STORE_CORRUPT` for a row that is no context.
   */
  async take(nonce: string): Promise<CaptureContext | null> {
    if (typeof nonce !== 'string' || !CONTEXT_NONCE.test(nonce)) return null;
    const { rows } = await this.#session.query<{ context: string }>('take', `DELETE FROM ${this.#table} WHERE nonce = $1 RETURNING context`, [nonce]);
    const row = rows[0];
    return row === undefined ? null : contextFromText(row.context, nonce, this.#locale);
  }

  /**
   * Deletes the contexts expired on the registry's clock; returns how many (SIG-1).
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE`.
   */
  async sweep(): Promise<number> {
    const at = readClock(this.#now, 'PostgresContextRegistry').toISOString();
    const result = await this.#session.query('sweep', `DELETE FROM ${this.#table} WHERE expires_at < $1::timestamptz`, [at]);
    return result.rowCount ?? 0;
  }

  /**
   * Drops the registry's table (tests, uninstall): the contexts open are lost.
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE`.
   */
  async dropTables(): Promise<void> {
    await this.#session.query('dropTables', `DROP TABLE IF EXISTS ${this.#table}`);
  }

  /** Ends the pool if the registry created it (`connectionString`); a given `pool` is left open. Idempotent. */
  async close(): Promise<void> {
    await this.#session.close();
  }
}

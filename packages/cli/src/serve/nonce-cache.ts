import { randomUUID } from 'node:crypto';
import { resolveLocale, type Locale } from '@s3404/core';
import { SealError } from '@s3404/seal';
import { backendFailure, PostgresSession, type PgPool } from '@s3404/core/stores';
import { CliError } from '../errors.js';
import { connectRedis, splitUrlParam } from '../url-connection.js';

/**
 * Where the signing service remembers the request nonces it has seen, each
 * until its request's timestamp leaves the clock window (SIG-7): a request
 * replayed within the window is refused (`ERR_TERMINAL_NONCE_REPLAYED`).
 * Shared by every process of a fleet ({@link openNonceCache} on PostgreSQL or
 * Redis), a request replayed to another process behind the load balancer is
 * refused too.
 *
 * `import type { NonceCache } from '@s3404/cli/serve'`
 *
 * @public
 */
export interface NonceCache {
  /**
   * Remembers `key` until `untilMs` (epoch ms); `false` when it is already
   * remembered past `nowMs` (a replay), `true` the first time.
   */
  remember(key: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** Closes what the cache opened. Idempotent. */
  close(): Promise<void>;
}

/** Most nonces a memory cache holds at once (one per signed request of the last window): beyond, requests wait (503). */
const MAX_NONCES = 1_000_000;

/**
 * The nonces of this process only (SIG-7): the default of
 * `createSigningService`. At most 1,000,000 at once (`ERR_SERVICE_BUSY`
 * beyond), expired ones swept as they go.
 *
 * `import { MemoryNonceCache } from '@s3404/cli/serve'`
 *
 * @public
 */
export class MemoryNonceCache implements NonceCache {
  readonly #until = new Map<string, number>();
  readonly #locale: Locale;

  constructor(options: { readonly locale?: Locale } = {}) {
    this.#locale = resolveLocale(options.locale);
  }

  /** @throws CliError `ERR_SERVICE_BUSY` when 1,000,000 unexpired nonces are held. */
  async remember(key: string, untilMs: number, nowMs: number): Promise<boolean> {
    if (this.#until.size >= MAX_NONCES) this.#sweep(nowMs);
    if (this.#until.size >= MAX_NONCES) throw new CliError('ERR_SERVICE_BUSY', { locale: this.#locale });
    const until = this.#until.get(key);
    if (until !== undefined && until >= nowMs) return false;
    this.#until.set(key, untilMs);
    if (this.#until.size % 1024 === 0) this.#sweep(nowMs);
    return true;
  }

  async close(): Promise<void> {}

  #sweep(nowMs: number): void {
    for (const [k, until] of this.#until) if (until < nowMs) this.#until.delete(k);
  }
}

/** What the Redis cache needs of an ioredis client. */
interface NonceRedis {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** The advisory lock that serialises the creation of the nonce table between processes (a store's, as `PostgresSession` takes). */
const SCHEMA_LOCK = '340400540001';
/** The PostgreSQL table's columns: the terminal and nonce, and until when (epoch ms) it is held. */
const NONCE_COLUMNS = 'key text PRIMARY KEY, until_ms bigint NOT NULL';
const KEY_PREFIX = /^[A-Za-z0-9:_{}.-]{1,64}$/;

/**
 * The nonce cache that goes with a consumption store's URL (SIG-7, issue
 * 19), so that the processes sharing a ledger also refuse each other's
 * replays: `postgres://…?tablePrefix=P` (table `<P>serve_nonces (key text
 * PRIMARY KEY, until_ms bigint NOT NULL)`, default prefix `s3404_`, created
 * when missing; the role needs `SELECT, INSERT, UPDATE, DELETE` on it; one
 * `INSERT … ON CONFLICT … WHERE` decides), `redis://…?prefix=P`
 * (keys `<P>nonce:…`, default `s3404:`; `SET … NX PX`); anything else, this
 * process's memory ({@link MemoryNonceCache}). A backend failure refuses the
 * request (`ERR_STORE_UNAVAILABLE`, 503), never lets it through unchecked; a
 * Redis key of another kind at a nonce's (edited behind the cache's back)
 * refuses it as `ERR_STORE_CORRUPT` (500: retrying never helps).
 *
 * `import { openNonceCache } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * const nonces = await openNonceCache('postgres://s3404_app@db/s3404_prod')
 * const service = createSigningService({ sealer, consumer, bordereaux, nonces })
 * ```
 * @throws SealError `ERR_STORE_UNAVAILABLE` (unreachable), `ERR_STORE_URL_INVALID` (a prefix not allowed).
 * @public
 */
export async function openNonceCache(url: string, options: { readonly locale?: Locale } = {}): Promise<NonceCache> {
  const locale = resolveLocale(options.locale);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(String(url))?.[1]?.toLowerCase();
  const unavailable = (operation: string, cause: unknown): SealError =>
    new SealError('ERR_STORE_UNAVAILABLE', { params: { detail: `nonce cache ${operation}` }, locale, cause });
  // A refusal no retry changes (a right, a table, an ACL without SET): 500, not "retry later" (issue 19).
  const misconfigured = (cause: unknown, reason: string): SealError =>
    new SealError('ERR_STORE_MISCONFIGURED', { params: { detail: `nonce cache ${reason}` }, locale, cause });
  const param = (name: string): { readonly connection: string; readonly prefix: string | undefined } => {
    const split = splitUrlParam(url, name);
    if (split === null) throw new SealError('ERR_STORE_URL_INVALID', { params: { received: String(url).slice(0, 60) }, locale });
    return split;
  };
  const badPrefix = (): SealError => new SealError('ERR_STORE_URL_INVALID', { params: { received: String(url).slice(0, 60), detail: 'prefix' }, locale });
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const { connection, prefix } = param('tablePrefix');
    const driver = 'pg'; // a dependency of the CLI without its own types here
    const { default: pg } = (await import(driver)) as { default: { Pool: new (c: { connectionString: string; max?: number }) => PgPool } };
    // The stores' own plumbing: the schema ensured once under a lock (no DDL when it exists), transient failures retried,
    // a backend failure ERR_STORE_UNAVAILABLE with its cause, an idempotent close.
    let session: PostgresSession;
    try {
      session = await PostgresSession.open(
        { connectionString: connection, poolSize: 4, ...(prefix === undefined ? {} : { tablePrefix: prefix }) },
        {
          who: 'openNonceCache',
          defaultPrefix: 's3404_',
          createPool: (config) => new pg.Pool(config),
          schema: (p) => ({ ddl: `CREATE TABLE IF NOT EXISTS ${p}serve_nonces (${NONCE_COLUMNS})`, relations: [`${p}serve_nonces`] }),
          schemaLock: SCHEMA_LOCK,
          unavailable: (cause, reason) => unavailable(reason, cause),
          misconfigured,
          corrupt: (cause, reason) => new SealError('ERR_STORE_CORRUPT', { params: { detail: `nonce cache ${reason}` }, locale, cause }),
        },
      );
    } catch (e) {
      if (e instanceof TypeError) throw badPrefix();
      throw e;
    }
    const table = `${session.prefix}serve_nonces`;
    let calls = 0;
    return {
      async remember(key, untilMs, nowMs) {
        if (++calls % 1024 === 0) await session.query('sweep', `DELETE FROM ${table} WHERE until_ms < $1`, [nowMs]);
        // Inserted, or an expired one replaced: first within the window. A row left as it was: a replay.
        const { rows } = await session.query(
          'remember',
          `INSERT INTO ${table} AS t (key, until_ms) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET until_ms = EXCLUDED.until_ms WHERE t.until_ms < $3 RETURNING 1`,
          [key, untilMs, nowMs],
        );
        return rows.length === 1;
      },
      close: () => session.close(),
    };
  }
  if (scheme === 'redis' || scheme === 'rediss') {
    const { connection, prefix = 's3404:' } = param('prefix');
    if (!KEY_PREFIX.test(prefix)) throw badPrefix();
    let redis: NonceRedis;
    try {
      redis = (await connectRedis(connection)) as unknown as NonceRedis;
    } catch (e) {
      throw backendFailure(e, 'redis', 'open', { unavailable: (cause) => unavailable('open', cause), misconfigured });
    }
    let closed = false;
    return {
      async remember(key, untilMs, nowMs) {
        // A value of this call's own: a SET the driver sent again after a cut finds it, and is no replay.
        const mine = randomUUID();
        try {
          if ((await redis.call('SET', `${prefix}nonce:${key}`, mine, 'PX', Math.max(1, untilMs - nowMs), 'NX')) === 'OK') return true;
          return (await redis.call('GET', `${prefix}nonce:${key}`)) === mine;
        } catch (e) {
          // A key of another kind at the nonce's (edited behind the cache's back) is no failure to retry (issue 19):
          // ERR_STORE_CORRUPT, kind internal (500), as every Redis store of the SDK reports it.
          throw backendFailure(e, 'redis', 'remember', {
            unavailable: (cause) => unavailable('remember', cause),
            corrupt: (cause, detail) => new SealError('ERR_STORE_CORRUPT', { params: { detail: `nonce cache ${detail}` }, locale, cause }),
            misconfigured,
          });
        }
      },
      async close() {
        if (closed) return;
        closed = true;
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  }
  return new MemoryNonceCache({ locale });
}

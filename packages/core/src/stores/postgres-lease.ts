import { readClock, resolveClock, type Clock } from '../clock.js';
import { CoreError } from '../errors/core-error.js';
import type { Locale } from '../errors/locale.js';
import {
  checkAcquire,
  checkGrant,
  checkLeaseKey,
  checkPeriod,
  checkTtl,
  type AcquireLeaseOptions,
  type Lease,
  type LeaseGrant,
  type LeaseState,
} from '../maintenance/lease.js';
import { PostgresSession, type PgPool, type PgQueryable } from './postgres-session.js';

/**
 * Options of {@link PostgresLease.open} (issue 19; X-2): the application's `pg`
 * pool (core loads no driver; the lease never ends it), the table prefix
 * (default `s3404_`: table `s3404_leases`), whether to create the table,
 * the clock and the errors' language.
 *
 * `import type { PostgresLeaseOptions } from '@s3404/core/postgres'`
 *
 * @public
 */
export interface PostgresLeaseOptions {
  /** A `pg.Pool` (or anything with its `query` and `connect`). */
  readonly pool: PgPool;
  /** Prefix of the table name: lowercase letters, digits and `_`, 1 to 31 characters. Default `s3404_`. */
  readonly tablePrefix?: string;
  /** Creates the table if missing. Default `true`; `false` when a migration tool owns the schema. */
  readonly createTables?: boolean;
  /**
   * The clock expiries are computed and judged on. Default: the system
   * clock. Every instance of the fleet must keep its clock in sync (NTP):
   * a skew shortens or lengthens a lease by as much.
   */
  readonly now?: Clock;
  /** Language of the errors. Default French. */
  readonly locale?: Locale;
}

interface LeaseRow {
  key: string;
  holder: string | null;
  token: string | number;
  expires_at: Date | string;
  completed: string | null;
}

const SCHEMA_LOCK = '340400190001';
const COLUMNS = 'key, holder, token, expires_at, completed';

function schema(p: string): { ddl: string; relations: string[] } {
  return {
    ddl: `CREATE TABLE IF NOT EXISTS ${p}leases (
  key text PRIMARY KEY,
  holder text,
  token bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  completed text
);`,
    relations: [`${p}leases`],
  };
}

function stateOf(row: LeaseRow): LeaseState {
  return { key: row.key, holder: row.holder, token: Number(row.token), expiresAt: new Date(row.expires_at), completed: row.completed };
}

/**
 * A {@link Lease} in PostgreSQL (issue 19; X-2): one row per key, every
 * step one statement (the row lock decides between instances), expiries on
 * the injected clock. With {@link PostgresLease.fence} a job's own
 * transaction checks and locks the lease, so that what it commits cannot
 * interleave with a takeover.
 *
 * `import { PostgresLease } from '@s3404/core/postgres'`
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * const lease = await PostgresLease.open({ pool })
 * const runner = createMaintenanceRunner({ lease, jobs })
 * ```
 * @public
 */
export class PostgresLease implements Lease {
  readonly #session: PostgresSession;
  readonly #now: Clock;
  readonly #table: string;
  readonly #locale: Locale | undefined;

  private constructor(session: PostgresSession, now: Clock, locale: Locale | undefined) {
    this.#session = session;
    this.#now = now;
    this.#table = `${session.prefix}leases`;
    this.#locale = locale;
  }

  /**
   * Opens the lease over the caller's pool and creates its table if missing.
   * @throws TypeError for malformed options; CoreError `ERR_LEASE_STORE_UNAVAILABLE` when the database fails.
   */
  static async open(options: PostgresLeaseOptions): Promise<PostgresLease> {
    const who = 'PostgresLease.open';
    if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options are required`);
    if (options.pool === undefined) throw new TypeError(`${who}: options.pool (a pg.Pool) is required`);
    const now = resolveClock(options.now, who);
    const locale = options.locale;
    const session = await PostgresSession.open(
      {
        pool: options.pool,
        ...(options.tablePrefix === undefined ? {} : { tablePrefix: options.tablePrefix }),
        ...(options.createTables === undefined ? {} : { createTables: options.createTables }),
      },
      {
        who,
        defaultPrefix: 's3404_',
        createPool: () => {
          throw new TypeError(`${who}: options.pool is required`);
        },
        schema,
        schemaLock: SCHEMA_LOCK,
        unavailable: (cause, detail) => new CoreError('ERR_LEASE_STORE_UNAVAILABLE', { params: { detail }, cause, locale }),
        misconfigured: (cause, detail) => new CoreError('ERR_LEASE_STORE_MISCONFIGURED', { params: { detail }, cause, locale }),
        corrupt: (cause, detail) => new CoreError('ERR_LEASE_STORE_CORRUPT', { params: { detail }, cause, locale }),
      },
    );
    return new PostgresLease(session, now, locale);
  }

  #at(): Date {
    return readClock(this.#now, 'PostgresLease');
  }

  async #one(op: string, sql: string, values: unknown[]): Promise<LeaseRow | null> {
    const r = await this.#session.query<LeaseRow>(op, sql, values);
    return r.rows[0] ?? null;
  }

  /** {@inheritDoc Lease.acquire} */
  async acquire(key: string, options: AcquireLeaseOptions): Promise<LeaseGrant | null> {
    const { holder, ttl } = checkAcquire('PostgresLease.acquire', key, options);
    const at = this.#at();
    const row = await this.#one(
      'acquire',
      `INSERT INTO ${this.#table} AS l (key, holder, token, expires_at) VALUES ($1, $2, 1, $4)
ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, token = l.token + 1, expires_at = EXCLUDED.expires_at
WHERE l.holder IS NULL OR l.expires_at <= $3
RETURNING ${COLUMNS}`,
      [key, holder, at, new Date(at.getTime() + ttl)],
    );
    return row === null ? null : (stateOf(row) as LeaseGrant);
  }

  /** {@inheritDoc Lease.renew} */
  async renew(grant: LeaseGrant, options: { readonly ttlMs: number }): Promise<LeaseGrant | null> {
    checkGrant('PostgresLease.renew', grant);
    const ttl = checkTtl('PostgresLease.renew', options?.ttlMs);
    const at = this.#at();
    const row = await this.#one(
      'renew',
      `UPDATE ${this.#table} SET expires_at = $5 WHERE key = $1 AND token = $2 AND holder = $3 AND expires_at > $4 RETURNING ${COLUMNS}`,
      [grant.key, grant.token, grant.holder, at, new Date(at.getTime() + ttl)],
    );
    return row === null ? null : (stateOf(row) as LeaseGrant);
  }

  /** {@inheritDoc Lease.complete} */
  async complete(grant: LeaseGrant, options: { readonly period: string }): Promise<boolean> {
    checkGrant('PostgresLease.complete', grant);
    const period = checkPeriod('PostgresLease.complete', options?.period);
    const row = await this.#one(
      'complete',
      `UPDATE ${this.#table} SET completed = $5 WHERE key = $1 AND token = $2 AND holder = $3 AND expires_at > $4 RETURNING ${COLUMNS}`,
      [grant.key, grant.token, grant.holder, this.#at(), period],
    );
    return row !== null;
  }

  /** {@inheritDoc Lease.release} */
  async release(grant: LeaseGrant): Promise<boolean> {
    checkGrant('PostgresLease.release', grant);
    const row = await this.#one(
      'release',
      `UPDATE ${this.#table} SET holder = NULL, expires_at = LEAST(expires_at, $4)
WHERE key = $1 AND token = $2 AND (holder = $3 OR holder IS NULL) RETURNING ${COLUMNS}`,
      [grant.key, grant.token, grant.holder, this.#at()],
    );
    return row !== null;
  }

  /** {@inheritDoc Lease.inspect} */
  async inspect(key: string): Promise<LeaseState | null> {
    checkLeaseKey('PostgresLease.inspect', key);
    const row = await this.#one('inspect', `SELECT ${COLUMNS} FROM ${this.#table} WHERE key = $1`, [key]);
    return row === null ? null : stateOf(row);
  }

  /**
   * Inside the caller's transaction on `client`: checks that `grant` still
   * holds its lease and locks the lease row until that transaction ends, so
   * no other instance can take the lease over before it commits (the
   * fencing of a job whose effects live in the same database).
   *
   * @example
   * ```ts
   * await client.query('BEGIN'); await lease.fence(client, ctx.grant); await client.query('DELETE …'); await client.query('COMMIT')
   * ```
   * @throws CoreError `ERR_LEASE_LOST` when the lease expired or was taken over; `ERR_LEASE_STORE_UNAVAILABLE`.
   */
  async fence(client: PgQueryable, grant: LeaseGrant): Promise<void> {
    checkGrant('PostgresLease.fence', grant);
    let held: boolean;
    try {
      const r = await client.query(`SELECT 1 FROM ${this.#table} WHERE key = $1 AND token = $2 AND holder = $3 AND expires_at > $4 FOR UPDATE`, [
        grant.key,
        grant.token,
        grant.holder,
        this.#at(),
      ]);
      held = r.rows.length > 0;
    } catch (e) {
      throw this.#session.failure('fence', e);
    }
    if (!held) throw new CoreError('ERR_LEASE_LOST', { params: { key: grant.key, token: grant.token }, locale: this.#locale });
  }

  /** Drops the table (tests, uninstall). @throws CoreError `ERR_LEASE_STORE_UNAVAILABLE`. */
  async dropTables(): Promise<void> {
    await this.#session.query('drop', `DROP TABLE IF EXISTS ${this.#table}`);
  }

  /** Marks the lease closed; the caller's pool stays open. Idempotent. */
  async close(): Promise<void> {
    await this.#session.close();
  }
}

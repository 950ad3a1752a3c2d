import pg from 'pg';
import { resolveLocale, type Locale } from '@s3404/core';
import { PostgresSession, driverCode, type PgResult, type PostgresConnectionOptions, type PostgresStoreSpec } from '@s3404/core/stores';
import type { ClaimOutcome, ConsumptionStore, PendingEntry, SweepOptions, SweepOutbox, SweepResult, Tombstone, UntracedSweep } from '../consumption-store.js';
import { SealError } from '../errors/seal-error.js';
import { storeCorrupt, storeCorruptFailure, storeMisconfigured, storeUnavailable } from '../internal/store-failure.js';
import { tombstoneFromRow, type TombstoneRow } from '../internal/tombstone-row.js';

/**
 * Options of {@link PostgresConsumptionStore.open} (SIG-5, SIG-6): the
 * connection options every PostgreSQL store of the SDK takes — exactly one
 * of `pool` (the application's, never ended by the store) and
 * `connectionString` (the store's own pool, ended on `close()`);
 * `tablePrefix` (default `s3404_`: tables `s3404_pending` and
 * `s3404_tombstones`); `poolSize`; `createTables` (default `true`) — and
 * the errors' language.
 *
 * `import type { PostgresStoreOptions } from '@s3404/seal/postgres'`
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { connectionString: process.env.DATABASE_URL!, tablePrefix: 'billing_' }
 * const store = await PostgresConsumptionStore.open(options)
 * ```
 * @public
 */
export interface PostgresStoreOptions extends PostgresConnectionOptions<pg.Pool> {
  /** Language of the store's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

interface PendingRow {
  record_id: string;
  digest: string;
  bytes: Uint8Array;
  expires_at: Date | string;
}

/** Serialises schema creation between processes opening the store at once. */
const SCHEMA_LOCK = '340400510001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOMBSTONE_COLUMNS = 'record_id, digest, target, request_id, consumer, claimed_at, completed_at';

interface Statements {
  readonly claim: string;
  readonly complete: string;
  readonly put: string;
  readonly get: string;
  readonly count: string;
  readonly findById: string;
  readonly findByDigest: string;
  readonly findByEither: string;
  readonly sweep: string;
  readonly untracedSweeps: string;
  readonly sweepTraced: string;
  readonly purge: string;
  readonly drop: string;
}

function schema(p: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${p}pending (
  record_id uuid PRIMARY KEY,
  digest char(64) NOT NULL,
  bytes bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  claimed_by text,
  claimed_at timestamptz
);
CREATE INDEX IF NOT EXISTS ${p}pending_expires_at ON ${p}pending (expires_at);
CREATE TABLE IF NOT EXISTS ${p}tombstones (
  record_id uuid PRIMARY KEY,
  digest char(64) NOT NULL UNIQUE,
  target text NOT NULL,
  request_id text NOT NULL,
  consumer text NOT NULL,
  claimed_at timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX IF NOT EXISTS ${p}tombstones_claimed_at ON ${p}tombstones (claimed_at);
CREATE TABLE IF NOT EXISTS ${p}sweep_outbox (
  sweep_id uuid PRIMARY KEY,
  swept_at timestamptz NOT NULL,
  consumer text NOT NULL,
  expired integer NOT NULL,
  abandoned integer NOT NULL
);
`;
}

/** Every relation {@link schema} creates: when all exist, opening runs no DDL. */
function schemaRelations(p: string): string[] {
  return [`${p}pending`, `${p}pending_expires_at`, `${p}tombstones`, `${p}tombstones_claimed_at`, `${p}sweep_outbox`];
}

function statements(p: string): Statements {
  const pending = `${p}pending`;
  const tombstones = `${p}tombstones`;
  return {
    // One statement, so one round trip and one implicit transaction: the
    // tombstone insert decides the single winner (unique record id and
    // digest); only the winner marks the pending row. When the insert
    // conflicts, the existing tombstone is read in the same statement if the
    // statement's snapshot sees it (a concurrent winner committed after that
    // snapshot is read by a second query).
    claim: `WITH ins AS (
  INSERT INTO ${tombstones} (record_id, digest, target, request_id, consumer, claimed_at)
  VALUES ($1::uuid, $2::char(64), $3::text, $4::text, $5::text, $6::timestamptz)
  ON CONFLICT DO NOTHING
  RETURNING ${TOMBSTONE_COLUMNS}
), mark AS (
  UPDATE ${pending} SET claimed_by = $4::text, claimed_at = $6::timestamptz
  WHERE record_id = (SELECT record_id FROM ins) AND claimed_at IS NULL
  RETURNING record_id
)
SELECT true AS claimed, ${TOMBSTONE_COLUMNS} FROM ins
UNION ALL
(SELECT false AS claimed, ${TOMBSTONE_COLUMNS} FROM ${tombstones}
  WHERE NOT EXISTS (SELECT 1 FROM ins) AND (record_id = $1::uuid OR digest = $2::char(64))
  ORDER BY (record_id = $1::uuid) DESC LIMIT 1)`,
    complete: `WITH done AS (
  UPDATE ${tombstones} SET completed_at = COALESCE(completed_at, $3::timestamptz)
  WHERE record_id = $1::uuid AND request_id = $2::text
  RETURNING ${TOMBSTONE_COLUMNS}
), gone AS (
  DELETE FROM ${pending} WHERE record_id = (SELECT record_id FROM done)
)
SELECT ${TOMBSTONE_COLUMNS} FROM done`,
    put: `INSERT INTO ${pending} (record_id, digest, bytes, expires_at)
SELECT $1::uuid, $2::char(64), $3::bytea, $4::timestamptz
WHERE NOT EXISTS (SELECT 1 FROM ${tombstones} WHERE record_id = $1::uuid)
ON CONFLICT DO NOTHING
RETURNING record_id`,
    get: `SELECT record_id, digest, bytes, expires_at FROM ${pending} WHERE record_id = $1::uuid`,
    count: `SELECT count(*)::int AS n FROM ${pending}`,
    findById: `SELECT ${TOMBSTONE_COLUMNS} FROM ${tombstones} WHERE record_id = $1::uuid`,
    findByDigest: `SELECT ${TOMBSTONE_COLUMNS} FROM ${tombstones} WHERE digest = $1::char(64)`,
    findByEither: `SELECT ${TOMBSTONE_COLUMNS} FROM ${tombstones} WHERE record_id = $1::uuid OR digest = $2::char(64)
ORDER BY (record_id = $1::uuid) DESC LIMIT 1`,
    // The deletions and their outbox row ($3 the sweep's id, null without an outbox) in one statement: one commit.
    sweep: `WITH gone AS (
  DELETE FROM ${pending}
  WHERE expires_at <= $1::timestamptz OR (claimed_at IS NOT NULL AND claimed_at < $2::timestamptz)
  RETURNING expires_at <= $1::timestamptz AS expired
), counts AS (
  SELECT count(*) FILTER (WHERE expired)::int AS expired, count(*) FILTER (WHERE NOT expired)::int AS abandoned FROM gone
), box AS (
  INSERT INTO ${p}sweep_outbox (sweep_id, swept_at, consumer, expired, abandoned)
  SELECT $3::uuid, $4::timestamptz, $5::text, expired, abandoned FROM counts WHERE $3::uuid IS NOT NULL AND expired + abandoned > 0
  ON CONFLICT DO NOTHING
)
SELECT expired, abandoned FROM counts`,
    untracedSweeps: `SELECT sweep_id, swept_at, consumer, expired, abandoned FROM ${p}sweep_outbox ORDER BY swept_at, sweep_id LIMIT $1::int`,
    sweepTraced: `DELETE FROM ${p}sweep_outbox WHERE sweep_id = $1::uuid`,
    purge: `DELETE FROM ${tombstones} WHERE claimed_at < $1::timestamptz`,
    drop: `DROP TABLE IF EXISTS ${pending}, ${tombstones}, ${p}sweep_outbox`,
  };
}

/**
 * The shared, durable consumption store on PostgreSQL (SIG-5, SIG-6): every
 * process and every host of a service can share it. A claim is one SQL
 * statement — an `INSERT … ON CONFLICT DO NOTHING` of the tombstone (unique
 * by record id and by digest) and, for the winner only, the conditional
 * `UPDATE` of the pending row — so exactly one concurrent caller gets
 * `claimed`. Completion marks the tombstone and deletes the pending row with
 * its image in one statement. Tombstones never hold the bytes.
 *
 * It keeps the store contract of the SDK (`@s3404/core/stores`): the schema
 * is created once under an advisory lock, statements PostgreSQL aborted for
 * a deadlock or a serialization failure are run again, a driver or network
 * failure is `ERR_STORE_UNAVAILABLE` (kind `unavailable`, the driver's error
 * as `cause`), and `close()` is idempotent and ends only a pool the store
 * created. Install the optional peer `pg`. Node only.
 *
 * `import { PostgresConsumptionStore } from '@s3404/seal/postgres'`
 *
 * @example
 * ```ts
 * const store = await PostgresConsumptionStore.open({ connectionString: process.env.DATABASE_URL! })
 * const consumer = createConsumer({ store, trustAnchors })
 * // … on shutdown:
 * await store.close()
 * ```
 * @public
 */
export class PostgresConsumptionStore implements ConsumptionStore, SweepOutbox {
  readonly #session: PostgresSession;
  readonly #sql: Statements;
  readonly #locale: Locale;

  private constructor(session: PostgresSession, locale: Locale) {
    this.#session = session;
    this.#sql = statements(session.prefix);
    this.#locale = locale;
  }

  /**
   * Opens the store (SIG-5, SIG-6) and, unless `createTables` is `false`,
   * creates its tables and indexes if missing. Safe when several processes
   * open the same database at once: the DDL runs in one transaction holding a
   * PostgreSQL advisory lock; when the schema is there, opening runs no DDL
   * and waits for no claim in flight.
   *
   * `import { PostgresConsumptionStore } from '@s3404/seal/postgres'`
   *
   * @example
   * ```ts
   * const store = await PostgresConsumptionStore.open({ pool, tablePrefix: 'billing_' })
   * ```
   * @throws TypeError for malformed options.
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE` when the database is unreachable or the DDL fails.
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresConsumptionStore> {
    const locale = resolveLocale(options?.locale);
    const spec: PostgresStoreSpec = {
      who: 'PostgresConsumptionStore.open',
      defaultPrefix: 's3404_',
      createPool: (config) => new pg.Pool(config) as unknown as ReturnType<PostgresStoreSpec['createPool']>,
      schema: (prefix) => ({ ddl: schema(prefix), relations: schemaRelations(prefix) }),
      schemaLock: SCHEMA_LOCK,
      unavailable: storeUnavailable(locale),
      misconfigured: storeMisconfigured(locale),
      corrupt: storeCorruptFailure(locale),
    };
    return new PostgresConsumptionStore(await PostgresSession.open(options, spec), locale);
  }

  /**
   * One statement, retried by the kit when PostgreSQL aborted it for a
   * deadlock or a serialization failure: it was rolled back whole, so running
   * it again is safe (SIG-5). Statements touching tombstones and pending rows
   * from different sides (claim, complete, sweep) can deadlock under
   * contention. Any other failure is `ERR_STORE_UNAVAILABLE`.
   */
  #query<R>(op: string, text: string, values?: unknown[]): Promise<PgResult<R>> {
    return this.#session.query<R>(op, text, values);
  }

  /**
   * Stores a record until its use or expiry (SIG-6).
   * @throws {@link SealError} `ERR_RECORD_DUPLICATE` when the record id is pending or already used.
   */
  async putPending(entry: PendingEntry): Promise<void> {
    let rows: unknown[];
    try {
      ({ rows } = await this.#query('putPending', this.#sql.put, [entry.recordId, entry.digest, entry.bytes, entry.expiresAt]));
    } catch (e) {
      // The kit wraps the driver's error: its SQLSTATE is on the cause.
      if (driverCode(e) === '23505') throw new SealError('ERR_RECORD_DUPLICATE', { locale: this.#locale, cause: e });
      throw e;
    }
    if (rows.length === 0) throw new SealError('ERR_RECORD_DUPLICATE', { locale: this.#locale });
  }

  /** The pending entry, or `null` when absent (SIG-6). */
  async getPending(recordId: string): Promise<PendingEntry | null> {
    if (!UUID.test(recordId)) return null;
    const { rows } = await this.#query<PendingRow>('getPending', this.#sql.get, [recordId]);
    const row = rows[0];
    if (row === undefined) return null;
    return { recordId: row.record_id, digest: row.digest, bytes: Uint8Array.from(row.bytes), expiresAt: iso(row.expires_at) };
  }

  /** Deletes expired and abandoned pending entries in one statement (SIG-6). */
  async sweep(options: SweepOptions): Promise<SweepResult> {
    const box = options.outbox;
    if (box !== undefined && !UUID.test(box.id)) throw new TypeError('sweep: options.outbox.id must be a UUID');
    const { rows } = await this.#query<{ expired: number; abandoned: number }>('sweep', this.#sql.sweep, [
      options.expiredAt.toISOString(),
      options.claimedBefore.toISOString(),
      box?.id ?? null,
      box?.at.toISOString() ?? null,
      box?.consumer ?? null,
    ]);
    const row = rows[0];
    return { expired: row?.expired ?? 0, abandoned: row?.abandoned ?? 0 };
  }

  /** The sweeps not traced yet, oldest first (SIG-6, AUD-1). */
  async untracedSweeps(options: { readonly limit: number }): Promise<readonly UntracedSweep[]> {
    const { rows } = await this.#query<{ sweep_id: string; swept_at: Date | string; consumer: string; expired: number; abandoned: number }>(
      'untracedSweeps',
      this.#sql.untracedSweeps,
      [options.limit],
    );
    return rows.map((r) => ({ id: r.sweep_id, at: iso(r.swept_at), consumer: r.consumer, expired: r.expired, abandoned: r.abandoned }));
  }

  /** Removes a traced sweep from the outbox (SIG-6, AUD-1). Idempotent. */
  async sweepTraced(id: string): Promise<void> {
    if (UUID.test(id)) await this.#query('sweepTraced', this.#sql.sweepTraced, [id]);
  }

  /** How many pending entries (so images) the tables hold (SIG-6). */
  async countPending(): Promise<number> {
    const { rows } = await this.#query<{ n: number }>('countPending', this.#sql.count);
    return rows[0]?.n ?? 0;
  }

  /** The atomic, exactly-one-winner claim (SIG-5). */
  async claim(tombstone: Tombstone): Promise<ClaimOutcome> {
    const t = tombstone;
    for (let attempt = 0; attempt < 3; attempt++) {
      const { rows } = await this.#query<TombstoneRow & { claimed: boolean }>('claim', this.#sql.claim, [
        t.recordId,
        t.digest,
        t.target,
        t.requestId,
        t.consumer,
        t.claimedAt,
      ]);
      const row = rows[0];
      if (row !== undefined) return { kind: row.claimed ? 'claimed' : 'taken', tombstone: tombstoneFromRow(row) };
      // The insert conflicted with a claim committed after this statement's
      // snapshot: read it now. Absent means it was purged meanwhile: retry.
      const existing = await this.findTombstone({ recordId: t.recordId, digest: t.digest });
      if (existing !== null) return { kind: 'taken', tombstone: existing };
    }
    throw storeCorrupt('postgres claim', this.#locale);
  }

  /** Marks the tombstone complete and deletes the pending entry, in one statement (SIG-5, SIG-6). */
  async complete(options: { readonly recordId: string; readonly requestId: string; readonly at: string }): Promise<Tombstone | null> {
    if (!UUID.test(options.recordId)) return null;
    const { rows } = await this.#query<TombstoneRow>('complete', this.#sql.complete, [options.recordId, options.requestId, options.at]);
    const row = rows[0];
    return row === undefined ? null : tombstoneFromRow(row);
  }

  /** The tombstone holding this record id, else this digest, or `null` (SIG-5). */
  async findTombstone(options: { readonly recordId?: string; readonly digest?: string }): Promise<Tombstone | null> {
    const id = options.recordId !== undefined && UUID.test(options.recordId) ? options.recordId : undefined;
    const digest = options.digest;
    let result: PgResult<TombstoneRow>;
    if (id !== undefined && digest !== undefined) result = await this.#query<TombstoneRow>('findTombstone', this.#sql.findByEither, [id, digest]);
    else if (id !== undefined) result = await this.#query<TombstoneRow>('findTombstone', this.#sql.findById, [id]);
    else if (digest !== undefined) result = await this.#query<TombstoneRow>('findTombstone', this.#sql.findByDigest, [digest]);
    else return null;
    const row = result.rows[0];
    return row === undefined ? null : tombstoneFromRow(row);
  }

  /** Deletes tombstones claimed before `before` (retention, SIG-5). */
  async purgeTombstones(options: { readonly before: Date }): Promise<number> {
    const result = await this.#query('purgeTombstones', this.#sql.purge, [options.before.toISOString()]);
    return result.rowCount ?? 0;
  }

  /**
   * Drops the store's tables (tests, uninstall). Every pending record and
   * tombstone is lost: replays of records still within their TTL are no
   * longer refused.
   *
   * @example
   * ```ts
   * await store.dropTables()
   * ```
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE`.
   */
  async dropTables(): Promise<void> {
    await this.#query('dropTables', this.#sql.drop);
  }

  /** Ends the pool if the store created it (`connectionString`); a given `pool` is left open. Idempotent. */
  async close(): Promise<void> {
    await this.#session.close();
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

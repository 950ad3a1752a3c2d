import pg from 'pg';
import { ScorError } from '../errors/scor-error.js';
import type { LotRecord } from '../lifecycle/lot-record.js';
import { checkedRecord, recordOfRow, storeCorrupt, storeUnavailable } from '../internal/lot-row.js';
import { checkLotQuery, type LotQuery, type LotStore } from '../lifecycle/lot-store.js';

/**
 * Options of {@link PostgresLotStore.open} (SCOR-3). Give exactly one of
 * `pool` and `connectionString`.
 *
 * `import type { PostgresLotStoreOptions } from '@s3404/scor/postgres'`
 *
 * @example
 * ```ts
 * const options: PostgresLotStoreOptions = { connectionString: process.env.DATABASE_URL!, tablePrefix: 'billing_' }
 * const store = await PostgresLotStore.open(options)
 * ```
 * @public
 */
export interface PostgresLotStoreOptions {
  /** A pool the application owns: the store uses it and never ends it. */
  readonly pool?: pg.Pool;
  /** A connection string: the store creates its own pool and ends it on `close()`. */
  readonly connectionString?: string;
  /**
   * Prefix of the store's table names (`<prefix>lots`, `<prefix>lot_containers`),
   * so several stores (or applications) can share a database. Lowercase
   * letters, digits and `_`, 1 to 31 characters, not starting with a digit.
   * Default `s3404_scor_`.
   */
  readonly tablePrefix?: string;
  /** Maximum connections of the pool the store creates (with `connectionString`). Default: `pg`'s (10). */
  readonly poolSize?: number;
  /**
   * Creates the tables and indexes if missing (default `true`). Set `false`
   * when a migration tool owns the schema, or the role may not run DDL.
   */
  readonly createTables?: boolean;
}

/** Serialises schema creation between processes opening the store at once (seal: …510001, audit: …520001). */
const SCHEMA_LOCK = '340400530001';
const PREFIX = /^[a-z_][a-z0-9_]{0,30}$/;
const FINESS = /^[0-9AB]{9}$/;
const MIN_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
/** U+0000 and unpaired surrogates: valid in a JS string, refused by `jsonb`. */
const NOT_JSONB = /\u0000|\p{Cs}/u;

interface LotRow {
  lot_id: string;
  version: number;
  record: unknown;
}

/*
 * `record` (jsonb) is the lot, the source of truth returned to callers; the
 * other columns only serve filtering, ordering and the compare-and-set, so
 * `due_at` (timestamptz, microseconds) never has to round-trip: the ISO
 * string is read back from the record. `lot_id` is `COLLATE "C"` so that
 * ordering (and the primary key) compares code points, as JS does for every
 * identifier without characters beyond U+FFFF, whatever the database's
 * default collation. The container lives in its own table: updating a lot
 * never rewrites its bytes (TOAST), listing never touches them, and the
 * purge is a row delete; `ON DELETE CASCADE` keeps no container without
 * its lot.
 */
function schema(p: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${p}lots (
  lot_id text COLLATE "C" PRIMARY KEY,
  finess char(9) NOT NULL,
  b2_lot_number text NOT NULL,
  state text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  due_at timestamptz NULL,
  record jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS ${p}lots_state_due ON ${p}lots (state, due_at);
CREATE INDEX IF NOT EXISTS ${p}lots_finess_b2 ON ${p}lots (finess, b2_lot_number);
CREATE INDEX IF NOT EXISTS ${p}lots_due ON ${p}lots (due_at, lot_id);
CREATE TABLE IF NOT EXISTS ${p}lot_containers (
  lot_id text COLLATE "C" PRIMARY KEY REFERENCES ${p}lots (lot_id) ON DELETE CASCADE,
  bytes bytea NOT NULL
);
`;
}

/** Every relation {@link schema} creates: when all exist, opening runs no DDL. */
function schemaRelations(p: string): string[] {
  return [`${p}lots`, `${p}lots_state_due`, `${p}lots_finess_b2`, `${p}lots_due`, `${p}lot_containers`];
}

interface Statements {
  readonly create: string;
  readonly update: string;
  readonly get: string;
  readonly container: string;
  readonly list: string;
  readonly drop: string;
}

function statements(p: string): Statements {
  const lots = `${p}lots`;
  const containers = `${p}lot_containers`;
  return {
    // One statement, one implicit transaction: the container is inserted
    // only when the lot was (a taken id inserts nothing).
    create: `WITH ins AS (
  INSERT INTO ${lots} (lot_id, finess, b2_lot_number, state, version, due_at, record)
  VALUES ($1::text, $2::char(9), $3::text, $4::text, $5::integer, $6::timestamptz, $7::jsonb)
  ON CONFLICT (lot_id) DO NOTHING
  RETURNING lot_id
), box AS (
  INSERT INTO ${containers} (lot_id, bytes) SELECT lot_id, $8::bytea FROM ins
)
SELECT count(*)::int AS n FROM ins`,
    // The compare-and-set and the purge in one statement: the UPDATE
    // matches only the expected version (under READ COMMITTED a concurrent
    // writer's row is re-checked once it commits, so two updates of one
    // version cannot both match), and the container is deleted only when
    // that UPDATE matched.
    update: `WITH upd AS (
  UPDATE ${lots} SET finess = $2::char(9), b2_lot_number = $3::text, state = $4::text, version = $5::integer, due_at = $6::timestamptz, record = $7::jsonb
  WHERE lot_id = $1::text AND version = $8::integer
  RETURNING lot_id
), purge AS (
  DELETE FROM ${containers} WHERE $9::boolean AND lot_id IN (SELECT lot_id FROM upd)
)
SELECT count(*)::int AS n FROM upd`,
    get: `SELECT lot_id, version, record FROM ${lots} WHERE lot_id = $1::text`,
    container: `SELECT bytes FROM ${containers} WHERE lot_id = $1::text`,
    list: `SELECT lot_id, version, record FROM ${lots}`,
    drop: `DROP TABLE IF EXISTS ${containers}, ${lots}`,
  };
}

/**
 * The shared, durable lot store on PostgreSQL (SCOR-3): every process and
 * every host of a service can run the lot lifecycle on the same tables. An
 * update is one SQL statement — the `UPDATE … WHERE lot_id = $1 AND version
 * = $2` compare-and-set and, for a purge, the `DELETE` of the container
 * when (and only when) that update matched — so a transition decided on a
 * stale record writes nothing, and a purged lot never keeps its PJ.
 * Statements PostgreSQL aborts for a deadlock or a serialization failure
 * are run again.
 *
 * Install the optional peer `pg`. Node only. Driver and network failures
 * are {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`; a row that no longer
 * reads as a lot is `ERR_LOT_STORE_CORRUPT`.
 *
 * `import { PostgresLotStore } from '@s3404/scor/postgres'`
 *
 * @example
 * ```ts
 * const store = await PostgresLotStore.open({ connectionString: process.env.DATABASE_URL! })
 * const lots = createLotManager({ store, transport })
 * // … on shutdown:
 * await store.close()
 * ```
 * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`, `ERR_LOT_STORE_CORRUPT`, `ERR_LOT_EXISTS` (see each method).
 * @public
 */
export class PostgresLotStore implements LotStore {
  readonly #pool: pg.Pool;
  readonly #owned: boolean;
  readonly #sql: Statements;
  #closed = false;

  private constructor(pool: pg.Pool, owned: boolean, prefix: string) {
    this.#pool = pool;
    this.#owned = owned;
    this.#sql = statements(prefix);
  }

  /**
   * Opens the store (SCOR-3) and, unless `createTables` is `false`, creates
   * its tables and indexes if missing. Safe when several processes open the
   * same database at once: the DDL runs in one transaction holding a
   * PostgreSQL advisory lock.
   *
   * `import { PostgresLotStore } from '@s3404/scor/postgres'`
   *
   * @example
   * ```ts
   * const store = await PostgresLotStore.open({ pool, tablePrefix: 'billing_scor_' })
   * ```
   * @throws TypeError for malformed options.
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE` when the database is unreachable or the DDL fails.
   * @public
   */
  static async open(options: PostgresLotStoreOptions): Promise<PostgresLotStore> {
    if (options === null || typeof options !== 'object') throw new TypeError('PostgresLotStore.open: options are required');
    const hasPool = options.pool !== undefined;
    const hasUrl = options.connectionString !== undefined;
    if (hasPool === hasUrl) throw new TypeError('PostgresLotStore.open: give exactly one of options.pool and options.connectionString');
    if (hasPool && (options.pool === null || typeof options.pool !== 'object' || typeof options.pool.query !== 'function' || typeof options.pool.connect !== 'function')) {
      throw new TypeError('PostgresLotStore.open: options.pool must be a pg.Pool');
    }
    if (hasUrl && (typeof options.connectionString !== 'string' || options.connectionString === '')) {
      throw new TypeError('PostgresLotStore.open: options.connectionString must be a non-empty string');
    }
    const prefix = options.tablePrefix ?? 's3404_scor_';
    if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
      throw new TypeError('PostgresLotStore.open: tablePrefix must match /^[a-z_][a-z0-9_]{0,30}$/');
    }
    if (options.poolSize !== undefined) {
      if (hasPool) throw new TypeError('PostgresLotStore.open: poolSize applies only with connectionString');
      if (!Number.isInteger(options.poolSize) || options.poolSize < 1) throw new TypeError('PostgresLotStore.open: poolSize must be a positive integer');
    }
    const createTables = options.createTables ?? true;
    if (typeof createTables !== 'boolean') throw new TypeError('PostgresLotStore.open: createTables must be a boolean');

    let pool: pg.Pool;
    if (options.pool !== undefined) {
      pool = options.pool;
    } else {
      const config: pg.PoolConfig = { connectionString: options.connectionString! };
      if (options.poolSize !== undefined) config.max = options.poolSize;
      try {
        pool = new pg.Pool(config);
      } catch (e) {
        throw storeUnavailable('postgres', 'open', e);
      }
      // An idle connection that breaks (server restart) must not crash the
      // process: the pool drops it and the next query reconnects or fails.
      pool.on('error', () => {});
    }
    const store = new PostgresLotStore(pool, !hasPool, prefix);
    if (createTables) {
      try {
        await store.#createTables(prefix);
      } catch (e) {
        await store.close().catch(() => {});
        throw storeUnavailable('postgres', 'open', e);
      }
    }
    return store;
  }

  /**
   * Creates the schema unless it is all there. The probe takes no lock: `CREATE
   * INDEX IF NOT EXISTS` locks its table in SHARE mode even when the index
   * exists, so running the DDL while other handles update lots would wait for
   * them and could deadlock. When something is missing, the DDL runs in one
   * transaction under an advisory lock, again if PostgreSQL aborted it for a
   * deadlock.
   */
  async #createTables(prefix: string): Promise<void> {
    const probe = await this.#query<{ ready: boolean }>(
      'open',
      'SELECT count(*) = cardinality($1::text[]) AS ready FROM unnest($1::text[]) AS n WHERE to_regclass(n) IS NOT NULL',
      [schemaRelations(prefix)],
    );
    if (probe[0]?.ready === true) return;
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect();
      let failure: unknown;
      try {
        await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${SCHEMA_LOCK}); ${schema(prefix)} COMMIT;`);
        return;
      } catch (e) {
        failure = e;
        await client.query('ROLLBACK').catch(() => {});
        if (!isTransient(e) || attempt >= 5) throw e;
      } finally {
        client.release(failure instanceof Error && !isTransient(failure) ? failure : undefined);
      }
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }

  /**
   * One statement, retried when PostgreSQL aborted it for a deadlock
   * (40P01) or a serialization failure (40001): it was rolled back whole,
   * so running it again is safe. Any other failure is `ERR_LOT_STORE_UNAVAILABLE`.
   */
  async #query<R extends pg.QueryResultRow>(op: string, text: string, values?: unknown[]): Promise<R[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.#pool.query<R>(text, values)).rows;
      } catch (e) {
        if (!isTransient(e) || attempt >= 8) throw storeUnavailable('postgres', op, e);
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * Stores a new lot with its container, in one statement (SCOR-3).
   *
   * @throws {@link ScorError} `ERR_LOT_EXISTS` when the lot id is taken; `ERR_LOT_STORE_UNAVAILABLE`.
   * @throws TypeError when `record` is not a valid {@link LotRecord} (or holds U+0000 or an unpaired surrogate, which `jsonb` refuses), or `container` is not a `Uint8Array`.
   */
  async create(record: LotRecord, container: Uint8Array): Promise<void> {
    const params = lotParams(record, 'create');
    if (!(container instanceof Uint8Array)) throw new TypeError('PostgresLotStore.create: container must be a Uint8Array');
    const bytes = Buffer.from(container.buffer, container.byteOffset, container.byteLength);
    const rows = await this.#query<{ n: number }>('create', this.#sql.create, [...params, bytes]);
    if (rows[0]?.n !== 1) throw new ScorError('ERR_LOT_EXISTS', { params: { lotId: record.lotId } });
  }

  /**
   * The lot, or `undefined` (SCOR-3).
   *
   * @throws {@link ScorError} `ERR_LOT_STORE_CORRUPT` when the stored row no longer reads as a lot; `ERR_LOT_STORE_UNAVAILABLE`.
   */
  async get(lotId: string): Promise<LotRecord | undefined> {
    const rows = await this.#query<LotRow>('get', this.#sql.get, [String(lotId)]);
    const row = rows[0];
    return row === undefined ? undefined : recordOfRow(row, row.record);
  }

  /**
   * A copy of the container's bytes, or `undefined` once purged or for an unknown lot (SCOR-3).
   *
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`.
   */
  async container(lotId: string): Promise<Uint8Array | undefined> {
    const rows = await this.#query<{ bytes: unknown }>('container', this.#sql.container, [String(lotId)]);
    const row = rows[0];
    if (row === undefined) return undefined;
    if (!(row.bytes instanceof Uint8Array)) throw storeCorrupt(`container of ${lotId} is not bytea`);
    return new Uint8Array(row.bytes);
  }

  /**
   * Compare-and-set (SCOR-3): replaces the lot if its stored version is
   * `record.version - 1`, and with `dropContainer` deletes the container,
   * in one statement. `false`: stale or unknown, nothing written.
   *
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`.
   * @throws TypeError when `record` is not a valid {@link LotRecord} (or holds U+0000 or an unpaired surrogate).
   */
  async update(record: LotRecord, options: { readonly dropContainer?: boolean } = {}): Promise<boolean> {
    const params = lotParams(record, 'update');
    const drop = options?.dropContainer === true;
    const rows = await this.#query<{ n: number }>('update', this.#sql.update, [...params, record.version - 1, drop]);
    return rows[0]?.n === 1;
  }

  /**
   * Lots matching `query`, by `dueAt` (lots without one last) then `lotId` (SCOR-3).
   *
   * @throws TypeError for a malformed query.
   * @throws {@link ScorError} `ERR_LOT_STORE_CORRUPT` when a matching row no longer reads as a lot; `ERR_LOT_STORE_UNAVAILABLE`.
   */
  async list(query: LotQuery = {}): Promise<LotRecord[]> {
    const limit = checkLotQuery(query);
    if (query.states !== undefined && query.states.length === 0) return [];
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (v: unknown, type: string): string => {
      values.push(v);
      return `$${values.length}::${type}`;
    };
    if (query.states !== undefined) where.push(`state = ANY(${param(query.states.map(String), 'text[]')})`);
    if (query.finess !== undefined) {
      // char(9) ignores trailing blanks: a query that is no FINESS matches nothing, as in memory.
      if (!FINESS.test(query.finess)) return [];
      where.push(`finess = ${param(query.finess, 'char(9)')}`);
    }
    if (query.b2LotNumber !== undefined) where.push(`b2_lot_number = ${param(String(query.b2LotNumber), 'text')}`);
    if (query.dueBefore !== undefined) {
      const due = Date.parse(query.dueBefore);
      // Stored instants all have a 4-digit year: nothing is due before year 0.
      if (due < MIN_INSTANT) return [];
      where.push(`due_at <= ${param(pgInstant(new Date(Math.min(due, MAX_INSTANT)).toISOString()), 'timestamptz')}`);
    }
    const sql = `${this.#sql.list}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY due_at ASC NULLS LAST, lot_id COLLATE "C" ASC LIMIT ${param(limit, 'integer')}`;
    const rows = await this.#query<LotRow>('list', sql, values);
    return rows.map((r) => recordOfRow(r, r.record));
  }

  /**
   * Drops the store's two tables (tests, uninstall): every lot and container is lost.
   *
   * @example
   * ```ts
   * await store.dropTables()
   * ```
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`.
   */
  async dropTables(): Promise<void> {
    await this.#query('dropTables', this.#sql.drop);
  }

  /** Ends the pool if the store created it (`connectionString`); a given `pool` is left open. Idempotent. */
  async close(): Promise<void> {
    if (!this.#owned || this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

/** ISO 8601 as PostgreSQL reads it: it has no year 0, which ISO 8601 counts as 1 BC. */
function pgInstant(iso: string): string {
  return iso.startsWith('0000-') ? `0001${iso.slice(4)} BC` : iso;
}

/** Validates a record handed to the store and derives its statement parameters ($1…$7). */
function lotParams(record: LotRecord, op: string): [string, string, string, string, number, string | null, string] {
  const r = checkedRecord(record, `PostgresLotStore.${op}`);
  if (notJsonb(r)) throw new TypeError(`PostgresLotStore.${op}: PostgreSQL jsonb cannot hold U+0000 or an unpaired surrogate`);
  return [r.lotId, r.finess, r.b2LotNumber, r.state, r.version, r.dueAt === null ? null : pgInstant(r.dueAt), JSON.stringify(r)];
}

/** Whether a string of `value` holds what `jsonb` refuses (JSON.stringify escapes it, PostgreSQL rejects the escape). */
function notJsonb(value: unknown): boolean {
  if (typeof value === 'string') return NOT_JSONB.test(value);
  if (Array.isArray(value)) return value.some(notJsonb);
  if (value !== null && typeof value === 'object') return Object.values(value).some(notJsonb);
  return false;
}

/** A deadlock (40P01) or serialization failure (40001): PostgreSQL rolled the statement back whole. */
function isTransient(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

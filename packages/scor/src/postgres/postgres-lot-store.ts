import pg from 'pg';
import { concatBytes } from '@s3404/core';
import { PostgresSession, type PostgresConnectionOptions } from '@s3404/core/stores';
import { ScorError } from '../errors/scor-error.js';
import type { LotRecord, LotState } from '../lifecycle/lot-record.js';
import { checkedRecord, lotStoreCorrupt, lotStoreMisconfigured, lotStoreUnavailable, recordOfRow, recordsOfRows, storeCorrupt } from '../internal/lot-row.js';
import { checkLotQuery, type LotQuery, type LotStore } from '../lifecycle/lot-store.js';
import { openFileReader } from '../internal/node-builtins.js';
import { checkedChunks, fileChunks } from '../internal/container-chunks.js';

/**
 * Options of {@link PostgresLotStore.open} (SCOR-3), those of every
 * PostgreSQL store of the SDK: exactly one of `pool` (the application's,
 * never ended by the store) and `connectionString` (the store's own pool,
 * ended on `close()`, of `poolSize` connections); `tablePrefix`;
 * `createTables` (default `true`; `false` when a migration tool owns the
 * schema).
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
export interface PostgresLotStoreOptions extends PostgresConnectionOptions<pg.Pool> {
  /**
   * Prefix of the store's table names (`<prefix>lots`, `<prefix>lot_containers`, `<prefix>lot_container_chunks`),
   * so several stores (or applications) can share a database. Lowercase
   * letters, digits and `_`, 1 to 31 characters, not starting with a digit.
   * Default `s3404_scor_`.
   */
  readonly tablePrefix?: string;
}

/** Serialises schema creation between processes opening the store at once (seal: …510001, audit: …520001). */
const SCHEMA_LOCK = '340400530001';
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
 * its lot. A container copied from its file (`createFromFile`) is kept in
 * `lot_container_chunks`, 1 MiB a row, so that neither writing it nor
 * reading it back chunk by chunk holds it whole.
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
CREATE INDEX IF NOT EXISTS ${p}lots_untraced ON ${p}lots (lot_id) WHERE record ? 'untraced';
CREATE TABLE IF NOT EXISTS ${p}lot_containers (
  lot_id text COLLATE "C" PRIMARY KEY REFERENCES ${p}lots (lot_id) ON DELETE CASCADE,
  bytes bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS ${p}lot_container_chunks (
  lot_id text COLLATE "C" NOT NULL REFERENCES ${p}lots (lot_id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq >= 0),
  bytes bytea NOT NULL,
  PRIMARY KEY (lot_id, seq)
);
`;
}

/** The DDL and every relation it creates: when all exist, opening runs no DDL. */
function schemaOf(p: string): { ddl: string; relations: string[] } {
  return {
    ddl: schema(p),
    relations: [`${p}lots`, `${p}lots_state_due`, `${p}lots_finess_b2`, `${p}lots_due`, `${p}lots_untraced`, `${p}lot_containers`, `${p}lot_container_chunks`],
  };
}

interface Statements {
  readonly create: string;
  readonly update: string;
  readonly get: string;
  readonly container: string;
  readonly chunks: string;
  readonly chunkCount: string;
  readonly chunk: string;
  readonly insertLot: string;
  readonly insertChunk: string;
  readonly list: string;
  readonly count: string;
  readonly drop: string;
}

function statements(p: string): Statements {
  const lots = `${p}lots`;
  const containers = `${p}lot_containers`;
  const chunks = `${p}lot_container_chunks`;
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
), purge_chunks AS (
  DELETE FROM ${chunks} WHERE $9::boolean AND lot_id IN (SELECT lot_id FROM upd)
)
SELECT count(*)::int AS n FROM upd`,
    get: `SELECT lot_id, version, record FROM ${lots} WHERE lot_id = $1::text`,
    container: `SELECT bytes FROM ${containers} WHERE lot_id = $1::text`,
    chunks: `SELECT bytes FROM ${chunks} WHERE lot_id = $1::text ORDER BY seq`,
    chunkCount: `SELECT count(*)::int AS n FROM ${chunks} WHERE lot_id = $1::text`,
    chunk: `SELECT bytes FROM ${chunks} WHERE lot_id = $1::text AND seq = $2::integer`,
    insertLot: `INSERT INTO ${lots} (lot_id, finess, b2_lot_number, state, version, due_at, record)
  VALUES ($1::text, $2::char(9), $3::text, $4::text, $5::integer, $6::timestamptz, $7::jsonb)
  ON CONFLICT (lot_id) DO NOTHING`,
    insertChunk: `INSERT INTO ${chunks} (lot_id, seq, bytes) VALUES ($1::text, $2::integer, $3::bytea)`,
    list: `SELECT lot_id, version, record FROM ${lots}`,
    count: `SELECT state, count(*)::int AS n FROM ${lots} GROUP BY state`,
    drop: `DROP TABLE IF EXISTS ${chunks}, ${containers}, ${lots}`,
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
  readonly #session: PostgresSession;
  readonly #sql: Statements;

  private constructor(session: PostgresSession) {
    this.#session = session;
    this.#sql = statements(session.prefix);
  }

  /**
   * Opens the store (SCOR-3) with the store kit of `@s3404/core/stores`
   * and, unless `createTables` is `false`, creates its tables and indexes
   * if missing. Safe when several processes open the same database at once:
   * a lock-free probe first, and the DDL, when something is missing, in one
   * transaction holding a PostgreSQL advisory lock.
   *
   * `import { PostgresLotStore } from '@s3404/scor/postgres'`
   *
   * @example
   * ```ts
   * const store = await PostgresLotStore.open({ pool, tablePrefix: 'billing_scor_' })
   * ```
   * @throws TypeError for malformed options.
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE` (with the driver's error as `cause`) when the database is unreachable or the DDL fails.
   * @public
   */
  static async open(options: PostgresLotStoreOptions): Promise<PostgresLotStore> {
    const session = await PostgresSession.open(options, {
      who: 'PostgresLotStore.open',
      defaultPrefix: 's3404_scor_',
      createPool: (config) => new pg.Pool(config),
      schema: schemaOf,
      schemaLock: SCHEMA_LOCK,
      unavailable: lotStoreUnavailable,
      misconfigured: lotStoreMisconfigured,
      corrupt: lotStoreCorrupt,
    });
    return new PostgresLotStore(session);
  }

  /** One statement (transient failures retried), its rows. */
  async #query<R>(op: string, text: string, values?: unknown[]): Promise<R[]> {
    return (await this.#session.query<R>(op, text, values)).rows;
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
   * The lot, or `null` (SCOR-3).
   *
   * @throws {@link ScorError} `ERR_LOT_STORE_CORRUPT` when the stored row no longer reads as a lot; `ERR_LOT_STORE_UNAVAILABLE`.
   */
  async get(lotId: string): Promise<LotRecord | null> {
    const rows = await this.#query<LotRow>('get', this.#sql.get, [String(lotId)]);
    const row = rows[0];
    return row === undefined ? null : recordOfRow(row, row.record);
  }

  /**
   * A copy of the container's bytes, or `null` once purged or for an unknown lot (SCOR-3).
   *
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`; `ERR_LOT_STORE_CORRUPT` when the stored container is not bytea.
   */
  async container(lotId: string): Promise<Uint8Array | null> {
    const rows = await this.#query<{ bytes: unknown }>('container', this.#sql.container, [String(lotId)]);
    const row = rows[0];
    if (row !== undefined) return new Uint8Array(bytea(row.bytes, lotId));
    // A container stored from a file (`createFromFile`): its chunks, by one statement (one snapshot).
    const chunks = (await this.#query<{ bytes: unknown }>('container', this.#sql.chunks, [String(lotId)])).map((r) => bytea(r.bytes, lotId));
    return chunks.length === 0 ? null : concatBytes(...chunks);
  }

  /**
   * Stores a new lot with its container read from the file at `path`, 1 MiB
   * at a time (SCOR-3, X-2): the lot row and every chunk (rows of
   * `<prefix>lot_container_chunks`) in one transaction, committed only when
   * the file's length and SHA-256 are `record.container`'s — else it rolls
   * back, nothing is stored. At most one chunk of the file is in memory.
   * The store keeps its own copy: the file may then be deleted.
   *
   * `import { PostgresLotStore } from '@s3404/scor/postgres'`
   *
   * @example
   * ```ts
   * const lot = await packLotFile(description, { files, dir: 'out/scor' })   // @s3404/scor/file
   * await createLotManager({ store, transport }).register(lot)               // calls store.createFromFile(record, lot.container.path)
   * ```
   * @throws {@link ScorError} `ERR_LOT_EXISTS` when the lot id is taken; `ERR_LOT_CONTAINER_CHANGED` when the file is not the
   *   container the record describes; `ERR_LOT_STORE_UNAVAILABLE`.
   * @throws `CoreError` `ERR_FILE_UNREADABLE` (from `@s3404/core`) when the file cannot be opened or read, or is not a regular file.
   * @throws TypeError when `record` is not a valid {@link LotRecord} or `path` not a non-empty string.
   */
  async createFromFile(record: LotRecord, path: string): Promise<void> {
    const params = lotParams(record, 'createFromFile');
    if (typeof path !== 'string' || path === '') throw new TypeError('PostgresLotStore.createFromFile: path must be a non-empty string');
    const file = openFileReader(path, 'PostgresLotStore.createFromFile');
    try {
      const created = await this.#session.transaction('createFromFile', async (client) => {
        if ((await client.query(this.#sql.insertLot, params)).rowCount !== 1) return false;
        // The driver has sent a parameter when its query resolves: the reader's one buffer serves every chunk.
        // A changed file or a read error throws its coded error, which the session passes on after the rollback.
        for (const { seq, bytes } of fileChunks(file, record, 'PostgresLotStore.createFromFile')) {
          await client.query(this.#sql.insertChunk, [record.lotId, seq, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
        }
        return true;
      });
      if (!created) throw new ScorError('ERR_LOT_EXISTS', { params: { lotId: record.lotId } });
    } finally {
      file.close();
    }
  }

  /**
   * The container 1 MiB at a time, or `null` once purged or for an unknown
   * lot (SCOR-3, X-2): one statement per chunk, so at most one chunk is in
   * memory; a container stored as one row (`create`) comes as one chunk.
   * The iteration checks the length and SHA-256 against the record's and
   * throws instead of finishing when they differ (a chunk altered, missing,
   * or the lot purged meanwhile).
   *
   * `import { PostgresLotStore } from '@s3404/scor/postgres'`
   *
   * @example
   * ```ts
   * const chunks = await store.containerChunks(lotId)
   * if (chunks !== null) for await (const chunk of chunks) out.write(chunk)
   * ```
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE` (also from the iteration); `ERR_LOT_STORE_CORRUPT` (from the
   *   iteration) when a chunk is missing or the bytes are not the registered container.
   */
  async containerChunks(lotId: string): Promise<AsyncIterable<Uint8Array> | null> {
    const record = await this.get(lotId);
    if (record === null) return null;
    const id = String(lotId);
    const whole = (await this.#query<{ bytes: unknown }>('containerChunks', this.#sql.container, [id]))[0];
    const count = whole !== undefined ? 1 : Number((await this.#query<{ n: number }>('containerChunks', this.#sql.chunkCount, [id]))[0]?.n ?? 0);
    if (count === 0) return null;
    const next = async (seq: number): Promise<unknown> => {
      if (whole !== undefined) return whole.bytes;
      return (await this.#query<{ bytes: unknown }>('containerChunks', this.#sql.chunk, [id, seq]))[0]?.bytes;
    };
    return checkedChunks({ record, count, next, who: 'PostgresLotStore.containerChunks' });
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
    // The predicate of the partial index lots_untraced, word for word: only the few lots holding undelivered events are read.
    if (query.untraced === true) where.push("record ? 'untraced'");
    const sql = `${this.#sql.list}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY due_at ASC NULLS LAST, lot_id COLLATE "C" ASC LIMIT ${param(limit, 'integer')}`;
    const rows = await this.#query<LotRow>('list', sql, values);
    return recordsOfRows(rows, query.onUnreadable);
  }

  async countByState(): Promise<Readonly<Partial<Record<LotState, number>>>> {
    const rows = await this.#query<{ state: LotState; n: number }>('countByState', this.#sql.count, []);
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /**
   * Drops the store's three tables (tests, uninstall): every lot and container is lost.
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
    await this.#session.close();
  }
}

/** A stored container's bytes, or `ERR_LOT_STORE_CORRUPT` for a value that is not bytea. */
function bytea(value: unknown, lotId: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw storeCorrupt(`container of ${lotId} is not bytea`);
  return value;
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

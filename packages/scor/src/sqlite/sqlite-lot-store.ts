import { concatBytes, isS3404Error } from '@s3404/core';
import { openSqliteDatabase, openSqliteDriver, type SqliteDriverDatabase, type SqliteFileOptions, type SqliteStatement } from '@s3404/core/stores';
import { ScorError } from '../errors/scor-error.js';
import type { LotRecord, LotState } from '../lifecycle/lot-record.js';
import {
  checkedRecord,
  lotStoreCorrupt,
  lotStoreMisconfigured,
  lotStoreUnavailable,
  recordOfRow,
  recordsOfRows,
  storeCorrupt,
  storeUnavailable,
} from '../internal/lot-row.js';
import { checkLotQuery, type LotQuery, type LotStore } from '../lifecycle/lot-store.js';
import { openFileReader } from '../internal/node-builtins.js';
import { checkedChunks, fileChunks } from '../internal/container-chunks.js';

/**
 * Options of {@link SqliteLotStore.open} (SCOR-3): the store kit's file
 * options — `path` (the database file, created with its tables if missing,
 * shared by every process of the machine), `synchronous` (`full`, the
 * default: a stored transition survives a power loss once the call returns;
 * `normal`: survives a process crash, faster) and `busyTimeoutMs` (how long
 * to wait for another process's write lock; default 10000).
 *
 * `import type { SqliteLotStoreOptions } from '@s3404/scor/sqlite'`
 *
 * @example
 * ```ts
 * const options: SqliteLotStoreOptions = { path: '/var/lib/s3404/lots.sqlite', synchronous: 'full' }
 * const store = await SqliteLotStore.open(options)
 * ```
 * @public
 */
export type SqliteLotStoreOptions = SqliteFileOptions;

/*
 * Two tables rather than one: SQLite rewrites a whole row — overflow pages
 * included — on every UPDATE, so a record kept next to its (up to tens of
 * MB) container would copy the container on every transition; and the
 * `lots` table stays small, so listing and its indexes never page through
 * container bytes. The purge is a DELETE of the `containers` row; with
 * `secure_delete` its freed pages are zeroed. The foreign key keeps a
 * container from outliving its lot.
 *
 * A container given as a file (`createFromFile`) is kept in
 * `container_chunks`, 1 MiB a row, so that neither writing it nor reading
 * it back holds more than one chunk in memory (better-sqlite3 has no
 * incremental blob I/O); a container given as bytes (`create`) stays one
 * row of `containers`. Every read accepts both; the purge deletes both.
 *
 * `record` is the lot as JSON, the source of truth returned to callers; the
 * other columns only serve filtering, ordering and the compare-and-set.
 * ISO 8601 instants of one format (`YYYY-MM-DDTHH:MM:SS.sssZ`) compare as
 * text. `lot_id` orders by the BINARY collation (code points), which is JS
 * string order for every identifier without characters beyond U+FFFF.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS lots (
  lot_id TEXT PRIMARY KEY,
  finess TEXT NOT NULL,
  b2_lot_number TEXT NOT NULL,
  state TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  due_at TEXT NULL,
  record TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS lots_state_due ON lots (state, due_at);
CREATE INDEX IF NOT EXISTS lots_finess_b2 ON lots (finess, b2_lot_number);
CREATE INDEX IF NOT EXISTS lots_due ON lots (due_at, lot_id);
CREATE INDEX IF NOT EXISTS lots_untraced ON lots (lot_id) WHERE instr(record, '"untraced":') > 0;
CREATE TABLE IF NOT EXISTS containers (
  lot_id TEXT PRIMARY KEY REFERENCES lots (lot_id) ON DELETE CASCADE,
  bytes BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS container_chunks (
  lot_id TEXT NOT NULL REFERENCES lots (lot_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  bytes BLOB NOT NULL,
  PRIMARY KEY (lot_id, seq)
) STRICT;
`;

const MIN_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

interface LotRow {
  lot_id: string;
  version: number;
  record: string;
}

type LotParams = [lotId: string, finess: string, b2LotNumber: string, state: string, version: number, dueAt: string | null, record: string];

/**
 * The embedded, durable lot store (SCOR-3): one SQLite file (better-sqlite3,
 * WAL journal) that every process of one machine can share, no server
 * needed. An update is one `BEGIN IMMEDIATE` transaction — SQLite's single
 * writer lock arbitrates between processes — whose `UPDATE … WHERE lot_id = ?
 * AND version = ?` is the compare-and-set; the purge deletes the container
 * in that same transaction, and `secure_delete` zeroes its freed pages so
 * the PJ do not linger in the file.
 *
 * Its driver: on Node the optional peer `better-sqlite3` (install it; without
 * it Node ≥ 22.5 uses `node:sqlite`), in Bun `bun:sqlite`, in Deno
 * `node:sqlite` (X-1). Driver failures
 * (a file that cannot be written, a lock held longer than `busyTimeoutMs`,
 * a closed store) are {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`; a row
 * that no longer reads as a lot is `ERR_LOT_STORE_CORRUPT`.
 *
 * `import { SqliteLotStore } from '@s3404/scor/sqlite'`
 *
 * @example
 * ```ts
 * const store = await SqliteLotStore.open({ path: '/var/lib/s3404/lots.sqlite' })
 * const lots = createLotManager({ store, transport })
 * // … on shutdown:
 * await store.close()
 * ```
 * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`, `ERR_LOT_STORE_CORRUPT`, `ERR_LOT_EXISTS` (see each method).
 * @public
 */
export class SqliteLotStore implements LotStore {
  readonly #db: SqliteDriverDatabase;
  readonly #create: (params: LotParams, container: Uint8Array) => boolean;
  readonly #update: (params: LotParams, expected: number, drop: boolean) => boolean;
  readonly #get: SqliteStatement<[string], LotRow>;
  readonly #container: SqliteStatement<[string], { bytes: Uint8Array }>;
  readonly #createChunked: (params: LotParams, chunks: Iterable<{ readonly seq: number; readonly bytes: Uint8Array }>) => boolean;
  readonly #chunk: SqliteStatement<[string, number], { bytes: Uint8Array }>;
  readonly #chunkCount: SqliteStatement<[string], { n: number }>;
  readonly #chunks: SqliteStatement<[string], { bytes: Uint8Array }>;
  readonly #lists = new Map<string, SqliteStatement<unknown[], LotRow>>();

  private constructor(db: SqliteDriverDatabase) {
    this.#db = db;
    const insertLot = db.prepare<LotParams>(
      'INSERT INTO lots (lot_id, finess, b2_lot_number, state, version, due_at, record) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lot_id) DO NOTHING',
    );
    const insertContainer = db.prepare<[string, Uint8Array]>('INSERT INTO containers (lot_id, bytes) VALUES (?, ?)');
    const create = db.transaction((params: LotParams, container: Uint8Array): boolean => {
      if (insertLot.run(...params).changes === 0) return false;
      insertContainer.run(params[0], container);
      return true;
    });
    this.#create = (params, container) => create.immediate(params, container);
    const insertChunk = db.prepare<[string, number, Uint8Array]>('INSERT INTO container_chunks (lot_id, seq, bytes) VALUES (?, ?, ?)');
    // One transaction: the lot and every chunk, or nothing (a crash, a read error or a changed file roll it all back).
    // The drivers copy a bound blob (SQLITE_TRANSIENT) before `run` returns: the reader's one buffer serves every chunk.
    const createChunked = db.transaction((params: LotParams, chunks: Iterable<{ readonly seq: number; readonly bytes: Uint8Array }>): boolean => {
      if (insertLot.run(...params).changes === 0) return false;
      for (const { seq, bytes } of chunks) insertChunk.run(params[0], seq, bytes);
      return true;
    });
    this.#createChunked = (params, chunks) => createChunked.immediate(params, chunks);
    const updateLot = db.prepare<[string, string, string, number, string | null, string, string, number]>(
      'UPDATE lots SET finess = ?, b2_lot_number = ?, state = ?, version = ?, due_at = ?, record = ? WHERE lot_id = ? AND version = ?',
    );
    const deleteContainer = db.prepare<[string]>('DELETE FROM containers WHERE lot_id = ?');
    const deleteChunks = db.prepare<[string]>('DELETE FROM container_chunks WHERE lot_id = ?');
    const update = db.transaction((params: LotParams, expected: number, drop: boolean): boolean => {
      const [lotId, finess, b2, state, version, dueAt, record] = params;
      if (updateLot.run(finess, b2, state, version, dueAt, record, lotId, expected).changes !== 1) return false;
      if (drop) {
        deleteContainer.run(lotId);
        deleteChunks.run(lotId);
      }
      return true;
    });
    this.#update = (params, expected, drop) => update.immediate(params, expected, drop);
    this.#get = db.prepare('SELECT lot_id, version, record FROM lots WHERE lot_id = ?');
    this.#container = db.prepare('SELECT bytes FROM containers WHERE lot_id = ?');
    this.#chunk = db.prepare('SELECT bytes FROM container_chunks WHERE lot_id = ? AND seq = ?');
    this.#chunkCount = db.prepare('SELECT count(*) AS n FROM container_chunks WHERE lot_id = ?');
    this.#chunks = db.prepare('SELECT bytes FROM container_chunks WHERE lot_id = ? ORDER BY seq');
  }

  /**
   * Opens (and creates) the store file (SCOR-3) with the store kit of
   * `@s3404/core/stores`: WAL journal, `secure_delete` (a purged container's
   * pages are zeroed), foreign keys, the tables and indexes if missing, in
   * one immediate transaction. Safe when several processes open the same
   * file at once.
   *
   * `import { SqliteLotStore } from '@s3404/scor/sqlite'`
   *
   * @example
   * ```ts
   * const store = await SqliteLotStore.open({ path: 'lots.sqlite', synchronous: 'normal', busyTimeoutMs: 30_000 })
   * ```
   * @throws TypeError for malformed options.
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE` when the file cannot be opened or created (missing directory, no permission, not a database, locked).
   * @public
   */
  static async open(options: SqliteLotStoreOptions): Promise<SqliteLotStore> {
    const db = await openSqliteDatabase(options, {
      who: 'SqliteLotStore.open',
      openDatabase: (path, o) => openSqliteDriver(path, { ...o, betterSqlite3: () => import('better-sqlite3') }),
      schema: SCHEMA,
      pragmas: ['foreign_keys = ON'],
      unavailable: lotStoreUnavailable,
      misconfigured: lotStoreMisconfigured,
      corrupt: lotStoreCorrupt,
    });
    try {
      return new SqliteLotStore(db);
    } catch (e) {
      db.close();
      throw storeUnavailable('sqlite', 'open', e);
    }
  }

  /**
   * Stores a new lot with its container, in one transaction (SCOR-3).
   *
   * @throws {@link ScorError} `ERR_LOT_EXISTS` when the lot id is taken; `ERR_LOT_STORE_UNAVAILABLE`.
   * @throws TypeError when `record` is not a valid {@link LotRecord} or `container` not a `Uint8Array`.
   */
  async create(record: LotRecord, container: Uint8Array): Promise<void> {
    const params = lotParams(record, 'create');
    if (!(container instanceof Uint8Array)) throw new TypeError('SqliteLotStore.create: container must be a Uint8Array');
    let created: boolean;
    try {
      created = this.#create(params, container);
    } catch (e) {
      throw storeUnavailable('sqlite', 'create', e);
    }
    if (!created) throw new ScorError('ERR_LOT_EXISTS', { params: { lotId: record.lotId } });
  }

  /**
   * The lot, or `null` (SCOR-3).
   *
   * @throws {@link ScorError} `ERR_LOT_STORE_CORRUPT` when the stored row no longer reads as a lot; `ERR_LOT_STORE_UNAVAILABLE`.
   */
  async get(lotId: string): Promise<LotRecord | null> {
    let row: LotRow | undefined;
    try {
      row = this.#get.get(lotId);
    } catch (e) {
      throw storeUnavailable('sqlite', 'get', e);
    }
    return row === undefined ? null : recordOfRow(row, row.record);
  }

  /**
   * A copy of the container's bytes, or `null` once purged or for an unknown lot (SCOR-3).
   *
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`; `ERR_LOT_STORE_CORRUPT` when the stored container is not a blob.
   */
  async container(lotId: string): Promise<Uint8Array | null> {
    let row: { bytes: unknown } | undefined;
    let chunks: { bytes: unknown }[] = [];
    try {
      row = this.#container.get(lotId);
      // A container stored from a file: every chunk, by one statement (one snapshot).
      if (row === undefined) chunks = this.#chunks.all(lotId);
    } catch (e) {
      throw storeUnavailable('sqlite', 'container', e);
    }
    const blob = (v: unknown): Uint8Array => {
      if (!(v instanceof Uint8Array)) throw storeCorrupt(`container of ${lotId} is not a blob`);
      return v;
    };
    if (row !== undefined) return new Uint8Array(blob(row.bytes));
    return chunks.length === 0 ? null : concatBytes(...chunks.map((c) => blob(c.bytes)));
  }

  /**
   * Stores a new lot with its container read from the file at `path`, 1 MiB
   * at a time (SCOR-3, X-2): the lot row and every chunk in one `BEGIN
   * IMMEDIATE` transaction, committed only when the file's length and
   * SHA-256 are `record.container`'s — else it rolls back, nothing is
   * stored. The store keeps its own copy: the file may then be deleted.
   *
   * `import { SqliteLotStore } from '@s3404/scor/sqlite'`
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
    if (typeof path !== 'string' || path === '') throw new TypeError('SqliteLotStore.createFromFile: path must be a non-empty string');
    const file = openFileReader(path, 'SqliteLotStore.createFromFile');
    let created: boolean;
    try {
      created = this.#createChunked(params, fileChunks(file, record, 'SqliteLotStore.createFromFile'));
    } catch (e) {
      // The file changed or could not be read (rolled back): its own coded error; anything else is the store's.
      if (isS3404Error(e)) throw e;
      throw storeUnavailable('sqlite', 'createFromFile', e);
    } finally {
      file.close();
    }
    if (!created) throw new ScorError('ERR_LOT_EXISTS', { params: { lotId: record.lotId } });
  }

  /**
   * The container 1 MiB at a time, or `null` once purged or for an unknown
   * lot (SCOR-3, X-2); a container stored as one row (`create`) comes as
   * one chunk. The iteration checks the length and SHA-256 against the
   * record's and throws instead of finishing when they differ.
   *
   * `import { SqliteLotStore } from '@s3404/scor/sqlite'`
   *
   * @example
   * ```ts
   * const chunks = await store.containerChunks(lotId)
   * if (chunks !== null) for await (const chunk of chunks) out.write(chunk)
   * ```
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`; `ERR_LOT_STORE_CORRUPT` (from the iteration) when a chunk is missing or
   *   the bytes are not the registered container.
   */
  async containerChunks(lotId: string): Promise<AsyncIterable<Uint8Array> | null> {
    const record = await this.get(lotId);
    if (record === null) return null;
    let whole: { bytes: unknown } | undefined;
    let count: number;
    try {
      whole = this.#container.get(lotId);
      count = whole === undefined ? Number(this.#chunkCount.get(lotId)?.n ?? 0) : 1;
    } catch (e) {
      throw storeUnavailable('sqlite', 'containerChunks', e);
    }
    if (count === 0) return null;
    const next = (seq: number): unknown => {
      if (whole !== undefined) return whole.bytes;
      try {
        return this.#chunk.get(lotId, seq)?.bytes;
      } catch (e) {
        throw storeUnavailable('sqlite', 'containerChunks', e);
      }
    };
    return checkedChunks({ record, count, next, who: 'SqliteLotStore.containerChunks' });
  }

  /**
   * Compare-and-set (SCOR-3): replaces the lot if its stored version is
   * `record.version - 1`, and with `dropContainer` deletes the container,
   * all in one `BEGIN IMMEDIATE` transaction. `false`: stale or unknown, nothing written.
   *
   * @throws {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE`.
   * @throws TypeError when `record` is not a valid {@link LotRecord}.
   */
  async update(record: LotRecord, options: { readonly dropContainer?: boolean } = {}): Promise<boolean> {
    const params = lotParams(record, 'update');
    const drop = options?.dropContainer === true;
    try {
      return this.#update(params, record.version - 1, drop);
    } catch (e) {
      throw storeUnavailable('sqlite', 'update', e);
    }
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
    if (query.states !== undefined) {
      where.push('state IN (SELECT value FROM json_each(?))');
      values.push(JSON.stringify(query.states));
    }
    if (query.finess !== undefined) {
      where.push('finess = ?');
      values.push(String(query.finess));
    }
    if (query.b2LotNumber !== undefined) {
      where.push('b2_lot_number = ?');
      values.push(String(query.b2LotNumber));
    }
    if (query.dueBefore !== undefined) {
      const due = Date.parse(query.dueBefore);
      // Stored instants all have a 4-digit year: nothing is due before year 0.
      if (due < MIN_INSTANT) return [];
      where.push('due_at IS NOT NULL AND due_at <= ?');
      values.push(new Date(Math.min(due, MAX_INSTANT)).toISOString());
    }
    // The predicate of the partial index lots_untraced, word for word: only the few lots holding undelivered events are
    // read. A text search, not json_type(): that throws on a row that is not JSON, which would make this query (and
    // every write of such a row, and the index's creation on an old file holding one) fail instead of naming the row.
    // A string value cannot match (its quotes are escaped); a lot it matches anyway is checked by the caller.
    if (query.untraced === true) where.push(`instr(record, '"untraced":') > 0`);
    const sql = `SELECT lot_id, version, record FROM lots${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY due_at IS NULL, due_at, lot_id LIMIT ?`;
    let rows: LotRow[];
    try {
      let statement = this.#lists.get(sql);
      if (statement === undefined) {
        statement = this.#db.prepare<unknown[], LotRow>(sql);
        this.#lists.set(sql, statement);
      }
      rows = statement.all(...values, limit);
    } catch (e) {
      throw storeUnavailable('sqlite', 'list', e);
    }
    return recordsOfRows(rows, query.onUnreadable);
  }

  async countByState(): Promise<Readonly<Partial<Record<LotState, number>>>> {
    let rows: { state: LotState; n: number }[];
    try {
      rows = this.#db.prepare<[], { state: LotState; n: number }>('SELECT state, count(*) AS n FROM lots GROUP BY state').all();
    } catch (e) {
      throw storeUnavailable('sqlite', 'countByState', e);
    }
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /** Closes the database file. Idempotent; every later call is `ERR_LOT_STORE_UNAVAILABLE`. */
  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

/** Validates a record handed to the store and derives its columns. */
function lotParams(record: LotRecord, op: string): LotParams {
  const r = checkedRecord(record, `SqliteLotStore.${op}`);
  return [r.lotId, r.finess, r.b2LotNumber, r.state, r.version, r.dueAt, JSON.stringify(r)];
}

import Database from 'better-sqlite3';
import type { ClaimOutcome, ConsumptionStore, PendingEntry, SweepResult, Tombstone } from '../consumption-store.js';
import { SealError } from '../errors/seal-error.js';
import { tombstoneFromRow, type TombstoneRow } from '../internal/tombstone-row.js';

/** Options of {@link SqliteConsumptionStore.open} (SIG-5, SIG-6). @public */
export interface SqliteStoreOptions {
  /** The database file; created with its tables if missing. Shared by every process of the machine. */
  readonly path: string;
  /**
   * `full` (default): a consumption survives a power loss once `consume`
   * returns. `normal`: survives a process crash (SIGKILL), not a power loss; faster.
   */
  readonly synchronous?: 'full' | 'normal';
  /** How long to wait for another process's write lock, milliseconds. Default 10000. */
  readonly busyTimeoutMs?: number;
}


const SCHEMA = `
CREATE TABLE IF NOT EXISTS pending (
  record_id TEXT PRIMARY KEY,
  digest TEXT NOT NULL,
  bytes BLOB NOT NULL,
  expires_at TEXT NOT NULL,
  claimed_at TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS pending_expiry ON pending (expires_at);
CREATE TABLE IF NOT EXISTS tombstones (
  record_id TEXT PRIMARY KEY,
  digest TEXT NOT NULL UNIQUE,
  target TEXT NOT NULL,
  request_id TEXT NOT NULL,
  consumer TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  completed_at TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS tombstones_claimed ON tombstones (claimed_at);
`;

/**
 * The embedded, durable consumption store (SIG-5, SIG-6): one SQLite file
 * (better-sqlite3, WAL journal) that every process of one machine can share,
 * no server needed. A claim is one `BEGIN IMMEDIATE` transaction — SQLite's
 * single writer lock arbitrates between processes — that inserts the
 * tombstone and marks the pending row. ISO 8601 instants compare as text.
 *
 * Install the optional peer `better-sqlite3`. Node only.
 *
 * `import { SqliteConsumptionStore } from '@s3404/seal/sqlite'`
 *
 * @example
 * ```ts
 * const store = SqliteConsumptionStore.open({ path: '/var/lib/s3404/consumption.sqlite' })
 * const consumer = createConsumer({ store, trustAnchors })
 * ```
 * @public
 */
export class SqliteConsumptionStore implements ConsumptionStore {
  readonly #db: Database.Database;
  readonly #claim: (t: Tombstone) => ClaimOutcome;
  readonly #complete: (o: { recordId: string; requestId: string; at: string }) => Tombstone | null;
  readonly #put: (e: PendingEntry) => void;
  readonly #sweep: (now: string, claimedBefore: string) => SweepResult;
  readonly #find: Database.Statement<[string, string], TombstoneRow>;
  readonly #get: Database.Statement<[string], { record_id: string; digest: string; bytes: Buffer; expires_at: string }>;
  readonly #count: Database.Statement<[], { n: number }>;
  readonly #purge: Database.Statement<[string]>;

  private constructor(db: Database.Database) {
    this.#db = db;
    const insertTomb = db.prepare<[string, string, string, string, string, string]>(
      'INSERT INTO tombstones (record_id, digest, target, request_id, consumer, claimed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const markClaimed = db.prepare<[string, string]>('UPDATE pending SET claimed_at = ? WHERE record_id = ? AND claimed_at IS NULL');
    this.#find = db.prepare('SELECT * FROM tombstones WHERE record_id = ? OR digest = ? LIMIT 1');
    const byId = db.prepare<[string], TombstoneRow>('SELECT * FROM tombstones WHERE record_id = ?');
    const claim = db.transaction((t: Tombstone): ClaimOutcome => {
      const inserted = insertTomb.run(t.recordId, t.digest, t.target, t.requestId, t.consumer, t.claimedAt).changes === 1;
      if (inserted) {
        markClaimed.run(t.claimedAt, t.recordId);
        return { kind: 'claimed', tombstone: { ...t } };
      }
      const row = this.#find.get(t.recordId, t.digest);
      if (row === undefined) throw new SealError('ERR_STORE_CORRUPT', { params: { detail: 'claim' } });
      return { kind: 'taken', tombstone: tombstoneFromRow(row) };
    });
    this.#claim = (t) => claim.immediate(t);
    const setCompleted = db.prepare<[string, string, string]>('UPDATE tombstones SET completed_at = coalesce(completed_at, ?) WHERE record_id = ? AND request_id = ?');
    const deletePending = db.prepare<[string]>('DELETE FROM pending WHERE record_id = ?');
    const complete = db.transaction((o: { recordId: string; requestId: string; at: string }): Tombstone | null => {
      if (setCompleted.run(o.at, o.recordId, o.requestId).changes === 0) return null;
      deletePending.run(o.recordId);
      const row = byId.get(o.recordId);
      return row === undefined ? null : tombstoneFromRow(row);
    });
    this.#complete = (o) => complete.immediate(o);
    const insertPending = db.prepare<[string, string, Uint8Array, string, string]>(
      'INSERT INTO pending (record_id, digest, bytes, expires_at) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE record_id = ?) ON CONFLICT DO NOTHING',
    );
    const put = db.transaction((e: PendingEntry): void => {
      if (insertPending.run(e.recordId, e.digest, e.bytes, e.expiresAt, e.recordId).changes === 0) throw new SealError('ERR_RECORD_DUPLICATE');
    });
    this.#put = (e) => put.immediate(e);
    const deleteExpired = db.prepare<[string]>('DELETE FROM pending WHERE expires_at <= ?');
    const deleteAbandoned = db.prepare<[string]>('DELETE FROM pending WHERE claimed_at IS NOT NULL AND claimed_at < ?');
    const sweep = db.transaction((now: string, before: string): SweepResult => ({
      expired: deleteExpired.run(now).changes,
      abandoned: deleteAbandoned.run(before).changes,
    }));
    this.#sweep = (now, before) => sweep.immediate(now, before);
    this.#get = db.prepare('SELECT record_id, digest, bytes, expires_at FROM pending WHERE record_id = ?');
    this.#count = db.prepare('SELECT count(*) AS n FROM pending');
    this.#purge = db.prepare('DELETE FROM tombstones WHERE claimed_at < ?');
  }

  /**
   * Opens (and creates) the store file (SIG-5, SIG-6). Safe when several
   * processes open the same file at once.
   *
   * @throws TypeError for malformed options; the driver's error when the file cannot be opened.
   */
  static open(options: SqliteStoreOptions): SqliteConsumptionStore {
    if (options === null || typeof options !== 'object' || typeof options.path !== 'string' || options.path === '') {
      throw new TypeError('SqliteConsumptionStore.open: options.path is required');
    }
    const sync = options.synchronous ?? 'full';
    if (sync !== 'full' && sync !== 'normal') throw new TypeError("SqliteConsumptionStore.open: synchronous must be 'full' or 'normal'");
    const busy = options.busyTimeoutMs ?? 10_000;
    if (!Number.isInteger(busy) || busy < 0) throw new TypeError('SqliteConsumptionStore.open: busyTimeoutMs must be a non-negative integer');
    const db = new Database(options.path, { timeout: busy });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
      // Freed pages are zeroed: a deleted image does not linger in the file (SIG-6).
      db.pragma('secure_delete = ON');
      db.transaction(() => db.exec(SCHEMA)).immediate();
      return new SqliteConsumptionStore(db);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  async putPending(entry: PendingEntry): Promise<void> {
    this.#put(entry);
  }

  async getPending(recordId: string): Promise<PendingEntry | null> {
    const row = this.#get.get(recordId);
    if (row === undefined) return null;
    return { recordId: row.record_id, digest: row.digest, bytes: new Uint8Array(row.bytes), expiresAt: row.expires_at };
  }

  async sweep(options: { readonly now: Date; readonly claimedBefore: Date }): Promise<SweepResult> {
    return this.#sweep(options.now.toISOString(), options.claimedBefore.toISOString());
  }

  async countPending(): Promise<number> {
    return this.#count.get()!.n;
  }

  async claim(tombstone: Tombstone): Promise<ClaimOutcome> {
    return this.#claim(tombstone);
  }

  async complete(options: { readonly recordId: string; readonly requestId: string; readonly at: string }): Promise<Tombstone | null> {
    return this.#complete(options);
  }

  async findTombstone(options: { readonly recordId?: string; readonly digest?: string }): Promise<Tombstone | null> {
    const row = this.#find.get(options.recordId ?? '', options.digest ?? '');
    return row === undefined ? null : tombstoneFromRow(row);
  }

  async purgeTombstones(options: { readonly before: Date }): Promise<number> {
    return this.#purge.run(options.before.toISOString()).changes;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}


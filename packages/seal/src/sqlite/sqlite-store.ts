import { resolveLocale, type Locale } from '@s3404/core';
import { openSqliteDatabase, openSqliteDriver, type SqliteDriverDatabase, type SqliteFileOptions, type SqliteStatement } from '@s3404/core/stores';
import type { ClaimOutcome, ConsumptionStore, PendingEntry, SweepOptions, SweepOutbox, SweepResult, Tombstone, UntracedSweep } from '../consumption-store.js';
import { SealError } from '../errors/seal-error.js';
import { onBackend, storeCorrupt, storeCorruptFailure, storeMisconfigured, storeUnavailable } from '../internal/store-failure.js';
import { tombstoneFromRow, type TombstoneRow } from '../internal/tombstone-row.js';

/**
 * Options of {@link SqliteConsumptionStore.open} (SIG-5, SIG-6): the file
 * options every SQLite store of the SDK takes — `path`, `synchronous`
 * (`full` by default: a consumption survives a power loss once `consume`
 * returns; `normal`: survives a process crash, not a power loss, faster),
 * `busyTimeoutMs` (default 10000) — and the errors' language.
 *
 * `import type { SqliteStoreOptions } from '@s3404/seal/sqlite'`
 *
 * @public
 */
export interface SqliteStoreOptions extends SqliteFileOptions {
  /** Language of the store's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
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
CREATE TABLE IF NOT EXISTS sweeps (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  consumer TEXT NOT NULL,
  expired INTEGER NOT NULL,
  abandoned INTEGER NOT NULL
) STRICT;
`;

/**
 * The embedded, durable consumption store (SIG-5, SIG-6): one SQLite file
 * (WAL journal) that every process of one machine can share,
 * no server needed. A claim is one `BEGIN IMMEDIATE` transaction — SQLite's
 * single writer lock arbitrates between processes — that inserts the
 * tombstone and marks the pending row. ISO 8601 instants compare as text.
 * `secure_delete` zeroes freed pages, so a deleted image does not linger in
 * the file.
 *
 * It keeps the store contract of the SDK (`@s3404/core/stores`): a failure
 * of the file or the driver (a busy lock past `busyTimeoutMs`, a closed
 * store, a full disk) is `ERR_STORE_UNAVAILABLE` with the driver's error as
 * `cause`; `close()` is idempotent. Its driver: on Node the optional peer
 * `better-sqlite3` (install it; without it Node ≥ 22.5 uses `node:sqlite`),
 * in Bun `bun:sqlite`, in Deno `node:sqlite`.
 *
 * `import { SqliteConsumptionStore } from '@s3404/seal/sqlite'`
 *
 * @example
 * ```ts
 * const store = await SqliteConsumptionStore.open({ path: '/var/lib/s3404/consumption.sqlite' })
 * const consumer = createConsumer({ store, trustAnchors })
 * // … on shutdown:
 * await store.close()
 * ```
 * @public
 */
export class SqliteConsumptionStore implements ConsumptionStore, SweepOutbox {
  readonly #db: SqliteDriverDatabase;
  readonly #locale: Locale;
  readonly #claim: (t: Tombstone) => ClaimOutcome;
  readonly #complete: (o: { recordId: string; requestId: string; at: string }) => Tombstone | null;
  readonly #put: (e: PendingEntry) => void;
  readonly #sweep: (expiredAt: string, claimedBefore: string, outbox: { id: string; at: string; consumer: string } | undefined) => SweepResult;
  readonly #untraced: SqliteStatement<[number], UntracedSweep>;
  readonly #traced: SqliteStatement<[string]>;
  readonly #find: SqliteStatement<[string, string], TombstoneRow>;
  readonly #get: SqliteStatement<[string], { record_id: string; digest: string; bytes: Uint8Array; expires_at: string }>;
  readonly #count: SqliteStatement<[], { n: number }>;
  readonly #purge: SqliteStatement<[string]>;

  private constructor(db: SqliteDriverDatabase, locale: Locale) {
    this.#db = db;
    this.#locale = locale;
    const insertTomb = db.prepare<[string, string, string, string, string, string]>(
      'INSERT INTO tombstones (record_id, digest, target, request_id, consumer, claimed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.#find = db.prepare('SELECT * FROM tombstones WHERE record_id = ? OR digest = ? LIMIT 1');
    const byId = db.prepare<[string], TombstoneRow>('SELECT * FROM tombstones WHERE record_id = ?');
    const claim = db.transaction((t: Tombstone): ClaimOutcome => {
      const inserted = insertTomb.run(t.recordId, t.digest, t.target, t.requestId, t.consumer, t.claimedAt).changes === 1;
      // The claim is its tombstone alone: the pending row (its sealed bytes, several pages) is not written again, and
      // an abandoned claim is found through its tombstone by the sweep (issue 19: half the cost of a claim).
      if (inserted) return { kind: 'claimed', tombstone: { ...t } };
      const row = this.#find.get(t.recordId, t.digest);
      if (row === undefined) throw storeCorrupt('sqlite claim', locale);
      return { kind: 'taken', tombstone: tombstoneFromRow(row) };
    });
    this.#claim = (t) => claim.immediate(t);
    const setCompleted = db.prepare<[string, string, string]>(
      'UPDATE tombstones SET completed_at = coalesce(completed_at, ?) WHERE record_id = ? AND request_id = ?',
    );
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
      if (insertPending.run(e.recordId, e.digest, e.bytes, e.expiresAt, e.recordId).changes === 0) throw new SealError('ERR_RECORD_DUPLICATE', { locale });
    });
    this.#put = (e) => put.immediate(e);
    const deleteExpired = db.prepare<[string]>('DELETE FROM pending WHERE expires_at <= ?');
    // Abandoned: claimed before the cut-off and still pending (a completed claim deleted its row). Each pending row is
    // looked up in the tombstones by its key, so the sweep costs what is pending, not every tombstone kept. (Earlier
    // versions marked the pending row too; their claims have their tombstones as well.)
    const deleteAbandoned = db.prepare<[string]>(
      'DELETE FROM pending WHERE EXISTS (SELECT 1 FROM tombstones t WHERE t.record_id = pending.record_id AND t.claimed_at < ?)',
    );
    const boxSweep = db.prepare<[string, string, string, number, number]>(
      'INSERT INTO sweeps (id, at, consumer, expired, abandoned) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    // The deletions and their outbox row commit together: traced later by whichever process sweeps next.
    const sweep = db.transaction((expiredAt: string, before: string, outbox: { id: string; at: string; consumer: string } | undefined): SweepResult => {
      const expired = deleteExpired.run(expiredAt).changes;
      const abandoned = deleteAbandoned.run(before).changes;
      if (outbox !== undefined && expired + abandoned > 0) boxSweep.run(outbox.id, outbox.at, outbox.consumer, expired, abandoned);
      return { expired, abandoned };
    });
    this.#sweep = (expiredAt, before, outbox) => sweep.immediate(expiredAt, before, outbox);
    this.#untraced = db.prepare('SELECT id, at, consumer, expired, abandoned FROM sweeps ORDER BY at, id LIMIT ?');
    this.#traced = db.prepare('DELETE FROM sweeps WHERE id = ?');
    this.#get = db.prepare('SELECT record_id, digest, bytes, expires_at FROM pending WHERE record_id = ?');
    this.#count = db.prepare('SELECT count(*) AS n FROM pending');
    this.#purge = db.prepare('DELETE FROM tombstones WHERE claimed_at < ?');
  }

  /**
   * Opens (and creates) the store file (SIG-5, SIG-6). Safe when several
   * processes open the same file at once: the schema is created in one
   * immediate transaction.
   *
   * `import { SqliteConsumptionStore } from '@s3404/seal/sqlite'`
   *
   * @example
   * ```ts
   * const store = await SqliteConsumptionStore.open({ path: './state/consumption.sqlite', synchronous: 'normal' })
   * ```
   * @throws TypeError for malformed options.
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE` when the file cannot be opened or created, `ERR_STORE_MISCONFIGURED`
   * when SQLite refuses it for good (read-only, forbidden, a directory that does not exist).
   */
  static async open(options: SqliteStoreOptions): Promise<SqliteConsumptionStore> {
    const locale = resolveLocale(options?.locale);
    const unavailable = storeUnavailable(locale);
    const db = await openSqliteDatabase(options, {
      who: 'SqliteConsumptionStore.open',
      openDatabase: (path, o) => openSqliteDriver(path, { ...o, betterSqlite3: () => import('better-sqlite3') }),
      schema: SCHEMA,
      unavailable,
      misconfigured: storeMisconfigured(locale),
      corrupt: storeCorruptFailure(locale),
    });
    try {
      return new SqliteConsumptionStore(db, locale);
    } catch (e) {
      db.close();
      throw unavailable(e, 'sqlite open');
    }
  }

  /** Runs a step on the file: driver failures become `ERR_STORE_UNAVAILABLE`. */
  #run<R>(operation: string, work: () => R): Promise<R> {
    return onBackend('sqlite', operation, this.#locale, work);
  }

  /** @throws {@link SealError} `ERR_RECORD_DUPLICATE` when the record id is pending or already used. */
  putPending(entry: PendingEntry): Promise<void> {
    return this.#run('putPending', () => this.#put(entry));
  }

  getPending(recordId: string): Promise<PendingEntry | null> {
    return this.#run('getPending', () => {
      const row = this.#get.get(recordId);
      if (row === undefined) return null;
      return { recordId: row.record_id, digest: row.digest, bytes: new Uint8Array(row.bytes), expiresAt: row.expires_at };
    });
  }

  async sweep(options: SweepOptions): Promise<SweepResult> {
    const expiredAt = options.expiredAt.toISOString();
    const claimedBefore = options.claimedBefore.toISOString();
    const box = options.outbox === undefined ? undefined : { id: options.outbox.id, at: options.outbox.at.toISOString(), consumer: options.outbox.consumer };
    return this.#run('sweep', () => this.#sweep(expiredAt, claimedBefore, box));
  }

  untracedSweeps(options: { readonly limit: number }): Promise<readonly UntracedSweep[]> {
    return this.#run('untracedSweeps', () =>
      this.#untraced.all(options.limit).map((r) => ({ id: r.id, at: r.at, consumer: r.consumer, expired: r.expired, abandoned: r.abandoned })),
    );
  }

  sweepTraced(id: string): Promise<void> {
    return this.#run('sweepTraced', () => {
      this.#traced.run(id);
    });
  }

  countPending(): Promise<number> {
    return this.#run('countPending', () => this.#count.get()!.n);
  }

  claim(tombstone: Tombstone): Promise<ClaimOutcome> {
    return this.#run('claim', () => this.#claim(tombstone));
  }

  complete(options: { readonly recordId: string; readonly requestId: string; readonly at: string }): Promise<Tombstone | null> {
    return this.#run('complete', () => this.#complete(options));
  }

  findTombstone(options: { readonly recordId?: string; readonly digest?: string }): Promise<Tombstone | null> {
    return this.#run('findTombstone', () => {
      const row = this.#find.get(options.recordId ?? '', options.digest ?? '');
      return row === undefined ? null : tombstoneFromRow(row);
    });
  }

  async purgeTombstones(options: { readonly before: Date }): Promise<number> {
    const before = options.before.toISOString();
    return this.#run('purgeTombstones', () => this.#purge.run(before).changes);
  }

  /** Closes the file. Idempotent; operations after it are `ERR_STORE_UNAVAILABLE`. */
  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

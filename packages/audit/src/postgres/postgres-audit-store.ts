import pg from 'pg';
import { resolveLocale, type Locale, type Sha256 } from '@s3404/core';
import { PassThrough, PostgresSession, driverCode, type PgQueryable, type PostgresConnectionOptions, type PostgresStoreSpec } from '@s3404/core/stores';
import type { AuditStore, HeldEvents, StoredEvent } from '../audit-store.js';
import { ChainHead } from '../chain-head.js';
import { parseCheckpointBody } from '../checkpoint.js';
import { AuditError } from '../errors/audit-error.js';
import type { AuditEvent } from '../event-schema.js';
import { defaultSha256 } from '../internal/sha256.js';
import { parseStoredLine } from '../internal/stored-line.js';
import {
  APPEND_ONLY_SQLSTATE,
  PAGE_ROWS,
  SCHEMA_LOCK,
  schemaNames,
  schemaProbe,
  schemaRelations,
  schemaSql,
  statements,
  type SchemaNames,
  type Statements,
} from './schema-sql.js';

/**
 * Options of {@link PostgresAuditStore.open} (AUD-2, AUD-3): the connection
 * options every PostgreSQL store of the SDK takes — exactly one of `pool`
 * and `connectionString`; `tablePrefix` (default `s3404_`, the table is
 * `<prefix>audit_events`); `poolSize`; `createTables` (default `true`) —
 * and the chain's SHA-256 and the errors' language.
 *
 * `import type { PostgresAuditStoreOptions } from '@s3404/audit/postgres'`
 *
 * @example
 * ```ts
 * const options: PostgresAuditStoreOptions = { connectionString: process.env.DATABASE_URL!, tablePrefix: 'billing_' }
 * const store = await PostgresAuditStore.open(options)
 * ```
 * @public
 */
export interface PostgresAuditStoreOptions extends PostgresConnectionOptions<pg.Pool> {
  /** Synchronous SHA-256 for the chain head; default @noble/hashes. Node: `nodeSha256` from `@s3404/core/node`. */
  readonly sha256?: Sha256;
  /** Language of the store's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

const MAX_SEQ = Number.MAX_SAFE_INTEGER;
const encoder = new TextEncoder();

/** Has the checkpoint form {@link ChainHead.advance} recognises (so opens a period). */
function isCheckpoint(e: AuditEvent): boolean {
  return e.action === 'audit.checkpoint' && e.checkpoint !== undefined && parseCheckpointBody(e.checkpoint.body) !== null;
}

/** The advisory lock key of a table: the first 8 bytes of SHA-256("s3404.audit:" ‖ table), signed. */
function lockKey(table: string): string {
  const d = defaultSha256(encoder.encode(`s3404.audit:${table}`));
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(d[i]!);
  return BigInt.asIntN(64, v).toString();
}

/** What the store kit needs to know of this store (the store contract of `docs/conventions.md`). */
function storeSpec(locale: Locale): PostgresStoreSpec {
  return {
    who: 'PostgresAuditStore.open',
    defaultPrefix: 's3404_',
    createPool: (config) => new pg.Pool(config) as unknown as ReturnType<PostgresStoreSpec['createPool']>,
    schema: (prefix) => {
      const n = schemaNames(prefix);
      return { ddl: schemaSql(n), relations: schemaRelations(n) };
    },
    schemaLock: SCHEMA_LOCK,
    // A statement the append-only triggers refused is the trace's own verdict, not an outage.
    unavailable: (cause, reason) =>
      driverCode(cause) === APPEND_ONLY_SQLSTATE
        ? new AuditError('ERR_AUDIT_APPEND_ONLY', { locale, cause })
        : new AuditError('ERR_AUDIT_STORE_UNAVAILABLE', { params: { detail: reason }, locale, cause }),
    misconfigured: (cause, reason) => new AuditError('ERR_AUDIT_STORE_MISCONFIGURED', { params: { detail: reason }, locale, cause }),
    corrupt: (cause, reason) => new AuditError('ERR_AUDIT_STORE_CORRUPT', { params: { detail: reason }, locale, cause }),
  };
}

/**
 * The shared, durable trace on PostgreSQL (AUD-2, AUD-3): every process and
 * host of a service appends to the same table, one chain. An append is one
 * transaction holding a PostgreSQL advisory lock derived from the table
 * name: it brings the cached head up to date when another handle appended
 * (re-reading from the last checkpoint), builds the batch, inserts it in one
 * multi-row `INSERT` and commits. The table keeps each event's canonical
 * line byte for byte; {@link PostgresAuditStore.lines} returns exactly those
 * lines, for `verifyLog`.
 *
 * The database itself enforces append-only: triggers refuse every `UPDATE`
 * and `TRUNCATE`, and every `DELETE` except the retention purge's (a
 * transaction that set `s3404.audit_purge_through` to at least the row's
 * sequence number). They stop mistakes and naive tampering; a superuser can
 * still drop them, which the hash chain and signed checkpoints then reveal.
 *
 * It keeps the store contract of the SDK (`@s3404/core/stores`): a driver
 * failure is `ERR_AUDIT_STORE_UNAVAILABLE` (kind `unavailable`, the
 * driver's error as `cause`), deadlocks and serialization failures of
 * single statements are retried, `close()` is idempotent and ends only a
 * pool the store created. Install the optional peer `pg`. Node only.
 *
 * `import { PostgresAuditStore } from '@s3404/audit/postgres'`
 *
 * @example
 * ```ts
 * const store = await PostgresAuditStore.open({ connectionString: process.env.DATABASE_URL! })
 * const log = createAuditLog({ store, signer, origin: 'finess:750300360' })
 * // … on shutdown:
 * await log.close()
 * ```
 * @public
 */
export class PostgresAuditStore implements AuditStore {
  /** The table holding the events, `<prefix>audit_events`. */
  readonly table: string;
  readonly #session: PostgresSession;
  readonly #sql: Statements;
  readonly #lockKey: string;
  readonly #sha256: Sha256;
  readonly #locale: Locale;
  #head: ChainHead;
  #mutex: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(session: PostgresSession, names: SchemaNames, sha256: Sha256, locale: Locale) {
    this.table = names.table;
    this.#session = session;
    this.#sql = statements(names);
    this.#lockKey = lockKey(names.table);
    this.#sha256 = sha256;
    this.#locale = locale;
    this.#head = new ChainHead(sha256);
  }

  /**
   * Opens the store (AUD-2, AUD-3) and, unless `createTables` is `false`,
   * creates its table, indexes and append-only triggers if missing, and
   * restores a dropped trigger or an outdated guard function. Safe when
   * several processes open the same database at once: the DDL runs in one
   * transaction holding a PostgreSQL advisory lock; when the schema is
   * there, opening runs no DDL and waits for no append in flight.
   *
   * `import { PostgresAuditStore } from '@s3404/audit/postgres'`
   *
   * @example
   * ```ts
   * const store = await PostgresAuditStore.open({ pool, tablePrefix: 'billing_' })
   * ```
   * @throws TypeError for malformed options; {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE` when the database is unreachable or the DDL fails.
   * @public
   */
  static async open(options: PostgresAuditStoreOptions): Promise<PostgresAuditStore> {
    if (options?.sha256 !== undefined && typeof options.sha256 !== 'function') throw new TypeError('PostgresAuditStore.open: sha256 must be a function');
    const locale = resolveLocale(options?.locale);
    const session = await PostgresSession.open(options, storeSpec(locale));
    const names = schemaNames(session.prefix);
    try {
      if (options.createTables !== false) await ensureGuard(session, names);
    } catch (e) {
      await session.close().catch(() => undefined);
      throw e;
    }
    return new PostgresAuditStore(session, names, options.sha256 ?? defaultSha256, locale);
  }

  /** Runs `fn` alone in this process (appends, head, purge, close). */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#mutex.then(() => {
      if (this.#closed) throw new AuditError('ERR_AUDIT_CLOSED', { locale: this.#locale });
      return fn();
    });
    this.#mutex = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * The head of the table as `db` sees it: the cached one when the last row
   * is the one it ends at, else rebuilt from the last checkpoint row (the
   * first leaf of the open period), else from the first row (genesis, or
   * what a purge left).
   */
  async #current(db: PgQueryable): Promise<ChainHead> {
    const top = (await db.query(this.#sql.top)).rows[0] as { seq: string; hash: string } | undefined;
    const cached = this.#head;
    // An empty table: genesis, or everything purged by this handle, which
    // keeps its head as the memory and file stores do.
    if (top === undefined) return cached;
    const topSeq = Number(top.seq);
    if (cached.seq === topSeq && cached.hash === top.hash) return cached;
    const from = Number(((await db.query(this.#sql.lastCheckpoint)).rows[0] as { seq: string } | undefined)?.seq ?? 0);
    const head = new ChainHead(this.#sha256);
    let after = Math.max(from - 1, 0);
    let first = true;
    for (;;) {
      const rows = (await db.query(this.#sql.page, [after, topSeq])).rows as { seq: string; line: string }[];
      for (const row of rows) {
        const e = parseStoredLine(row.line, `${this.table} seq ${row.seq}`, this.#locale);
        if (first) {
          first = false;
          // An anchored start (after a purge): the chain continues from the
          // checkpoint's predecessor, as verifyLog reads it.
          if (e.seq > 1) {
            head.seq = e.seq - 1;
            head.hash = e.prev;
          }
        }
        head.advance(e);
      }
      if (rows.length < PAGE_ROWS) break;
      after = Number(rows[rows.length - 1]!.seq);
    }
    return head;
  }

  /**
   * Under the table's advisory lock, in one transaction (AUD-2): catches up
   * with other writers, gives `build` a copy of the head, inserts what it
   * returns in one statement, commits, then keeps the moved head. Nothing is
   * written when `build` throws (its error is rethrown as it is).
   *
   * @throws {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE`, `ERR_AUDIT_LINE_INVALID` (a row changed after it was written), `ERR_AUDIT_CLOSED`.
   */
  append(build: (head: ChainHead, held?: HeldEvents) => Promise<readonly StoredEvent[]>): Promise<void> {
    return this.#exclusive(async () => {
      const head = await this.#session.transaction('append', async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.#lockKey]);
        const current = await this.#current(client);
        this.#head = current;
        const next = current.clone();
        let events: readonly StoredEvent[];
        try {
          events = await build(next, async (ids) => {
            // In the append's transaction, under its lock (the index on `id`).
            const { rows } = await client.query(this.#sql.held, [ids]);
            return (rows as { seq: string; line: string }[]).map((r) => parseStoredLine(r.line, `${this.table} seq ${r.seq}`, this.#locale));
          });
        } catch (e) {
          throw new PassThrough(e);
        }
        if (events.length > 0) {
          const n = events.length;
          const seq = new Array<number>(n);
          const id = new Array<string>(n);
          const time = new Array<string>(n);
          const action = new Array<string>(n);
          const line = new Array<string>(n);
          const hash = new Array<string>(n);
          const checkpoint = new Array<boolean>(n);
          for (let i = 0; i < n; i++) {
            const { event, line: l } = events[i]!;
            seq[i] = event.seq;
            id[i] = event.id;
            time[i] = event.time;
            action[i] = event.action;
            line[i] = l;
            hash[i] = event.hash;
            checkpoint[i] = isCheckpoint(event);
          }
          await client.query(this.#sql.insert, [seq, id, time, action, line, hash, checkpoint]);
        }
        return next;
      });
      this.#head = head;
    });
  }

  /**
   * Events in sequence order, optionally within `fromSeq ≤ seq ≤ toSeq`
   * (AUD-2); read 5,000 rows per query.
   *
   * @throws {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE`, `ERR_AUDIT_LINE_INVALID` (a row changed after it was written).
   */
  async *read(options: { readonly fromSeq?: number | undefined; readonly toSeq?: number | undefined } = {}): AsyncIterable<AuditEvent> {
    const from = options.fromSeq;
    const to = options.toSeq;
    const after = from === undefined || Number.isNaN(from) ? 0 : Math.min(Math.max(Math.ceil(from) - 1, 0), MAX_SEQ);
    const through = to === undefined || Number.isNaN(to) ? MAX_SEQ : Math.min(Math.max(Math.floor(to), 0), MAX_SEQ);
    for await (const rows of this.#pages(after, through)) {
      for (const row of rows) yield parseStoredLine(row.line, `${this.table} seq ${row.seq}`, this.#locale);
    }
  }

  /**
   * The canonical lines, each followed by `\n`, in sequence order: what
   * `verifyLog` checks (AUD-2). One chunk per 5,000 rows.
   *
   * @throws {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE`.
   */
  async *lines(): AsyncIterable<Uint8Array> {
    for await (const rows of this.#pages(0, MAX_SEQ)) {
      let text = '';
      for (const row of rows) text += `${row.line}\n`;
      yield encoder.encode(text);
    }
  }

  /** Pages of rows `after < seq ≤ through`, keyset-paginated on `seq`. */
  async *#pages(after: number, through: number): AsyncIterable<readonly { seq: string; line: string }[]> {
    let cursor = after;
    while (cursor < through) {
      const { rows } = await this.#session.query<{ seq: string; line: string }>('read', this.#sql.page, [cursor, through]);
      if (rows.length > 0) yield rows;
      if (rows.length < PAGE_ROWS) return;
      cursor = Number(rows[rows.length - 1]!.seq);
    }
  }

  /**
   * A copy of the current head (AUD-2), after reading what other handles
   * appended, from one consistent snapshot.
   *
   * @throws {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE`, `ERR_AUDIT_LINE_INVALID` (a row changed after it was written), `ERR_AUDIT_CLOSED`.
   */
  head(): Promise<ChainHead> {
    return this.#exclusive(async () => {
      const head = await this.#session.transaction('head', (client) => this.#current(client), { begin: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' });
      this.#head = head;
      return head.clone();
    });
  }

  /**
   * The retention purge (AUD-3): deletes the events with `seq ≤ throughSeq`
   * in one transaction, under the append lock, the only deletion the
   * append-only triggers let through. Returns how many were deleted.
   *
   * @throws TypeError when `throughSeq` is not a number; {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE`, `ERR_AUDIT_CLOSED`.
   */
  purge(throughSeq: number): Promise<number> {
    if (typeof throughSeq !== 'number' || Number.isNaN(throughSeq))
      return Promise.reject(new TypeError('PostgresAuditStore.purge: throughSeq must be a number'));
    const through = String(Math.min(Math.max(Math.floor(throughSeq), 0), MAX_SEQ));
    return this.#exclusive(() =>
      this.#session.transaction('purge', async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.#lockKey]);
        await client.query(this.#sql.allowPurge, [through]);
        const result = await client.query(this.#sql.purge, [through]);
        return result.rowCount ?? 0;
      }),
    );
  }

  /**
   * Drops the store's table and trigger function (tests, uninstall): the
   * whole trace is lost.
   *
   * @example
   * ```ts
   * await store.dropTables()
   * ```
   * @throws {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE`.
   */
  async dropTables(): Promise<void> {
    await this.#session.query('drop', this.#sql.drop);
    this.#head = new ChainHead(this.#sha256);
  }

  /** Waits for pending work, then ends the pool if the store created it (`connectionString`); a given `pool` is left open. Idempotent. */
  async close(): Promise<void> {
    await this.#mutex;
    if (this.#closed) return;
    this.#closed = true;
    await this.#session.close();
  }
}

/**
 * Restores what the kit's check of the relations cannot see: a dropped
 * append-only trigger or a guard function whose body is not this version's
 * (neither is a relation). A lock-free probe; the DDL, when needed, runs
 * under the schema lock like the kit's.
 */
async function ensureGuard(session: PostgresSession, names: SchemaNames): Promise<void> {
  const probe = schemaProbe(names);
  const { rows } = await session.query<{ ready: boolean }>('open', probe.text, probe.values);
  if (rows[0]?.ready === true) return;
  await session.transaction(
    'open',
    async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
      await client.query(schemaSql(names));
    },
    { retries: 5 },
  );
}

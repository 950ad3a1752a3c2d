import type { AuditEvent } from './event-schema.js';
import type { ChainHead } from './chain-head.js';

/**
 * An event with its canonical line (no newline), as a store writes it (AUD-2).
 *
 * `import type { StoredEvent } from '@s3404/audit'`
 *
 * @public
 */
export interface StoredEvent {
  readonly event: AuditEvent;
  readonly line: string;
}

/**
 * The events a store holds among some ids (AUD-2): what a store gives
 * `build`, read under its lock, so that an event whose draft carries an
 * id already traced is not written twice (`AuditEventDraft.id`). The log
 * asks for every id a caller gives, a first delivery's too.
 *
 * `hint.since`, when given: every id asked is a UUIDv7 made at or after
 * that instant (milliseconds since the epoch, the ids' own time). A store
 * may use it to look only among recent ids — the file store answers from
 * an index of the ids made in the last half hour, and reads the whole
 * trace for older ones; a store that ignores it looks everywhere, which is
 * always right.
 *
 * `import type { HeldEvents } from '@s3404/audit'`
 *
 * @public
 */
export type HeldEvents = (ids: readonly string[], hint?: { readonly since: number }) => Promise<AuditEvent[]>;

/**
 * Where the trace is kept (AUD-2, AUD-3): memory (`/memory`), an
 * append-only JSON Lines file (`/file`), PostgreSQL (`/postgres`), or a
 * vendor's own. A store serialises writers — across processes for the file
 * and database stores — and never rewrites an event; only {@link purge}
 * removes the oldest ones.
 *
 * `import type { AuditStore } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const store: AuditStore = await PostgresAuditStore.open({ connectionString })
 * const log = createAuditLog({ store })
 * ```
 *
 * @public
 */
export interface AuditStore {
  /**
   * Under the store's exclusive lock: gives `build` a copy of the current
   * head, writes the events it returns durably and in order, then moves the
   * head. Nothing is written when `build` throws. When it rejects after a
   * build, the log reads {@link head} and {@link read} back: events held as
   * built are reported written (a write whose answer was lost). A store
   * passes `build` its {@link HeldEvents}, callable while it holds its
   * lock: the log checks the ids callers gave their drafts with it (the
   * SDK's three stores do). Over a store that passes none, the log finds
   * only the events it built itself, read back from the store where it
   * built them (also after a write whose answer was lost); another log or
   * process writes such an event again when its id is given again.
   */
  append(build: (head: ChainHead, held?: HeldEvents) => Promise<readonly StoredEvent[]>): Promise<void>;
  /** Events in sequence order, optionally limited to a sequence range; a stored line that is no longer an event is `ERR_AUDIT_LINE_INVALID`. */
  read(options?: { readonly fromSeq?: number | undefined; readonly toSeq?: number | undefined }): AsyncIterable<AuditEvent>;
  /** The raw canonical lines, `\n`-terminated, in order: what {@link verifyLog} checks. */
  lines(): AsyncIterable<Uint8Array>;
  /** A copy of the current head (after reading what other writers added). */
  head(): Promise<ChainHead>;
  /** Deletes the events with `seq ≤ throughSeq` (the retention purge); returns how many. */
  purge(throughSeq: number): Promise<number>;
  close(): Promise<void>;
}

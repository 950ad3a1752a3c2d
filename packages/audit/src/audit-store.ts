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
   * built are reported written (a write whose answer was lost).
   */
  append(build: (head: ChainHead) => Promise<readonly StoredEvent[]>): Promise<void>;
  /** Events in sequence order, optionally limited to a sequence range. */
  read(options?: { readonly fromSeq?: number | undefined; readonly toSeq?: number | undefined }): AsyncIterable<AuditEvent>;
  /** The raw canonical lines, `\n`-terminated, in order: what {@link verifyLog} checks. */
  lines(): AsyncIterable<Uint8Array>;
  /** A copy of the current head (after reading what other writers added). */
  head(): Promise<ChainHead>;
  /** Deletes the events with `seq ≤ throughSeq` (the retention purge); returns how many. */
  purge(throughSeq: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The storage side of single use (SIG-5, SIG-6): sealed records waiting for
 * their use (pending, with an expiry) and the consumption ledger (tombstones).
 * Every store of `@s3404/seal` — memory, embedded SQLite, PostgreSQL, Redis —
 * implements both halves on one backend, so that a claim and its tombstone
 * are one atomic step. `docs/consumption.md` gives the protocol.
 *
 * Every store keeps the store contract of the SDK (`docs/conventions.md`
 * §8): `open` is async, a backend failure is a `SealError`
 * `ERR_STORE_UNAVAILABLE` (kind `unavailable`) with the backend's error as
 * `cause`, a missing item is `null`, and `close()` exists and is idempotent.
 */

/**
 * A sealed record waiting for its use (SIG-6), as a store holds it: never the
 * record itself, only its ciphertext under a data key the store never sees
 * (crypto-shredding, `docs/consumption.md`). The entry is deleted when the
 * record is used or expires; whatever copies the backend keeps (dead tuples,
 * WAL, AOF, backups) are undecipherable once the key is destroyed.
 *
 * @public
 */
export interface PendingEntry {
  readonly recordId: string;
  /** SHA-256 of the sealed record (the plaintext CMS), lowercase hex: the replay key of its tombstone. */
  readonly digest: string;
  /**
   * The sealed record encrypted by the consumer (AES-256-GCM envelope
   * `S3PE`, version 1: header with the target, nonce, ciphertext and tag).
   * Stores keep these bytes as they are.
   */
  readonly bytes: Uint8Array;
  /** When it stops being usable and is deleted by the sweeper, ISO 8601 UTC. */
  readonly expiresAt: string;
}

/**
 * The consumption ledger's entry (SIG-5): what was used, for what, by whom,
 * and when — never the image or the strokes.
 *
 * @public
 */
export interface Tombstone {
  readonly recordId: string;
  /** SHA-256 of the consumed bytes: a replayed copy is refused by it. */
  readonly digest: string;
  /** What it was used for, e.g. `bordereau:B…`, `line:B…:2`, `day:750300360:2026-03-20`. */
  readonly target: string;
  /** The caller's idempotency key: a retry with the same key resumes or replays the outcome. */
  readonly requestId: string;
  /** Who consumed it (service instance, operator). */
  readonly consumer: string;
  /** ISO 8601 UTC. */
  readonly claimedAt: string;
  /** Set when the signature was applied and the pending bytes deleted; ISO 8601 UTC. */
  readonly completedAt?: string;
}

/**
 * The outcome of an atomic claim (SIG-5): `claimed` when this call wrote the
 * tombstone; otherwise the tombstone that already holds the record id or the
 * digest, for the caller to compare.
 *
 * @public
 */
export type ClaimOutcome = { readonly kind: 'claimed'; readonly tombstone: Tombstone } | { readonly kind: 'taken'; readonly tombstone: Tombstone };

/** What the sweeper removed (SIG-6). @public */
export interface SweepResult {
  /** Pending records past their expiry. */
  readonly expired: number;
  /** Pending records claimed longer ago than the grace period whose use never completed (crash). */
  readonly abandoned: number;
}

/** Options of {@link PendingRecordStore.sweep} (SIG-6). @public */
export interface SweepOptions {
  /** Deletes the entries whose `expiresAt` is at or before this instant. */
  readonly expiredAt: Date;
  /** Deletes the entries claimed before this instant whose use never completed. */
  readonly claimedBefore: Date;
  /**
   * The sweep's outbox entry (SIG-6, AUD-1), given by the consumer when the
   * store keeps a {@link SweepOutbox}: a sweep that deletes anything writes
   * `{ id, at, consumer, expired, abandoned }` to the outbox in the same atomic step as
   * its deletions, so a process that dies before tracing them leaves them for
   * the next sweep of any process to trace. A sweep that deletes nothing
   * writes nothing.
   */
  readonly outbox?: { readonly id: string; readonly at: Date; readonly consumer: string };
}

/**
 * A sweep whose deletions are not traced yet (SIG-6, AUD-1): what
 * {@link SweepOptions.outbox} wrote.
 *
 * @public
 */
export interface UntracedSweep {
  /** The id the consumer gave the sweep (a UUID). */
  readonly id: string;
  /** When it swept, ISO 8601 UTC. */
  readonly at: string;
  /** The consumer that swept (its `consumerId`): the actor of the sweep's event, whoever traces it. */
  readonly consumer: string;
  readonly expired: number;
  readonly abandoned: number;
}

/**
 * The sweeps' outbox (SIG-6, AUD-1): a store that has it keeps each sweep's
 * deletions, written with them, until the consumer traced them — the
 * deletions of a sweep are never left untraced by a process killed between
 * the store and the trace, whichever process sweeps next. Every store of the
 * SDK has it; a vendor store without it gets the consumer's in-memory count
 * (lost with its process).
 *
 * @public
 */
export interface SweepOutbox {
  /**
   * The sweeps written and not yet traced, oldest first, at most `limit`. An
   * entry the store cannot read is listed too (as it stands, or with an empty
   * `at` and negative counts): the consumer checks every entry, skips the
   * ones no sweep wrote and reports them (`ERR_STORE_CORRUPT`) once it has
   * traced the others.
   */
  untracedSweeps(options: { readonly limit: number }): Promise<readonly UntracedSweep[]>;
  /** Removes a traced sweep from the outbox. Idempotent: an id absent is not an error. */
  sweepTraced(id: string): Promise<void>;
}

/**
 * Sealed records awaiting use (SIG-6).
 *
 * `import type { PendingRecordStore } from '@s3404/seal'`
 *
 * @public
 */
export interface PendingRecordStore {
  /**
   * Stores a record until its use or expiry.
   * @throws {@link SealError} `ERR_RECORD_DUPLICATE` when the record id is pending or already used; `ERR_STORE_UNAVAILABLE`.
   */
  putPending(entry: PendingEntry): Promise<void>;
  /** The pending entry, or `null` when absent (never stored, used, or swept). */
  getPending(recordId: string): Promise<PendingEntry | null>;
  /**
   * Deletes pending entries expired at `expiredAt`, and those claimed before
   * `claimedBefore` whose use never completed (SIG-6); with `outbox`, writes
   * that sweep's counts to the store's {@link SweepOutbox} in the same atomic step.
   */
  sweep(options: SweepOptions): Promise<SweepResult>;
  /** How many pending entries (so images) the store holds, expired or not. */
  countPending(): Promise<number>;
}

/**
 * The consumption ledger (SIG-5): tombstones, unique by record id and by
 * digest.
 *
 * `import type { ConsumptionLedger } from '@s3404/seal'`
 *
 * @public
 */
export interface ConsumptionLedger {
  /**
   * Atomically writes the tombstone unless one already exists for this record
   * id or digest, and marks the pending entry (if any) as claimed. Exactly one
   * concurrent caller gets `claimed`, on every process sharing the store.
   */
  claim(tombstone: Tombstone): Promise<ClaimOutcome>;
  /**
   * Marks the tombstone complete and deletes the pending entry with its image,
   * atomically. Idempotent. Returns the tombstone as stored, or `null` when
   * no tombstone has this record id and request id.
   */
  complete(options: { readonly recordId: string; readonly requestId: string; readonly at: string }): Promise<Tombstone | null>;
  /** The tombstone holding this record id, else this digest; `null` when none does. */
  findTombstone(options: { readonly recordId?: string; readonly digest?: string }): Promise<Tombstone | null>;
  /** Deletes tombstones claimed before `before`; returns how many (retention). */
  purgeTombstones(options: { readonly before: Date }): Promise<number>;
}

/**
 * A store for single use: both halves on one backend (SIG-5, SIG-6). The
 * implementations are `MemoryConsumptionStore` (`@s3404/seal/memory`),
 * `SqliteConsumptionStore` (`@s3404/seal/sqlite`), `PostgresConsumptionStore`
 * (`@s3404/seal/postgres`) and `RedisConsumptionStore` (`@s3404/seal/redis`);
 * `openConsumptionStore(url)` (`@s3404/seal/stores`) opens one from a URL.
 *
 * Every method reports a failure of the backend as a `SealError`
 * `ERR_STORE_UNAVAILABLE` (kind `unavailable`, the backend's error as
 * `cause`). The consumer reports a failure of `claim` (whose answer may be
 * lost after its commit) as `ERR_CONSUME_INCOMPLETE`, to be retried with the
 * same request id; of any other method: nothing was consumed, the call may
 * be retried.
 *
 * `import type { ConsumptionStore } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const store: ConsumptionStore = await openConsumptionStore('sqlite:./state/consumption.sqlite')
 * const consumer = createConsumer({ store, trustAnchors })
 * // … on shutdown:
 * await store.close()
 * ```
 * @public
 */
export interface ConsumptionStore extends PendingRecordStore, ConsumptionLedger, Partial<SweepOutbox> {
  /**
   * Releases the connections or file handles the store opened itself (a pool
   * or client given by the caller stays open). Idempotent.
   */
  close(): Promise<void>;
}

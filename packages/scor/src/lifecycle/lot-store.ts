import type { ScorError } from '../errors/scor-error.js';
import type { LotRecord, LotState } from './lot-record.js';

/** Which lots {@link LotStore.list} returns (SCOR-3). @public */
export interface LotQuery {
  readonly states?: readonly LotState[];
  readonly finess?: string;
  readonly b2LotNumber?: string;
  /** Only lots with a `dueAt` at or before this ISO 8601 instant. */
  readonly dueBefore?: string;
  /**
   * `true`: only lots holding trace events not yet delivered
   * (`LotRecord.untraced`), which `tick` delivers. A vendor's store may
   * ignore it: `tick` looks at each record it gets.
   */
  readonly untraced?: boolean;
  /** At most this many, ordered by `dueAt` (lots without one last) then `lotId`. Default 1000, at most 10000. */
  readonly limit?: number;
  /**
   * Called for each lot that matches but whose stored record no longer
   * reads (`ERR_LOT_STORE_CORRUPT`), which `list` then skips: one damaged
   * row does not hide the others (what the lifecycle's `tick` asks, and
   * reports under `errors`). Without it, such a lot makes `list` throw. It
   * counts towards `limit`. A vendor's store may ignore it and throw.
   */
  readonly onUnreadable?: (lotId: string, error: ScorError) => void;
}

/**
 * Where lots and their containers are kept (SCOR-3): memory
 * (`@s3404/scor/memory`), an embedded SQLite file (`@s3404/scor/sqlite`)
 * or PostgreSQL (`@s3404/scor/postgres`), or the vendor's own. Updates are
 * compare-and-set on `version`, so several processes or machines can run
 * the lifecycle on one store: a transition decided on a stale record is
 * refused and decided again.
 *
 * Every store keeps the store contract of `docs/conventions.md` §8: failures
 * of the backend are {@link ScorError} `ERR_LOT_STORE_UNAVAILABLE` (kind
 * `unavailable`, the driver's error as `cause`); a stored record that no
 * longer reads is `ERR_LOT_STORE_CORRUPT`; a missing lot or container is
 * `null`; `close()` always exists and is idempotent.
 *
 * `import type { LotStore } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const store: LotStore = await SqliteLotStore.open({ path: 'lots.sqlite' }) // or new MemoryLotStore(), await PostgresLotStore.open(…)
 * const lots = createLotManager({ store, transport })
 * ```
 * @public
 */
export interface LotStore {
  /** Stores a new lot (its `version` is 1) with its container. @throws ScorError `ERR_LOT_EXISTS`. */
  create(record: LotRecord, container: Uint8Array): Promise<void>;
  /** The lot, or `null`. */
  get(lotId: string): Promise<LotRecord | null>;
  /** The container's bytes, or `null` once purged or for an unknown lot. */
  container(lotId: string): Promise<Uint8Array | null>;
  /**
   * Stores a new lot (its `version` is 1) with its container read from the
   * file at `path` chunk by chunk, never whole in memory (SCOR-3, X-2) —
   * what `register` uses for a lot of `packLotFile`. The store keeps its own
   * copy: the file may be deleted afterwards. The lot and its container are
   * stored together or not at all, and only when the file's length and
   * SHA-256 are `record.container`'s. Optional (the SQLite store has it; a
   * store without it takes bytes through `create`).
   * @throws ScorError `ERR_LOT_EXISTS`; `ERR_LOT_CONTAINER_CHANGED` when the file is not the container the record describes (nothing is stored);
   *   CoreError `ERR_FILE_UNREADABLE` when the file cannot be read.
   */
  createFromFile?(record: LotRecord, path: string): Promise<void>;
  /**
   * The container chunk by chunk, or `null` once purged or for an unknown
   * lot (SCOR-3, X-2): at most one chunk in memory at a time. The iteration
   * checks what it gives against the record's length and SHA-256 and throws
   * `ERR_LOT_STORE_CORRUPT` instead of finishing when they differ, so a
   * consumer that reaches its end received exactly the registered
   * container. Optional; the lifecycle uses it with a transport that has
   * `sendChunks`.
   */
  containerChunks?(lotId: string): Promise<AsyncIterable<Uint8Array> | null>;
  /**
   * Replaces the lot if the stored version is `record.version - 1`, in one
   * atomic step; `dropContainer` deletes the container bytes in that same
   * step (the purge). Returns `false` when the stored version differs or
   * the lot is unknown: nothing was written.
   */
  update(record: LotRecord, options?: { readonly dropContainer?: boolean }): Promise<boolean>;
  /** Lots matching `query`. */
  list(query?: LotQuery): Promise<LotRecord[]>;
  /**
   * How many lots are in each state now (a state without any is absent),
   * counted by the store itself whatever their number — what a gauge of lot
   * states reads (`observeLotStates` of `@s3404/core/otel`). Optional for a
   * vendor's store; the SDK's three have it.
   */
  countByState?(): Promise<Readonly<Partial<Record<LotState, number>>>>;
  /** Releases connections or file handles the store opened itself (a pool given by the caller stays open). Idempotent. */
  close(): Promise<void>;
}

/** The default and the largest `limit` of a lot query (SCOR-3). */
export const LIST_LIMIT = { default: 1000, max: 10_000 } as const;

/** Checks a query's fields (programmer misuse is a TypeError) and returns its limit. */
export function checkLotQuery(query: LotQuery): number {
  if (query === null || typeof query !== 'object') throw new TypeError('LotStore.list: query must be an object');
  const limit = query.limit ?? LIST_LIMIT.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT.max)
    throw new TypeError(`LotStore.list: limit must be an integer from 1 to ${LIST_LIMIT.max}`);
  if (query.dueBefore !== undefined && Number.isNaN(Date.parse(query.dueBefore))) throw new TypeError('LotStore.list: dueBefore must be an ISO 8601 instant');
  if (query.onUnreadable !== undefined && typeof query.onUnreadable !== 'function') throw new TypeError('LotStore.list: onUnreadable must be a function');
  if (query.untraced !== undefined && typeof query.untraced !== 'boolean') throw new TypeError('LotStore.list: untraced must be a boolean');
  return limit;
}

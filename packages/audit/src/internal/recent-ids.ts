import { uuidV7Time } from './event-id.js';

/** How far behind the latest event's time an indexed id's time may fall before it leaves the index. */
const WINDOW_MS = 30 * 60_000;
/** The most ids indexed: about 9.4 MB of heap, measured (issue 19). */
const MAX_IDS = 100_000;
/** An id made this long after the latest event's time is "ahead" (its emitter's clock is): kept apart. */
const AHEAD_MS = 5 * 60_000;
/** The most ids kept apart as ahead. */
const MAX_AHEAD = 10_000;
/** How often (of the latest event's time) the ids kept apart are looked at for leaving. */
const AHEAD_PRUNE_EVERY_MS = 60_000;

/**
 * Where a store finds the events of recent ids without reading its whole
 * trace (AUD-2, issue 19): the position of each line (a file offset), by
 * the line's id, for the ids made in the last half hour (a UUIDv7's
 * milliseconds) — at most {@link MAX_IDS}. What it keeps is sound: every
 * line whose id was made at or after the cutoff is in it, so a lookup of
 * ids all made since then is answered from it, found or not; any other is
 * the store's to make (a read of the whole trace). An id's own time, not
 * its line's, decides.
 *
 * An id dated ahead of the trace (an emitter's clock wrong by more than
 * {@link AHEAD_MS}) is kept apart, until the trace's time has passed its
 * date by the window: in the main index it would hold the cutoff at its
 * date once the index is full, and every lookup would read the whole trace
 * from then on. Past {@link MAX_AHEAD} of them, a lookup that could be one
 * of those let go reads the whole trace.
 */
export class RecentIds {
  readonly #at = new Map<string, number>();
  readonly #ahead = new Map<string, number>();
  /** Every line whose id time is at or after this is indexed (or kept apart), but those let go from {@link #ahead}. */
  #cutoff = Number.NEGATIVE_INFINITY;
  /** The latest id time let go from {@link #ahead} while it was still ahead of the window. */
  #aheadLost = Number.NEGATIVE_INFINITY;
  /** The latest event time seen (the reference of the window). */
  #latest = Number.NEGATIVE_INFINITY;
  #aheadPrunedAt = Number.NEGATIVE_INFINITY;

  /**
   * Notes the time (ms) of an event read or written — before its line is {@link add}ed — and lets the ids fallen
   * out of the window go.
   */
  saw(timeMs: number): void {
    if (!(timeMs > this.#latest)) return;
    this.#latest = timeMs;
    const floor = timeMs - WINDOW_MS;
    for (const id of this.#at.keys()) {
      if (!(uuidV7Time(id) < floor)) break;
      this.#drop(this.#at, id);
    }
    if (this.#ahead.size > 0 && timeMs - this.#aheadPrunedAt >= AHEAD_PRUNE_EVERY_MS) {
      this.#aheadPrunedAt = timeMs;
      for (const id of this.#ahead.keys()) if (uuidV7Time(id) < floor) this.#drop(this.#ahead, id);
    }
  }

  /** Indexes a line read or written at `at` (its id's first line: a copy later in the trace is not the one a lookup answers). */
  add(id: string, at: number): void {
    if (this.#at.has(id) || this.#ahead.has(id)) return;
    const t = uuidV7Time(id);
    // Already out of the window (an id made long before its line, or a trace read from its start): not kept.
    if (t < this.#latest - WINDOW_MS) {
      this.#cutoff = Math.max(this.#cutoff, t + 1);
      return;
    }
    if (t > this.#latest + AHEAD_MS) {
      this.#ahead.set(id, at);
      if (this.#ahead.size > MAX_AHEAD) {
        const first = this.#ahead.keys().next().value!;
        this.#ahead.delete(first);
        this.#aheadLost = Math.max(this.#aheadLost, uuidV7Time(first));
      }
      return;
    }
    this.#at.set(id, at);
    if (this.#at.size > MAX_IDS) this.#drop(this.#at, this.#at.keys().next().value!);
  }

  /**
   * The positions of the lines of `ids` (each id's first), in trace order —
   * or `undefined` when an id may have been made before the cutoff (`since`,
   * the earliest time of the ids, is before it) or be one of the ahead ids
   * let go: only a read of the whole trace can say.
   */
  find(ids: readonly string[], since: number): number[] | undefined {
    if (!(since >= this.#cutoff) || !(since > this.#aheadLost)) return undefined;
    const out: number[] = [];
    for (const id of ids) {
      const at = this.#at.get(id) ?? this.#ahead.get(id);
      if (at !== undefined) out.push(at);
    }
    return out.sort((a, b) => a - b);
  }

  /** Forgets everything (the trace is read again from its start): sound again once every line is added back. */
  clear(): void {
    this.#at.clear();
    this.#ahead.clear();
    this.#cutoff = Number.NEGATIVE_INFINITY;
    this.#aheadLost = Number.NEGATIVE_INFINITY;
    this.#latest = Number.NEGATIVE_INFINITY;
    this.#aheadPrunedAt = Number.NEGATIVE_INFINITY;
  }

  /** `id` leaves `map`: the cutoff moves past its time. */
  #drop(map: Map<string, number>, id: string): void {
    map.delete(id);
    const t = uuidV7Time(id);
    // A line whose id has no readable time cannot be vouched for by any cutoff.
    this.#cutoff = Number.isNaN(t) ? Number.POSITIVE_INFINITY : Math.max(this.#cutoff, t + 1);
  }
}

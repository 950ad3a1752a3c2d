import { uuidV7Time } from './event-id.js';

/** How far behind the latest event's time an indexed id's time may fall before it leaves the index. */
const WINDOW_MS = 30 * 60_000;
/** The most ids indexed: about 13 MB. */
const MAX_IDS = 100_000;

/**
 * Where a store finds the events of recent ids without reading its whole
 * trace (AUD-2, issue 19): the position of each line (a file offset), by
 * the line's id, for the ids made in the last half hour (a UUIDv7's
 * milliseconds) — at most {@link MAX_IDS}. What it keeps is sound: every
 * line whose id was made at or after {@link cutoff} is in it, so a lookup
 * of ids all made since then is answered from it, found or not; any other
 * is the store's to make (a read of the whole trace). An id's own time, not
 * its line's, decides: an emitter's id dated in the future stays as long as
 * its date is recent, and is found.
 */
export class RecentIds {
  readonly #at = new Map<string, number>();
  /** Every line whose id time is at or after this is indexed. */
  #cutoff = Number.NEGATIVE_INFINITY;
  /** The latest event time seen (the reference of the window). */
  #latest = Number.NEGATIVE_INFINITY;

  /** Indexes a line read or written at `at` (its first occurrence: a copy of an id later in the trace is not the one a lookup answers). */
  add(id: string, at: number): void {
    if (!this.#at.has(id)) this.#at.set(id, at);
    if (this.#at.size > MAX_IDS) this.#dropFirst();
  }

  /** Notes the time (ms) of the last event of lines just indexed, and lets the ids fallen out of the window go. */
  saw(timeMs: number): void {
    if (timeMs > this.#latest) this.#latest = timeMs;
    const floor = this.#latest - WINDOW_MS;
    for (const id of this.#at.keys()) {
      if (!(uuidV7Time(id) < floor)) break;
      this.#dropFirst();
    }
  }

  /**
   * The positions of the lines of `ids` (each id's first), in trace order —
   * or `undefined` when an id may have been made before the index's cutoff
   * (`since`, the earliest time of the ids, is before it): only a read of
   * the whole trace can say.
   */
  find(ids: readonly string[], since: number): number[] | undefined {
    if (!(since >= this.#cutoff)) return undefined;
    const out: number[] = [];
    for (const id of ids) {
      const at = this.#at.get(id);
      if (at !== undefined) out.push(at);
    }
    return out.sort((a, b) => a - b);
  }

  /** Forgets everything (the trace is read again from its start): sound again once every line is added back. */
  clear(): void {
    this.#at.clear();
    this.#cutoff = Number.NEGATIVE_INFINITY;
    this.#latest = Number.NEGATIVE_INFINITY;
  }

  /** The first (oldest indexed) id goes: the cutoff moves past its time. */
  #dropFirst(): void {
    const first = this.#at.keys().next();
    if (first.done === true) return;
    this.#at.delete(first.value);
    const t = uuidV7Time(first.value);
    // A line whose id has no readable time cannot be vouched for by any cutoff.
    this.#cutoff = Number.isNaN(t) ? Number.POSITIVE_INFINITY : Math.max(this.#cutoff, t + 1);
  }
}

/** The most ids kept (two generations of half as many): about 10 MB of heap at most. */
const MAX_IDS = 100_000;

/**
 * Where a log built the event of each caller id (AUD-2), for a store that
 * passes no `held` (a vendor's): the sequence number, for the latest
 * 50,000 to {@link MAX_IDS} ids noted. Only a hint of where to read the
 * store: what the store holds there decides.
 *
 * Two generations, the older dropped whole when the newer is full: O(1) per
 * id. (Dropping a `Map`'s first key one at a time costs V8 a scan of the
 * entries deleted before it: about 25,000 ids a second at this size.)
 */
export class BuiltIds {
  #current = new Map<string, number>();
  #previous = new Map<string, number>();

  /** Whether no id was ever noted (or every one was let go). */
  get empty(): boolean {
    return this.#current.size === 0 && this.#previous.size === 0;
  }

  /** Notes that the event of `id` was built (or found) at `seq`; the latest note wins. */
  note(id: string, seq: number): void {
    this.#current.set(id, seq);
    if (this.#current.size >= MAX_IDS / 2) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
  }

  /** The sequence number noted for `id`, if it is still kept. */
  seqOf(id: string): number | undefined {
    return this.#current.get(id) ?? this.#previous.get(id);
  }
}

/**
 * `@s3404/audit/memory` — an in-memory trace store, for tests, demos and
 * browsers (AUD-2). Nothing survives the process.
 *
 * @packageDocumentation
 */
import type { Sha256 } from '@s3404/core';
import { ChainHead } from '../chain-head.js';
import type { AuditStore, HeldEvents, StoredEvent } from '../audit-store.js';
import type { AuditEvent } from '../event-schema.js';
import { lineId } from '../internal/line-id.js';
import { defaultSha256 } from '../internal/sha256.js';

/** Options of {@link MemoryAuditStore} (AUD-2). `import type { MemoryAuditStoreOptions } from '@s3404/audit/memory'` @public */
export interface MemoryAuditStoreOptions {
  /** Synchronous SHA-256 for the chain head; default @noble/hashes. */
  readonly sha256?: Sha256;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NEWLINE = 0x0a;
/** Bytes of a page of lines: the lines of many appends share one (a line longer than a page gets a page of its own). */
const PAGE_BYTES = 1 << 20;

/**
 * Keeps the canonical lines of events in memory (AUD-2), as UTF-8 bytes, and
 * reads events back from them. Lines are encoded one after the other into
 * pages of 1 MiB, outside the engine's heap (issue 19: a million small
 * strings, each copied by the garbage collector on its way to the old
 * generation, cost more than the appends that made them; joining the lines
 * of an append into one string cost a quarter of an append), and kept as
 * runs of whole `\n`-terminated lines, with the sequence number of each line
 * beside. Appends are serialised within the process. `open` (async, as
 * every store's) and the constructor give the same store; `close()` waits
 * for pending appends.
 *
 * `import { MemoryAuditStore } from '@s3404/audit/memory'`
 *
 * @example
 * ```ts
 * const log = createAuditLog({ store: await MemoryAuditStore.open() })
 * ```
 * @public
 */
export class MemoryAuditStore implements AuditStore {
  /** Runs of whole lines, each `\n`-terminated (a canonical line has no raw newline), in order: views on the pages. */
  #runs: Uint8Array[] = [];
  /** The number of lines of each run. */
  #counts: number[] = [];
  /** The sequence number of every line, in order. */
  #seqs: number[] = [];
  /**
   * The sequence number of each id's first line (AUD-2): a lookup reads only the lines it finds, not the whole trace.
   * Made at the first lookup, then kept up to date: a trace whose drafts never give an id does not pay for it.
   */
  #ids: Map<string, number> | undefined;
  /** The page being filled, and how many of its bytes are used. */
  #page = new Uint8Array(0);
  #used = 0;
  #head: ChainHead;
  #lock: Promise<void> = Promise.resolve();

  constructor(options: MemoryAuditStoreOptions = {}) {
    this.#head = new ChainHead(options.sha256 ?? defaultSha256);
  }

  /** A new, empty store (AUD-2): the same as the constructor, async like every store's `open`. */
  static async open(options: MemoryAuditStoreOptions = {}): Promise<MemoryAuditStore> {
    return new MemoryAuditStore(options);
  }

  /** Number of events held. */
  get size(): number {
    return this.#seqs.length;
  }

  append(build: (head: ChainHead, held?: HeldEvents) => Promise<readonly StoredEvent[]>): Promise<void> {
    const run = this.#lock.then(async () => {
      const head = this.#head.clone();
      const events = await build(head, async (ids) => this.#held(ids));
      this.#write(events);
      this.#head = head;
    });
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Encodes the lines of `events` after the others, a new page when the current one has no room left for a line. */
  #write(events: readonly StoredEvent[]): void {
    let from = this.#used;
    let lines = 0;
    for (const e of events) {
      const line = e.line;
      // UTF-8 takes at most 3 bytes per UTF-16 code unit, and the newline 1.
      const room = line.length * 3 + 1;
      if (this.#used + room > this.#page.length) {
        this.#keep(from, lines);
        this.#page = new Uint8Array(Math.max(PAGE_BYTES, room));
        this.#used = from = lines = 0;
      }
      this.#used += encoder.encodeInto(line, this.#page.subarray(this.#used)).written;
      this.#page[this.#used++] = NEWLINE;
      this.#seqs.push(e.event.seq);
      if (this.#ids !== undefined && !this.#ids.has(e.event.id)) this.#ids.set(e.event.id, e.event.seq);
      lines++;
    }
    this.#keep(from, lines);
  }

  /** Keeps the `lines` lines written on the page since `from` as a run. */
  #keep(from: number, lines: number): void {
    if (lines === 0) return;
    this.#runs.push(this.#page.subarray(from, this.#used));
    this.#counts.push(lines);
  }

  async *read(options: { readonly fromSeq?: number | undefined; readonly toSeq?: number | undefined } = {}): AsyncIterable<AuditEvent> {
    const runs = [...this.#runs];
    const counts = [...this.#counts];
    const seqs = [...this.#seqs];
    let n = 0;
    for (let r = 0; r < runs.length; r++) {
      const count = counts[r]!;
      if (options.fromSeq !== undefined && seqs[n + count - 1]! < options.fromSeq) {
        n += count;
        continue;
      }
      const lines = decoder.decode(runs[r]).split('\n');
      for (let i = 0; i < count; i++) {
        const seq = seqs[n++]!;
        if (options.fromSeq !== undefined && seq < options.fromSeq) continue;
        if (options.toSeq !== undefined && seq > options.toSeq) return;
        yield JSON.parse(lines[i]!) as AuditEvent;
      }
    }
  }

  /** The events of `ids` held (each id's first), in order: each found by its sequence number, its run decoded. */
  #held(ids: readonly string[]): AuditEvent[] {
    this.#ids ??= this.#indexIds();
    const seqs = new Set<number>();
    for (const id of ids) {
      const seq = this.#ids.get(id);
      if (seq !== undefined) seqs.add(seq);
    }
    const out: AuditEvent[] = [];
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const line = this.#lineOf(seq);
      if (line !== undefined) out.push(JSON.parse(line) as AuditEvent);
    }
    return out;
  }

  /** Every id held, with its first line's sequence number. */
  #indexIds(): Map<string, number> {
    const ids = new Map<string, number>();
    let n = 0;
    for (let r = 0; r < this.#runs.length; r++) {
      const lines = decoder.decode(this.#runs[r]).split('\n');
      for (let i = 0; i < this.#counts[r]!; i++, n++) {
        const id = lineId(lines[i]!);
        if (!ids.has(id)) ids.set(id, this.#seqs[n]!);
      }
    }
    return ids;
  }

  /** The line of sequence number `seq`, or `undefined` once purged. */
  #lineOf(seq: number): string | undefined {
    let n = binarySearch(this.#seqs, seq);
    if (n < 0) return undefined;
    for (let r = 0; r < this.#runs.length; r++) {
      if (n < this.#counts[r]!) return decoder.decode(this.#runs[r]).split('\n')[n];
      n -= this.#counts[r]!;
    }
    return undefined;
  }

  async *lines(): AsyncIterable<Uint8Array> {
    // Copies: the pages are the store's.
    for (const run of [...this.#runs]) yield run.slice();
  }

  async head(): Promise<ChainHead> {
    await this.#lock;
    return this.#head.clone();
  }

  async purge(throughSeq: number): Promise<number> {
    await this.#lock;
    const n = this.#seqs.findIndex((seq) => seq > throughSeq);
    const count = n < 0 ? this.#seqs.length : n;
    // Whole runs go; the run the limit falls in keeps its later lines.
    // The ids of the lines purged leave the index.
    let seen = 0;
    for (let r = 0; r < this.#runs.length && seen < count && this.#ids !== undefined; r++) {
      const lines = decoder.decode(this.#runs[r]).split('\n');
      for (let i = 0; i < this.#counts[r]! && seen < count; i++, seen++) {
        const id = lineId(lines[i]!);
        if (this.#ids.get(id) === this.#seqs[seen]) this.#ids.delete(id);
      }
    }
    let dropped = 0;
    let whole = 0;
    while (whole < this.#runs.length && dropped + this.#counts[whole]! <= count) dropped += this.#counts[whole++]!;
    const runs = this.#runs.slice(whole);
    const counts = this.#counts.slice(whole);
    if (dropped < count) {
      runs[0] = afterLines(runs[0]!, count - dropped);
      counts[0]! -= count - dropped;
    }
    this.#runs = runs;
    this.#counts = counts;
    this.#seqs = this.#seqs.slice(count);
    return count;
  }

  async close(): Promise<void> {
    await this.#lock;
  }
}

/** Where `value` is in the ascending `sorted`, or -1. */
function binarySearch(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The lines of a run after its first `n`. */
function afterLines(run: Uint8Array, n: number): Uint8Array {
  let at = 0;
  for (let i = 0; i < n; i++) at = run.indexOf(NEWLINE, at) + 1;
  return run.subarray(at);
}

/**
 * `@s3404/audit/memory` — an in-memory trace store, for tests, demos and
 * browsers (AUD-2). Nothing survives the process.
 *
 * @packageDocumentation
 */
import type { Sha256 } from '@s3404/core';
import { ChainHead } from '../chain-head.js';
import type { AuditStore, StoredEvent } from '../audit-store.js';
import type { AuditEvent } from '../event-schema.js';
import { defaultSha256 } from '../internal/sha256.js';

/** Options of {@link MemoryAuditStore} (AUD-2). `import type { MemoryAuditStoreOptions } from '@s3404/audit/memory'` @public */
export interface MemoryAuditStoreOptions {
  /** Synchronous SHA-256 for the chain head; default @noble/hashes. */
  readonly sha256?: Sha256;
}

const encoder = new TextEncoder();

/**
 * Keeps the canonical lines of events in memory (AUD-2), and reads events
 * back from them. The lines of one append are kept joined, as one string
 * (issue 19: a million small strings, each copied by the garbage collector
 * on its way to the old generation, cost more than the appends that made
 * them), with the sequence number of each line beside. Appends are
 * serialised within the process. `open` (async, as every store's) and the
 * constructor give the same store; `close()` waits for pending appends.
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
  /** The lines of each append, `\n`-separated (a canonical line has no raw newline), in order. */
  #chunks: string[] = [];
  /** The sequence number of every line, in order. */
  #seqs: number[] = [];
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

  append(build: (head: ChainHead) => Promise<readonly StoredEvent[]>): Promise<void> {
    const run = this.#lock.then(async () => {
      const head = this.#head.clone();
      const events = await build(head);
      if (events.length > 0) {
        const lines: string[] = new Array(events.length);
        for (let i = 0; i < events.length; i++) {
          lines[i] = events[i]!.line;
          this.#seqs.push(events[i]!.event.seq);
        }
        this.#chunks.push(lines.join('\n'));
      }
      this.#head = head;
    });
    this.#lock = run.catch(() => undefined);
    return run;
  }

  async *read(options: { readonly fromSeq?: number | undefined; readonly toSeq?: number | undefined } = {}): AsyncIterable<AuditEvent> {
    const chunks = [...this.#chunks];
    const seqs = [...this.#seqs];
    let n = 0;
    for (const chunk of chunks) {
      const lines = chunk.split('\n');
      if (options.fromSeq !== undefined && seqs[n + lines.length - 1]! < options.fromSeq) {
        n += lines.length;
        continue;
      }
      for (const line of lines) {
        const seq = seqs[n++]!;
        if (options.fromSeq !== undefined && seq < options.fromSeq) continue;
        if (options.toSeq !== undefined && seq > options.toSeq) return;
        yield JSON.parse(line) as AuditEvent;
      }
    }
  }

  async *lines(): AsyncIterable<Uint8Array> {
    for (const chunk of [...this.#chunks]) yield encoder.encode(`${chunk}\n`);
  }

  async head(): Promise<ChainHead> {
    await this.#lock;
    return this.#head.clone();
  }

  async purge(throughSeq: number): Promise<number> {
    await this.#lock;
    const n = this.#seqs.findIndex((seq) => seq > throughSeq);
    const count = n < 0 ? this.#seqs.length : n;
    // Whole chunks go; the chunk the limit falls in keeps its later lines.
    let dropped = 0;
    let whole = 0;
    const chunks = this.#chunks;
    while (whole < chunks.length) {
      const lines = lineCount(chunks[whole]!);
      if (dropped + lines > count) break;
      dropped += lines;
      whole++;
    }
    const kept = chunks.slice(whole);
    if (dropped < count)
      kept[0] = kept[0]!
        .split('\n')
        .slice(count - dropped)
        .join('\n');
    this.#chunks = kept;
    this.#seqs = this.#seqs.slice(count);
    return count;
  }

  async close(): Promise<void> {
    await this.#lock;
  }
}

/** The number of lines of a chunk. */
function lineCount(chunk: string): number {
  let n = 1;
  for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) n++;
  return n;
}

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
 * Keeps events and their canonical lines in memory (AUD-2). Appends are
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
  readonly #events: StoredEvent[] = [];
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
    return this.#events.length;
  }

  append(build: (head: ChainHead) => Promise<readonly StoredEvent[]>): Promise<void> {
    const run = this.#lock.then(async () => {
      const head = this.#head.clone();
      const events = await build(head);
      for (const e of events) this.#events.push(e);
      this.#head = head;
    });
    this.#lock = run.catch(() => undefined);
    return run;
  }

  async *read(options: { readonly fromSeq?: number | undefined; readonly toSeq?: number | undefined } = {}): AsyncIterable<AuditEvent> {
    for (const s of [...this.#events]) {
      if (options.fromSeq !== undefined && s.event.seq < options.fromSeq) continue;
      if (options.toSeq !== undefined && s.event.seq > options.toSeq) break;
      yield s.event;
    }
  }

  async *lines(): AsyncIterable<Uint8Array> {
    const snapshot = [...this.#events];
    for (let i = 0; i < snapshot.length; i += 4096) {
      yield encoder.encode(
        snapshot
          .slice(i, i + 4096)
          .map((s) => `${s.line}\n`)
          .join(''),
      );
    }
  }

  async head(): Promise<ChainHead> {
    await this.#lock;
    return this.#head.clone();
  }

  async purge(throughSeq: number): Promise<number> {
    await this.#lock;
    const n = this.#events.findIndex((s) => s.event.seq > throughSeq);
    const count = n < 0 ? this.#events.length : n;
    this.#events.splice(0, count);
    return count;
  }

  async close(): Promise<void> {
    await this.#lock;
  }
}

import { resolveLocale, type Locale } from '@s3404/core';
import type { ClaimOutcome, ConsumptionStore, PendingEntry, SweepOptions, SweepOutbox, SweepResult, Tombstone, UntracedSweep } from '../consumption-store.js';
import { SealError } from '../errors/seal-error.js';

/** Options of {@link MemoryConsumptionStore} (SIG-5, SIG-6). @public */
export interface MemoryStoreOptions {
  /** Language of the store's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

interface Slot {
  readonly entry: PendingEntry;
  claimedAt?: number;
}

/**
 * An in-memory consumption store (SIG-5, SIG-6): one process, nothing
 * durable. Good for tests, demos and a single-process service that accepts
 * losing pending records on restart (tombstones are lost too, so a restart
 * reopens replays: use a durable store in production).
 *
 * It has no backend to fail, so it never reports `ERR_STORE_UNAVAILABLE`;
 * `close()` does nothing (the data stays until the object is dropped).
 *
 * `import { MemoryConsumptionStore } from '@s3404/seal/memory'`
 *
 * @example
 * ```ts
 * const consumer = createConsumer({ store: new MemoryConsumptionStore(), trustAnchors })
 * ```
 * @public
 */
export class MemoryConsumptionStore implements ConsumptionStore, SweepOutbox {
  readonly #pending = new Map<string, Slot>();
  /** Sweeps not traced yet, in the order they swept (see `SweepOutbox`). */
  readonly #untraced = new Map<string, UntracedSweep>();
  readonly #tombstones = new Map<string, Tombstone>();
  readonly #byDigest = new Map<string, string>();
  readonly #locale: Locale;

  constructor(options: MemoryStoreOptions = {}) {
    this.#locale = resolveLocale(options?.locale);
  }

  /**
   * Opens an empty memory store: the same as `new MemoryConsumptionStore(options)`,
   * async like every store's `open` (SIG-5, SIG-6).
   *
   * @example
   * ```ts
   * const store = await MemoryConsumptionStore.open()
   * ```
   */
  static async open(options: MemoryStoreOptions = {}): Promise<MemoryConsumptionStore> {
    return new MemoryConsumptionStore(options);
  }

  async putPending(entry: PendingEntry): Promise<void> {
    if (this.#pending.has(entry.recordId) || this.#tombstones.has(entry.recordId)) throw new SealError('ERR_RECORD_DUPLICATE', { locale: this.#locale });
    this.#pending.set(entry.recordId, { entry: { ...entry, bytes: Uint8Array.from(entry.bytes) } });
  }

  async getPending(recordId: string): Promise<PendingEntry | null> {
    return this.#pending.get(recordId)?.entry ?? null;
  }

  async sweep(options: SweepOptions): Promise<SweepResult> {
    let expired = 0;
    let abandoned = 0;
    const now = options.expiredAt.getTime();
    const before = options.claimedBefore.getTime();
    for (const [id, slot] of this.#pending) {
      if (Date.parse(slot.entry.expiresAt) <= now) {
        expired++;
        this.#pending.delete(id);
      } else if (slot.claimedAt !== undefined && slot.claimedAt < before) {
        abandoned++;
        this.#pending.delete(id);
      }
    }
    const box = options.outbox;
    if (box !== undefined && expired + abandoned > 0 && !this.#untraced.has(box.id)) {
      this.#untraced.set(box.id, { id: box.id, at: box.at.toISOString(), consumer: box.consumer, expired, abandoned });
    }
    return { expired, abandoned };
  }

  async untracedSweeps(options: { readonly limit: number }): Promise<readonly UntracedSweep[]> {
    return [...this.#untraced.values()].slice(0, options.limit);
  }

  async sweepTraced(id: string): Promise<void> {
    this.#untraced.delete(id);
  }

  async countPending(): Promise<number> {
    return this.#pending.size;
  }

  async claim(tombstone: Tombstone): Promise<ClaimOutcome> {
    const existing = this.#tombstones.get(tombstone.recordId) ?? this.#tombstones.get(this.#byDigest.get(tombstone.digest) ?? '');
    if (existing !== undefined) return { kind: 'taken', tombstone: existing };
    const stored = { ...tombstone };
    this.#tombstones.set(stored.recordId, stored);
    this.#byDigest.set(stored.digest, stored.recordId);
    const slot = this.#pending.get(stored.recordId);
    if (slot !== undefined && slot.claimedAt === undefined) slot.claimedAt = Date.parse(stored.claimedAt);
    return { kind: 'claimed', tombstone: stored };
  }

  async complete(options: { readonly recordId: string; readonly requestId: string; readonly at: string }): Promise<Tombstone | null> {
    const t = this.#tombstones.get(options.recordId);
    if (t === undefined || t.requestId !== options.requestId) return null;
    const done = t.completedAt === undefined ? { ...t, completedAt: options.at } : t;
    this.#tombstones.set(done.recordId, done);
    this.#pending.delete(options.recordId);
    return done;
  }

  async findTombstone(options: { readonly recordId?: string; readonly digest?: string }): Promise<Tombstone | null> {
    if (options.recordId !== undefined) {
      const t = this.#tombstones.get(options.recordId);
      if (t !== undefined) return t;
    }
    if (options.digest !== undefined) {
      const id = this.#byDigest.get(options.digest);
      if (id !== undefined) return this.#tombstones.get(id) ?? null;
    }
    return null;
  }

  async purgeTombstones(options: { readonly before: Date }): Promise<number> {
    let n = 0;
    for (const [id, t] of this.#tombstones) {
      if (Date.parse(t.claimedAt) < options.before.getTime()) {
        this.#tombstones.delete(id);
        this.#byDigest.delete(t.digest);
        n++;
      }
    }
    return n;
  }

  /** Nothing to release: the memory store holds no connection or file. Idempotent. */
  async close(): Promise<void> {}
}

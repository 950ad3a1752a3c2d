/**
 * The data keys of deposits whose outcome is unknown (SIG-6): the store's
 * `putPending` or the key holder failed, so the ciphertext may be pending
 * under a key nobody else has. A retry of the same record (same id and
 * digest) in this process takes the key back and finishes the deposit —
 * the pending ciphertext opens with it only if this consumer wrote it.
 * Each key is a copy, wiped when taken, replaced, expired or pushed out by
 * the bound (oldest first).
 */
export class UnfinishedDeposits {
  readonly #max: number;
  readonly #held = new Map<string, { readonly digest: string; readonly key: Uint8Array; readonly expiresAt: number }>();

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#held.size;
  }

  /** Keeps a copy of `key` for the record until `expiresAt` (epoch ms). */
  remember(recordId: string, digest: string, key: Uint8Array, expiresAt: number): void {
    this.#forget(recordId);
    this.#held.set(recordId, { digest, key: Uint8Array.from(key), expiresAt });
    for (const oldest of this.#held.keys()) {
      if (this.#held.size <= this.#max) break;
      this.#forget(oldest);
    }
  }

  /** The key kept for this record (the caller wipes it), forgotten here; `undefined` when none, another digest's, or expired at `now`. */
  take(recordId: string, digest: string, now: number): Uint8Array | undefined {
    const held = this.#held.get(recordId);
    if (held === undefined) return undefined;
    this.#held.delete(recordId);
    if (held.digest === digest && held.expiresAt > now) return held.key;
    held.key.fill(0);
    return undefined;
  }

  /** Forgets every key whose record has expired at `now` (epoch ms). */
  prune(now: number): void {
    for (const [recordId, held] of this.#held) if (held.expiresAt <= now) this.#forget(recordId);
  }

  #forget(recordId: string): void {
    this.#held.get(recordId)?.key.fill(0);
    this.#held.delete(recordId);
  }
}

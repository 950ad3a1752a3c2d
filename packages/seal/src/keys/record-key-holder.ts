import { bytesEqual } from '@s3404/core';
/**
 * Where the data keys of pending records live when they do not travel in a
 * handle (SIG-6). A pending record is stored encrypted under its own random
 * AES-256 key; destroying the key makes every copy of the ciphertext (heap,
 * TOAST, WAL, backups, AOF, replicas) undecipherable. So a key holder must
 * never write a key to a medium that outlives its deletion: process memory
 * ({@link MemoryKeyHolder}, the default) or a server that keeps nothing on
 * disk (`RedisKeyHolder` of `@s3404/seal/redis`, which refuses a server with
 * persistence on).
 *
 * A holder that loses its keys (a restart) leaves the pending records it
 * held unusable, never readable: their use is refused with
 * `ERR_RECORD_KEY_MISSING` (traced), the signer signs again, and the sweeper
 * deletes the ciphertexts at expiry.
 *
 * `import type { RecordKeyHolder } from '@s3404/seal'`
 *
 * @public
 */
export interface RecordKeyHolder {
  /**
   * True when several consumers (processes, machines) share this holder's
   * keys, as behind a load balancer (`RedisKeyHolder`). A deposit of a record
   * already pending — these very bytes, whose key the holder has — then gives
   * the same deposit again, wherever the first one was made: a tablet's retry
   * sent to another instance after its first answer was lost. With a holder
   * of one consumer (`MemoryKeyHolder`, the default) it stays
   * `ERR_RECORD_DUPLICATE`.
   */
  readonly shared?: boolean;
  /**
   * Keeps the key of a pending record until `expiresAt` (SIG-6), both
   * instants on the consumer's clock (`at` is now there: a holder with its
   * own clock keeps the key for `expiresAt − at`). The holder copies `key`.
   */
  put(recordId: string, key: Uint8Array, expiresAt: Date, at: Date): Promise<void>;
  /**
   * Keeps `key` until `expiresAt` only if no key of this record is held
   * (none put, or deleted, or expired at `at`), as one atomic step for every
   * consumer sharing the holder (SIG-6): returns `null` when it kept `key`,
   * else a copy of the key already held (the caller wipes it) and when it
   * expires, on the consumer's clock (`at` plus what is left of its life),
   * which stays as it was. Optional; a `shared` holder that has it lets a
   * deposit put the record's key **before** writing its ciphertext, so that
   * two deposits of the same record on two instances (a tablet's retry sent
   * elsewhere while the first try still runs, or after it died between its
   * write and its answer) use one key and both get the deposit's answer; a
   * record written under a key another deposit put expires no later than
   * that key.
   */
  putIfAbsent?(recordId: string, key: Uint8Array, expiresAt: Date, at: Date): Promise<HeldKey | null>;
  /** A copy of the key (the caller wipes it), or `null`: never held, deleted, expired at `at`, or lost. */
  get(recordId: string, at: Date): Promise<Uint8Array | null>;
  /** Destroys the key. Idempotent. */
  delete(recordId: string): Promise<void>;
  /**
   * Destroys the record's key only if the key held is `key`, byte for byte,
   * as one atomic step for every consumer sharing the holder (SIG-6); returns
   * whether it did. Optional; a deposit that put its key first
   * (`putIfAbsent`) and then finds it opens nothing pending takes its key
   * back with it, so that it never destroys a key another consumer put
   * meanwhile with `put` — an instance of an earlier version, during a
   * rolling upgrade, whose record is pending under that key. Without it, such
   * a record may be left without its key (`ERR_RECORD_KEY_MISSING`, signed
   * again).
   */
  deleteIfHeld?(recordId: string, key: Uint8Array): Promise<boolean>;
  /** Destroys the keys expired at `at`; returns how many. */
  sweep(at: Date): Promise<number>;
  /** Releases what the holder opened itself. Idempotent. */
  close(): Promise<void>;
}

/** A key a holder already held, and when it expires (SIG-6, see {@link RecordKeyHolder.putIfAbsent}). @public */
export interface HeldKey {
  readonly key: Uint8Array;
  readonly expiresAt: Date;
}

interface Held {
  readonly key: Uint8Array;
  readonly expiresAt: number;
}

/**
 * The default key holder (SIG-6): the keys of pending records in this
 * process's memory, each wiped (overwritten with zeros) when it is used,
 * expires or is swept. Nothing survives the process: a restart leaves the
 * records deposited before it unusable (`ERR_RECORD_KEY_MISSING`). For
 * several processes or machines, let the key travel in the deposit's
 * handle (`keyHolder: null`), or share a `RedisKeyHolder`.
 *
 * `import { MemoryKeyHolder } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const consumer = createConsumer({ store, trustAnchors, keyHolder: new MemoryKeyHolder() })
 * ```
 * @public
 */
export class MemoryKeyHolder implements RecordKeyHolder {
  readonly #keys = new Map<string, Held>();

  async put(recordId: string, key: Uint8Array, expiresAt: Date, at: Date): Promise<void> {
    void at; // expiry is judged on the consumer's clock, given again to get and sweep
    this.#wipe(recordId);
    this.#keys.set(recordId, { key: Uint8Array.from(key), expiresAt: expiresAt.getTime() });
  }

  async get(recordId: string, at: Date): Promise<Uint8Array | null> {
    const held = this.#keys.get(recordId);
    if (held === undefined) return null;
    if (held.expiresAt <= at.getTime()) {
      this.#wipe(recordId);
      return null;
    }
    return Uint8Array.from(held.key);
  }

  async delete(recordId: string): Promise<void> {
    this.#wipe(recordId);
  }

  async deleteIfHeld(recordId: string, key: Uint8Array): Promise<boolean> {
    const held = this.#keys.get(recordId);
    if (held === undefined || !bytesEqual(held.key, key)) return false;
    this.#wipe(recordId);
    return true;
  }

  async sweep(at: Date): Promise<number> {
    let n = 0;
    for (const [id, held] of this.#keys) {
      if (held.expiresAt <= at.getTime()) {
        this.#wipe(id);
        n++;
      }
    }
    return n;
  }

  /** How many keys it holds (tests, metrics). */
  get size(): number {
    return this.#keys.size;
  }

  /** Wipes every key: the records they opened become unusable. Idempotent. */
  async close(): Promise<void> {
    for (const id of [...this.#keys.keys()]) this.#wipe(id);
  }

  #wipe(recordId: string): void {
    const held = this.#keys.get(recordId);
    if (held === undefined) return;
    held.key.fill(0);
    this.#keys.delete(recordId);
  }
}

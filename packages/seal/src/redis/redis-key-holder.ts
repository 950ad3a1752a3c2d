import { resolveLocale, type Locale } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import { onBackend } from '../internal/store-failure.js';
import { closeOwnedClient, makeRedisClient, REDIS_PREFIX } from './redis-client.js';
import type { HeldKey, RecordKeyHolder } from '../keys/record-key-holder.js';

/** The key held and its time to live in milliseconds (-1: none), or `value` set with its lifetime `PX` (returns nil): one atomic step. */
const PUT_IF_ABSENT = `local held = redis.call('GET', KEYS[1])
if held then return {held, redis.call('PTTL', KEYS[1])} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** Deletes the key only if it holds `ARGV[1]`, byte for byte: one atomic step; returns how many keys it deleted. */
const DELETE_IF_HELD = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The part of an ioredis client (`Redis`, v5 or v6) the key holder uses
 * (SIG-6): raw commands. An ioredis `Redis` fits it.
 *
 * `import type { RedisKeyClientLike } from '@s3404/seal/redis'`
 *
 * @public
 */
export interface RedisKeyClientLike {
  readonly status: string;
  call(command: string, ...args: (string | number | Uint8Array)[]): Promise<unknown>;
  callBuffer(command: string, ...args: (string | number | Uint8Array)[]): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/**
 * Options of {@link RedisKeyHolder.open} (SIG-6). Give exactly one of
 * `client` and `url`.
 *
 * `import type { RedisKeyHolderOptions } from '@s3404/seal/redis'`
 *
 * @public
 */
export interface RedisKeyHolderOptions {
  /** A connected ioredis client to use; the holder never closes it. */
  readonly client?: RedisKeyClientLike;
  /** A `redis://` or `rediss://` URL: the holder makes (and closes) its own client. */
  readonly url?: string;
  /** What every key starts with, 1 to 64 of `A-Z a-z 0-9 : _ { } . -`. Default `s3404:k:`. */
  readonly prefix?: string;
  /**
   * Checks at `open` that the server writes nothing to disk (`CONFIG GET
   * appendonly` is `no`, `CONFIG GET save` is empty) and refuses it otherwise
   * (`ERR_KEY_HOLDER_PERSISTENT`). Default `true`. `false` only where CONFIG is
   * disabled and persistence is off by contract (a managed cache): the
   * deletion of a key is then as real as that contract.
   */
  readonly checkPersistence?: boolean;
  /** With `url`: connecting and each command may take this long, milliseconds. Default 2000. */
  readonly timeoutMs?: number;
  /** Language of the holder's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * A key holder shared by several processes or machines (SIG-6): the data
 * keys of pending records in a Redis server **with persistence off**, each
 * key expiring with its record (`PX`) and deleted (`DEL`) when used.
 *
 * Why its deletion is real: with `appendonly no` and no `save` points, Redis
 * keeps a key in memory only; once deleted or expired it exists on no disk,
 * so the ciphertexts of the consumption store, wherever they were copied,
 * can no longer be read. `open` checks both settings and refuses a server
 * that persists (`ERR_KEY_HOLDER_PERSISTENT`). Replicas must have persistence
 * off too (Redis cannot report a replica's settings to its primary), and the
 * server must not be the consumption store's own Redis when that one
 * persists. A restart of the server loses every key: the records pending
 * then are refused with `ERR_RECORD_KEY_MISSING` and signed again.
 *
 * `import { RedisKeyHolder } from '@s3404/seal/redis'`
 *
 * @example
 * ```ts
 * const keyHolder = await RedisKeyHolder.open({ url: 'redis://keys.internal:6379' })
 * const consumer = createConsumer({ store, trustAnchors, keyHolder })
 * ```
 * @public
 */
export class RedisKeyHolder implements RecordKeyHolder {
  /** Every consumer on the same Redis and prefix shares the keys (see {@link RecordKeyHolder.shared}). */
  readonly shared = true;
  readonly #client: RedisKeyClientLike;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #locale: Locale;
  #closed = false;

  private constructor(client: RedisKeyClientLike, owned: boolean, prefix: string, locale: Locale) {
    this.#client = client;
    this.#owned = owned;
    this.#prefix = prefix;
    this.#locale = locale;
  }

  /**
   * Opens the holder and checks that the server keeps nothing on disk (SIG-6).
   * @throws {@link SealError} `ERR_KEY_HOLDER_PERSISTENT` (kind input), `ERR_STORE_UNAVAILABLE` (unreachable).
   * @throws TypeError for malformed options.
   */
  static async open(options: RedisKeyHolderOptions): Promise<RedisKeyHolder> {
    if (options === null || typeof options !== 'object') throw new TypeError('RedisKeyHolder.open: options are required');
    const locale = resolveLocale(options.locale);
    if ((options.client === undefined) === (options.url === undefined))
      throw new TypeError('RedisKeyHolder.open: give exactly one of options.client and options.url');
    const prefix = options.prefix ?? 's3404:k:';
    if (typeof prefix !== 'string' || !REDIS_PREFIX.test(prefix)) throw new TypeError('RedisKeyHolder.open: prefix must be 1 to 64 of A-Z a-z 0-9 : _ { } . -');
    let client: RedisKeyClientLike;
    let owned = false;
    if (options.client !== undefined) {
      const c: unknown = options.client;
      if (c === null || typeof c !== 'object' || typeof (c as RedisKeyClientLike).callBuffer !== 'function') {
        throw new TypeError('RedisKeyHolder.open: options.client must be an ioredis Redis client');
      }
      client = options.client;
    } else {
      const made = await makeRedisClient('RedisKeyHolder.open', { url: options.url, timeoutMs: options.timeoutMs, connect: true, locale });
      client = made as unknown as RedisKeyClientLike;
      owned = true;
    }
    const holder = new RedisKeyHolder(client, owned, prefix, locale);
    if (options.checkPersistence ?? true) {
      try {
        await holder.#checkPersistence();
      } catch (e) {
        await holder.close();
        throw e;
      }
    }
    return holder;
  }

  async put(recordId: string, key: Uint8Array, expiresAt: Date, at: Date): Promise<void> {
    const value = Buffer.from(key);
    // The lifetime on the consumer's clock, counted by Redis from now on its own.
    const ttlMs = Math.max(1, expiresAt.getTime() - at.getTime());
    try {
      await this.#run('put', () => this.#client.call('SET', this.#key(recordId), value, 'PX', ttlMs));
    } finally {
      value.fill(0);
    }
  }

  /**
   * Keeps `key` unless the record's key is held, in one script (`GET` and
   * `PTTL`, else `SET … PX`): atomic for every consumer on this Redis and
   * prefix. Returns `null` when it kept `key`, else a copy of the key held
   * and its expiry (`at` plus its `PTTL`), left as it was (see
   * {@link RecordKeyHolder.putIfAbsent}).
   */
  async putIfAbsent(recordId: string, key: Uint8Array, expiresAt: Date, at: Date): Promise<HeldKey | null> {
    const value = Buffer.from(key);
    const ttlMs = Math.max(1, expiresAt.getTime() - at.getTime());
    let reply: unknown;
    try {
      reply = await this.#run('putIfAbsent', () => this.#client.callBuffer('EVAL', PUT_IF_ABSENT, 1, this.#key(recordId), value, ttlMs));
    } finally {
      value.fill(0);
    }
    if (reply === null || reply === undefined) return null;
    const [held, pttl] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (!(held instanceof Uint8Array) || typeof pttl !== 'number' || !Number.isSafeInteger(pttl) || pttl === 0 || pttl < -1) {
      if (held instanceof Uint8Array) held.fill(0);
      throw new SealError('ERR_STORE_CORRUPT', { params: { detail: 'key holder putIfAbsent' }, locale: this.#locale });
    }
    const copy = Uint8Array.from(held);
    held.fill(0);
    // A key without a time to live (put by hand) outlives any record: the expiry asked.
    return { key: copy, expiresAt: pttl === -1 ? expiresAt : new Date(at.getTime() + pttl) };
  }

  async get(recordId: string, at: Date): Promise<Uint8Array | null> {
    void at; // Redis expires the key itself (PX), on its own clock.
    const value = await this.#run('get', () => this.#client.callBuffer('GET', this.#key(recordId)));
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) return null;
    const key = Uint8Array.from(value);
    value.fill(0);
    return key;
  }

  async delete(recordId: string): Promise<void> {
    await this.#run('delete', () => this.#client.call('DEL', this.#key(recordId)));
  }

  /**
   * Deletes the record's key only if it is `key`, in one script (`GET`, then
   * `DEL` when equal): atomic for every consumer on this Redis and prefix
   * (see {@link RecordKeyHolder.deleteIfHeld}).
   */
  async deleteIfHeld(recordId: string, key: Uint8Array): Promise<boolean> {
    const value = Buffer.from(key);
    try {
      const deleted = await this.#run('deleteIfHeld', () => this.#client.call('EVAL', DELETE_IF_HELD, 1, this.#key(recordId), value));
      return deleted === 1;
    } finally {
      value.fill(0);
    }
  }

  /** Redis expires the keys itself (`PX`): nothing to sweep, returns 0. */
  async sweep(at: Date): Promise<number> {
    void at;
    return 0;
  }

  /** Closes the client the holder made (a given client stays open). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeOwnedClient(this.#client, this.#owned);
  }

  async #checkPersistence(): Promise<void> {
    const refuse = (detail: string): SealError => new SealError('ERR_KEY_HOLDER_PERSISTENT', { params: { detail }, locale: this.#locale });
    // A server that refuses CONFIG cannot show that it keeps nothing on disk: refused, unless the caller vouches for it.
    const config = (name: string): Promise<unknown> =>
      this.#run('CONFIG GET', async () => {
        try {
          return await this.#client.call('CONFIG', 'GET', name);
        } catch (e) {
          if (/unknown command|NOPERM|disabled/i.test(String((e as Error)?.message ?? e))) throw refuse('CONFIG GET refused: persistence cannot be checked');
          throw e;
        }
      });
    const aof = await config('appendonly');
    const save = await config('save');
    const value = (reply: unknown): string => (Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : '');
    if (value(aof).toLowerCase() !== 'no') throw refuse('appendonly yes');
    if (value(save).trim() !== '') throw refuse(`save "${value(save)}"`);
  }

  #key(recordId: string): string {
    return `${this.#prefix}${recordId}`;
  }

  #run<R>(operation: string, work: () => Promise<R>): Promise<R> {
    return onBackend('redis', `key holder ${operation}`, this.#locale, work);
  }
}

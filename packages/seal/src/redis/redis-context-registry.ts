import { readClock, resolveClock, resolveLocale, type Clock, type Locale } from '@s3404/core';
import type { CaptureContext, ContextRegistry } from '../capture-context.js';
import { CONTEXT_NONCE, contextFromText, contextToText } from '../internal/stored-context.js';
import { onBackend, storeCorrupt } from '../internal/store-failure.js';
import { closeOwnedClient, makeRedisClient } from './redis-client.js';
import type { RedisKeyClientLike } from './redis-key-holder.js';

/**
 * Options of {@link RedisContextRegistry.open} (SIG-1). Give exactly one of
 * `client` and `url`.
 *
 * `import type { RedisContextRegistryOptions } from '@s3404/seal/redis'`
 *
 * @public
 */
export interface RedisContextRegistryOptions {
  /** A connected ioredis client to use; the registry never closes it. */
  readonly client?: RedisKeyClientLike;
  /** A `redis://` or `rediss://` URL: the registry makes (and closes) its own client. */
  readonly url?: string;
  /** What every key starts with, 1 to 68 of `A-Z a-z 0-9 : _ { } . -` (a store's prefix and `ctx:`). Default `s3404:ctx:`. */
  readonly prefix?: string;
  /**
   * How long a context stays in Redis past its expiry, milliseconds, so that
   * a late capture is refused as expired (`ERR_CONTEXT_EXPIRED`) rather than
   * unknown. Default 60,000.
   */
  readonly pastExpiryMs?: number;
  /** The clock the contexts' lifetimes are counted from (the sealer's). Default: the system clock. */
  readonly now?: Clock;
  /** With `url`: connecting and each command may take this long, milliseconds. Default 2000. */
  readonly timeoutMs?: number;
  /** Language of the registry's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** A key prefix of the registry: a consumption store's (64 at most, `REDIS_PREFIX`) followed by `ctx:`. */
const CONTEXT_PREFIX = /^[A-Za-z0-9:_{}.-]{1,68}$/;

/** Takes a context once: read and deleted in one step, so two servers never both get it. */
const TAKE = "local v = redis.call('GET', KEYS[1]) if v then redis.call('DEL', KEYS[1]) end return v";

/**
 * The capture contexts shown and not yet used, shared by every server on one
 * Redis (SIG-1, issue 19): a tablet shown a context by one server behind a
 * load balancer can send its capture to another. `register` writes the
 * context under its nonce (`SET … NX PX`: never over another one, gone
 * `pastExpiryMs` after its expiry); `take` reads and deletes it in one
 * script, so a context yields at most one sealed record across the fleet.
 * What `take` reads is checked to be a context (`ERR_STORE_CORRUPT`
 * otherwise). A context holds no secret — what the tablet shows —, so the
 * server may persist; a restart of a server that does not loses the
 * contexts open then (their captures are refused, `ERR_CONTEXT_UNKNOWN`, and
 * shown again).
 *
 * `import { RedisContextRegistry } from '@s3404/seal/redis'`
 *
 * @example
 * ```ts
 * const contexts = await RedisContextRegistry.open({ url: 'redis://cache.internal:6379' })
 * const sealer = await createSealer({ …, contexts })
 * ```
 * @public
 */
export class RedisContextRegistry implements ContextRegistry {
  readonly #client: RedisKeyClientLike;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #pastExpiryMs: number;
  readonly #now: Clock;
  readonly #locale: Locale;
  #closed = false;

  private constructor(o: { client: RedisKeyClientLike; owned: boolean; prefix: string; pastExpiryMs: number; now: Clock; locale: Locale }) {
    this.#client = o.client;
    this.#owned = o.owned;
    this.#prefix = o.prefix;
    this.#pastExpiryMs = o.pastExpiryMs;
    this.#now = o.now;
    this.#locale = o.locale;
  }

  /**
   * Opens the registry (SIG-1).
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE` (unreachable).
   * @throws TypeError for malformed options.
   */
  static async open(options: RedisContextRegistryOptions): Promise<RedisContextRegistry> {
    if (options === null || typeof options !== 'object') throw new TypeError('RedisContextRegistry.open: options are required');
    const locale = resolveLocale(options.locale);
    if ((options.client === undefined) === (options.url === undefined))
      throw new TypeError('RedisContextRegistry.open: give exactly one of options.client and options.url');
    const prefix = options.prefix ?? 's3404:ctx:';
    if (typeof prefix !== 'string' || !CONTEXT_PREFIX.test(prefix))
      throw new TypeError('RedisContextRegistry.open: prefix must be 1 to 68 of A-Z a-z 0-9 : _ { } . -');
    const pastExpiryMs = options.pastExpiryMs ?? 60_000;
    if (!Number.isInteger(pastExpiryMs) || pastExpiryMs < 0) throw new TypeError('RedisContextRegistry.open: pastExpiryMs must be a non-negative integer');
    const now = resolveClock(options.now, 'RedisContextRegistry');
    if (options.client !== undefined) {
      const c: unknown = options.client;
      if (c === null || typeof c !== 'object' || typeof (c as RedisKeyClientLike).call !== 'function') {
        throw new TypeError('RedisContextRegistry.open: options.client must be an ioredis Redis client');
      }
      return new RedisContextRegistry({ client: options.client, owned: false, prefix, pastExpiryMs, now, locale });
    }
    const client = await makeRedisClient('RedisContextRegistry.open', { url: options.url, timeoutMs: options.timeoutMs, connect: true, locale });
    return new RedisContextRegistry({ client: client as unknown as RedisKeyClientLike, owned: true, prefix, pastExpiryMs, now, locale });
  }

  /**
   * Keeps a shown context until it is taken, or `pastExpiryMs` after it expires (SIG-1); the same context registered
   * again (a `SET` the driver sent again after a cut) is kept as it is.
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE`; `ERR_STORE_CORRUPT` when another context is registered under its nonce.
   */
  async register(context: CaptureContext): Promise<void> {
    const nonce = context.token.nonce;
    if (!CONTEXT_NONCE.test(nonce)) throw new TypeError('RedisContextRegistry.register: the context has no nonce of createCaptureContext');
    const left = Date.parse(context.token.expiresAt) - readClock(this.#now, 'RedisContextRegistry').getTime();
    const ttlMs = Math.max(1, left + this.#pastExpiryMs);
    const text = contextToText(context);
    const set = await this.#run('register', () => this.#client.call('SET', this.#key(nonce), text, 'PX', ttlMs, 'NX'));
    if (set === 'OK') return;
    // Already there: this very context when the driver sent the SET again after a cut (its first answer lost).
    const held = await this.#run('register', () => this.#client.call('GET', this.#key(nonce)));
    // 18 random bytes never repeat: another context under this nonce is data the registry never wrote.
    if (held !== text) throw storeCorrupt('capture context: nonce already registered', this.#locale);
  }

  /**
   * The context shown under this nonce, deleted in the same step; `null` when unknown, already taken or long expired (SIG-1).
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE`; `ERR_STORE_CORRUPT` for an entry that is no context.
   */
  async take(nonce: string): Promise<CaptureContext | null> {
    if (typeof nonce !== 'string' || !CONTEXT_NONCE.test(nonce)) return null;
    const text = await this.#run('take', () => this.#client.call('EVAL', TAKE, 1, this.#key(nonce)));
    if (text === null || text === undefined) return null;
    if (typeof text !== 'string') throw storeCorrupt('capture context: not text', this.#locale);
    return contextFromText(text, nonce, this.#locale);
  }

  /** Closes the client the registry made (a given client stays open). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeOwnedClient(this.#client, this.#owned);
  }

  #key(nonce: string): string {
    return `${this.#prefix}${nonce}`;
  }

  #run<R>(operation: string, work: () => Promise<R>): Promise<R> {
    return onBackend('redis', `context registry ${operation}`, this.#locale, work);
  }
}

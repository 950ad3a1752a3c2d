import { createHash } from 'node:crypto';
import { resolveLocale, type Locale } from '@s3404/core';
import type { ClaimOutcome, ConsumptionStore, PendingEntry, SweepOptions, SweepOutbox, SweepResult, Tombstone, UntracedSweep } from '../consumption-store.js';
import { SealError } from '../errors/seal-error.js';
import { onBackend, storeCorrupt } from '../internal/store-failure.js';
import { SWEEP_ID } from '../internal/untraced-sweep.js';
import { makeRedisClient, REDIS_PREFIX } from './redis-client.js';

/**
 * The part of an ioredis client (`Redis`, v5 or v6) the store uses (SIG-5).
 * Structural, so that this subpath's types compile in a strict project
 * without pulling ioredis's own declarations (which need
 * `@types/redis-errors`): an ioredis `Redis` fits it.
 *
 * `import type { RedisClientLike } from '@s3404/seal/redis'`
 *
 * @public
 */
export interface RedisClientLike {
  /** `ready`, `end`… as ioredis reports it. */
  readonly status: string;
  evalsha(sha: string, numKeys: number, ...keysAndArgs: (string | number | Uint8Array)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number | Uint8Array)[]): Promise<unknown>;
  hmgetBuffer(key: string, ...fields: string[]): Promise<(Uint8Array | null)[]>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/**
 * Options of {@link RedisConsumptionStore.open} (SIG-5, SIG-6). Give exactly
 * one of `client` and `url`.
 *
 * `import type { RedisStoreOptions } from '@s3404/seal/redis'`
 *
 * @public
 */
export interface RedisStoreOptions {
  /**
   * A connected ioredis client to use. The store never closes it. For the
   * same fail-fast behaviour as a store-made client, create it with
   * `enableOfflineQueue: false` and a `commandTimeout`.
   */
  readonly client?: RedisClientLike;
  /** A `redis://` or `rediss://` URL: the store makes (and closes) its own client. */
  readonly url?: string;
  /**
   * What every key of the store starts with, 1 to 64 of `A-Z a-z 0-9 : _ { } . -`.
   * Default `s3404:`. Every key of one store shares it: on Redis Cluster, use
   * a hash-tagged prefix such as `{s3404}:` so that they all live in one slot
   * (a Cluster `client` with a prefix without one is refused, TypeError).
   */
  readonly prefix?: string;
  /**
   * With `url`: connect in `open` (default `true`), so an unreachable server
   * fails there. `false` connects on the first operation.
   */
  readonly connect?: boolean;
  /**
   * With `url`: how long connecting, then each command, may take before it
   * fails, milliseconds. Default 2000.
   */
  readonly timeoutMs?: number;
  /**
   * How long Redis keeps a pending entry whose `expiresAt` has already passed
   * on the Redis clock when it is stored (the service's clock lags Redis's,
   * or runs on a test clock), milliseconds. The sweeper, on the service's
   * clock, decides until then. Default 300000 (the consumer's clock-skew margin).
   */
  readonly pastExpiryTtlMs?: number;
  /** Language of the store's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * Whether keys starting with `prefix` hash on Redis Cluster by a tag of the
 * prefix (a non-empty `{…}`, the first `{` and the first `}` after it), so
 * that every key of one store lives in one slot.
 */
function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open >= 0 && prefix.indexOf('}', open + 1) > open + 1;
}

const TOMBSTONE_FIELDS = ['recordId', 'digest', 'target', 'requestId', 'consumer', 'claimedAt'] as const;

interface LuaScript {
  readonly lua: string;
  readonly sha: string;
}

const script = (lua: string): LuaScript => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });

// KEYS: t:{id}, d:{digest}, p:{id}, tombstones, claimed.
// ARGV: prefix, recordId, digest, target, requestId, consumer, claimedAt, claimedAt ms, completedAt or ''.
const CLAIM = script(`
local own = redis.call('HGETALL', KEYS[1])
if #own > 0 then
  table.insert(own, 1, 'taken')
  return own
end
local holder = redis.call('GET', KEYS[2])
if holder then
  local other = redis.call('HGETALL', ARGV[1] .. 't:' .. holder)
  if #other > 0 then
    table.insert(other, 1, 'taken')
    return other
  end
end
redis.call('HSET', KEYS[1], 'recordId', ARGV[2], 'digest', ARGV[3], 'target', ARGV[4], 'requestId', ARGV[5], 'consumer', ARGV[6], 'claimedAt', ARGV[7])
if ARGV[9] ~= '' then
  redis.call('HSET', KEYS[1], 'completedAt', ARGV[9])
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[8], ARGV[2])
if redis.call('EXISTS', KEYS[3]) == 1 and redis.call('HEXISTS', KEYS[3], 'claimedAt') == 0 then
  redis.call('HSET', KEYS[3], 'claimedAt', ARGV[7])
  redis.call('ZADD', KEYS[5], ARGV[8], ARGV[2])
end
return {'claimed'}
`);

// KEYS: t:{id}, p:{id}, pending, claimed. ARGV: recordId, requestId, at.
const COMPLETE = script(`
if redis.call('HGET', KEYS[1], 'requestId') ~= ARGV[2] then
  return false
end
redis.call('HSETNX', KEYS[1], 'completedAt', ARGV[3])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return redis.call('HGETALL', KEYS[1])
`);

// KEYS: p:{id}, t:{id}, pending. ARGV: recordId, digest, bytes, expiresAt, expiresAt ms, past-expiry TTL ms.
const PUT = script(`
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'digest', ARGV[2], 'bytes', ARGV[3], 'expiresAt', ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if tonumber(ARGV[5]) > now then
  redis.call('PEXPIREAT', KEYS[1], ARGV[5])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
end
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
return 1
`);

// KEYS: pending, claimed, sweeps. ARGV: prefix, expiredAt ms, claimedBefore ms, the sweep's id ('' without an outbox), its ISO instant, its consumer.
const SWEEP = script(`
local expired, abandoned = 0, 0
local now = tonumber(ARGV[2])
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  local id = all[i]
  local key = ARGV[1] .. 'p:' .. id
  if tonumber(all[i + 1]) <= now or redis.call('EXISTS', key) == 0 then
    redis.call('DEL', key)
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    expired = expired + 1
  end
end
local old = redis.call('ZRANGE', KEYS[2], '-inf', '(' .. ARGV[3], 'BYSCORE')
for _, id in ipairs(old) do
  if redis.call('DEL', ARGV[1] .. 'p:' .. id) == 1 then
    abandoned = abandoned + 1
  end
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
if ARGV[4] ~= '' and expired + abandoned > 0 then
  redis.call('HSETNX', KEYS[3], ARGV[4], ARGV[5] .. ' ' .. expired .. ' ' .. abandoned .. ' ' .. ARGV[6])
end
return {expired, abandoned}
`);

// KEYS: sweeps. The outbox: field the sweep's id, value "ISO-instant expired abandoned consumer" (the consumer last: it may hold spaces).
const UNTRACED_SWEEPS = script(`return redis.call('HGETALL', KEYS[1])`);
// KEYS: sweeps. ARGV: the sweep's id.
const SWEEP_TRACED = script(`return redis.call('HDEL', KEYS[1], ARGV[1])`);

// KEYS: pending. ARGV: prefix.
const COUNT = script(`
local n = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  n = n + redis.call('EXISTS', ARGV[1] .. 'p:' .. id)
end
return n
`);

// KEYS: t:{id}, d:{digest}. ARGV: prefix, '1' to look up by id, '1' to look up by digest.
const FIND = script(`
if ARGV[2] == '1' then
  local t = redis.call('HGETALL', KEYS[1])
  if #t > 0 then
    return t
  end
end
if ARGV[3] == '1' then
  local id = redis.call('GET', KEYS[2])
  if id then
    return redis.call('HGETALL', ARGV[1] .. 't:' .. id)
  end
end
return {}
`);

// KEYS: tombstones. ARGV: prefix, before ms.
const PURGE = script(`
local n = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], '-inf', '(' .. ARGV[2], 'BYSCORE')) do
  local key = ARGV[1] .. 't:' .. id
  local digest = redis.call('HGET', key, 'digest')
  if digest then
    local dkey = ARGV[1] .. 'd:' .. digest
    if redis.call('GET', dkey) == id then
      redis.call('DEL', dkey)
    end
    redis.call('DEL', key)
    n = n + 1
  end
  redis.call('ZREM', KEYS[1], id)
end
return n
`);

/**
 * The Redis consumption store (SIG-5, SIG-6), on ioredis (v5 or v6): every
 * process sharing one Redis shares its pending records and its consumption
 * ledger. Each step that must be atomic — claim, complete, deposit, sweep,
 * purge — is one Lua script, so exactly one concurrent claimer wins, across
 * processes and hosts.
 *
 * Keys, all under the prefix `P` (default `s3404:`): `Pp:{recordId}` the
 * pending hash (digest, bytes, expiresAt, claimedAt), which Redis itself
 * drops at `expiresAt` even if no sweeper runs; `Pt:{recordId}` the
 * tombstone hash; `Pd:{digest}` the record id holding a digest; and the
 * sorted sets `Ppending` (by expiry), `Pclaimed` and `Ptombstones` (by claim
 * time) that the sweeper, `countPending` and the purge walk — in time linear
 * in their size; `Psweeps`, the hash of the sweeps not traced yet (the
 * sweep outbox, written by the sweep's own script). On Redis Cluster, use a hash-tagged prefix such as
 * `{s3404}:`: the scripts reach keys named in the indexes, which must share
 * the slot of the declared ones.
 *
 * Durability: Redis acknowledges before it writes to disk. Without AOF and
 * `appendfsync always`, a crash or failover can lose recent tombstones and
 * so reopen replays of the records they held. For the ledger of record
 * prefer PostgreSQL (`@s3404/seal/postgres`) or SQLite
 * (`@s3404/seal/sqlite`); Redis suits short-lived pending records with
 * their TTL.
 *
 * It keeps the store contract of the SDK: a failure of ioredis or of the
 * server (unreachable, timed out, refused) is `ERR_STORE_UNAVAILABLE` (kind
 * `unavailable`, the driver's error as `cause`), a reply the store never
 * writes is `ERR_STORE_CORRUPT`, and `close()` is idempotent and closes only
 * a client the store made. Install the optional peer `ioredis`. Node only.
 *
 * `import { RedisConsumptionStore } from '@s3404/seal/redis'`
 *
 * @example
 * ```ts
 * const store = await RedisConsumptionStore.open({ url: 'redis://redis.internal:6379/0' })
 * const consumer = createConsumer({ store, trustAnchors })
 * // on shutdown
 * await store.close()
 * ```
 * @public
 */
export class RedisConsumptionStore implements ConsumptionStore, SweepOutbox {
  readonly #client: RedisClientLike;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #pastExpiryTtlMs: number;
  readonly #locale: Locale;

  private constructor(client: RedisClientLike, owned: boolean, prefix: string, pastExpiryTtlMs: number, locale: Locale) {
    this.#client = client;
    this.#owned = owned;
    this.#prefix = prefix;
    this.#pastExpiryTtlMs = pastExpiryTtlMs;
    this.#locale = locale;
  }

  /**
   * Opens the store on a client or a URL (SIG-5, SIG-6). From a URL, the
   * store's client fails fast: no offline queue, `timeoutMs` per connection
   * and command, so an unreachable server rejects operations instead of
   * holding them.
   *
   * @example
   * ```ts
   * const store = await RedisConsumptionStore.open({ client: redis, prefix: '{s3404}:' })
   * ```
   * @throws TypeError for malformed options, and for a Redis Cluster `client` whose prefix has no hash tag.
   * @throws {@link SealError} `ERR_STORE_UNAVAILABLE` when connecting fails; `ERR_STORE_MISCONFIGURED` when the server
   * refuses the store's scripts for good (an ACL without `EVAL`, a Cluster hidden behind a proxy: checked at open,
   * unless `connect: false`).
   */
  static async open(options: RedisStoreOptions): Promise<RedisConsumptionStore> {
    if (options === null || typeof options !== 'object') throw new TypeError('RedisConsumptionStore.open: options are required');
    const locale = resolveLocale(options.locale);
    if ((options.client === undefined) === (options.url === undefined))
      throw new TypeError('RedisConsumptionStore.open: give exactly one of options.client and options.url');
    const prefix = options.prefix ?? 's3404:';
    if (typeof prefix !== 'string' || !REDIS_PREFIX.test(prefix))
      throw new TypeError('RedisConsumptionStore.open: prefix must be 1 to 64 of A-Z a-z 0-9 : _ { } . -');
    const pastExpiryTtlMs = options.pastExpiryTtlMs ?? 300_000;
    if (!Number.isInteger(pastExpiryTtlMs) || pastExpiryTtlMs < 1)
      throw new TypeError('RedisConsumptionStore.open: pastExpiryTtlMs must be a positive integer');
    if (options.client !== undefined) {
      const c: unknown = options.client;
      if (
        c === null ||
        typeof c !== 'object' ||
        typeof (c as RedisClientLike).evalsha !== 'function' ||
        typeof (c as RedisClientLike).hmgetBuffer !== 'function'
      ) {
        throw new TypeError('RedisConsumptionStore.open: options.client must be an ioredis Redis client');
      }
      // Every script of the store names several keys: on a cluster they must hash to one slot, or each deposit and
      // use fails (CROSSSLOT) for ever, read as a server to retry (issue 19).
      if ((c as { isCluster?: unknown }).isCluster === true && !hasHashTag(prefix))
        throw new TypeError('RedisConsumptionStore.open: on Redis Cluster, prefix must hold a hash tag such as {s3404}: (every key of the store in one slot)');
      const store = new RedisConsumptionStore(options.client, false, prefix, pastExpiryTtlMs, locale);
      await store.#probe();
      return store;
    }
    const client = await makeRedisClient('RedisConsumptionStore.open', {
      url: options.url,
      timeoutMs: options.timeoutMs,
      connect: options.connect ?? true,
      locale,
    });
    const store = new RedisConsumptionStore(client as unknown as RedisClientLike, true, prefix, pastExpiryTtlMs, locale);
    if (options.connect ?? true) {
      try {
        await store.#probe();
      } catch (e) {
        client.disconnect();
        throw e;
      }
    }
    return store;
  }

  /**
   * Runs, once at open, what every operation of the store needs (issue 19):
   * a script over several of its keys. A server that will refuse each
   * deposit and use for good — an ACL without `EVAL` (`NOPERM`), a Redis
   * Cluster behind a proxy or client that hides it (`CROSSSLOT`, `MOVED`) —
   * is `ERR_STORE_MISCONFIGURED` here, before any record is deposited,
   * rather than at the first deposit. The script reads and writes nothing.
   * Three keys: the chance that all fall in one slot of a Cluster is nil.
   */
  async #probe(): Promise<void> {
    const keys = ['a', 'b', 'c'].map((k) => `${this.#prefix}probe:${k}`);
    await onBackend('redis', 'open', this.#locale, () => this.#client.eval('return 1', keys.length, ...keys));
  }

  /** @throws {@link SealError} `ERR_RECORD_DUPLICATE` when the record id is pending or already used. */
  async putPending(entry: PendingEntry): Promise<void> {
    const expiresAt = instant(entry.expiresAt, 'expiresAt');
    const id = entry.recordId;
    const bytes = Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength);
    const stored = await this.#run(
      'putPending',
      PUT,
      [this.#key('p:', id), this.#key('t:', id), this.#key('pending')],
      [id, entry.digest, bytes, entry.expiresAt, expiresAt, this.#pastExpiryTtlMs],
    );
    if (stored !== 1) throw new SealError('ERR_RECORD_DUPLICATE', { locale: this.#locale });
  }

  async getPending(recordId: string): Promise<PendingEntry | null> {
    const [digest, bytes, expiresAt] = await onBackend('redis', 'getPending', this.#locale, () =>
      this.#client.hmgetBuffer(this.#key('p:', recordId), 'digest', 'bytes', 'expiresAt'),
    );
    if (digest == null || bytes == null || expiresAt == null) return null;
    const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString();
    return { recordId, digest: text(digest), bytes: new Uint8Array(bytes), expiresAt: text(expiresAt) };
  }

  async sweep(options: SweepOptions): Promise<SweepResult> {
    const box = options.outbox;
    if (box !== undefined && (typeof box.id !== 'string' || !SWEEP_ID.test(box.id))) throw new TypeError('RedisConsumptionStore: outbox.id must be a UUID');
    const args = [
      this.#prefix,
      time(options.expiredAt, 'expiredAt'),
      time(options.claimedBefore, 'claimedBefore'),
      box?.id ?? '',
      box === undefined ? '' : new Date(time(box.at, 'outbox.at')).toISOString(),
      box?.consumer ?? '',
    ];
    const reply = await this.#run('sweep', SWEEP, [this.#key('pending'), this.#key('claimed'), this.#key('sweeps')], args);
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') throw this.#corrupt('sweep');
    return { expired: reply[0], abandoned: reply[1] };
  }

  /** The sweeps not traced yet, oldest first (SIG-6, AUD-1). */
  async untracedSweeps(options: { readonly limit: number }): Promise<readonly UntracedSweep[]> {
    const reply = await this.#run('untracedSweeps', UNTRACED_SWEEPS, [this.#key('sweeps')], []);
    if (!Array.isArray(reply) || reply.length % 2 !== 0) throw this.#corrupt('untracedSweeps');
    const sweeps: UntracedSweep[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      const id: unknown = reply[i];
      if (typeof id !== 'string') throw this.#corrupt('untracedSweeps');
      const m = typeof reply[i + 1] === 'string' ? /^(\S+) (\d{1,15}) (\d{1,15}) (.+)$/s.exec(reply[i + 1] as string) : null;
      // An entry no sweep wrote is listed as one the consumer refuses (no time, no counts), first: it is skipped and
      // reported, left for an operator, and does not hold the trace of the others.
      sweeps.push(
        m === null
          ? { id, at: '', consumer: '', expired: -1, abandoned: -1 }
          : { id, at: m[1]!, consumer: m[4]!, expired: Number(m[2]), abandoned: Number(m[3]) },
      );
    }
    sweeps.sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1));
    return sweeps.slice(0, options.limit);
  }

  /** Removes a traced sweep from the outbox (SIG-6, AUD-1). Idempotent. */
  async sweepTraced(id: string): Promise<void> {
    await this.#run('sweepTraced', SWEEP_TRACED, [this.#key('sweeps')], [id]);
  }

  async countPending(): Promise<number> {
    const n = await this.#run('countPending', COUNT, [this.#key('pending')], [this.#prefix]);
    if (typeof n !== 'number') throw this.#corrupt('countPending');
    return n;
  }

  async claim(tombstone: Tombstone): Promise<ClaimOutcome> {
    const t = tombstone;
    const claimedAt = instant(t.claimedAt, 'claimedAt');
    const reply = await this.#run(
      'claim',
      CLAIM,
      [this.#key('t:', t.recordId), this.#key('d:', t.digest), this.#key('p:', t.recordId), this.#key('tombstones'), this.#key('claimed')],
      [this.#prefix, t.recordId, t.digest, t.target, t.requestId, t.consumer, t.claimedAt, claimedAt, t.completedAt ?? ''],
    );
    if (!Array.isArray(reply)) throw this.#corrupt('claim');
    if (reply[0] === 'claimed') {
      const stored: Tombstone = {
        recordId: t.recordId,
        digest: t.digest,
        target: t.target,
        requestId: t.requestId,
        consumer: t.consumer,
        claimedAt: t.claimedAt,
        ...(t.completedAt === undefined || t.completedAt === '' ? {} : { completedAt: t.completedAt }),
      };
      return { kind: 'claimed', tombstone: stored };
    }
    if (reply[0] !== 'taken') throw this.#corrupt('claim');
    return { kind: 'taken', tombstone: this.#tombstone(reply.slice(1), 'claim') };
  }

  async complete(options: { readonly recordId: string; readonly requestId: string; readonly at: string }): Promise<Tombstone | null> {
    const id = options.recordId;
    const reply = await this.#run(
      'complete',
      COMPLETE,
      [this.#key('t:', id), this.#key('p:', id), this.#key('pending'), this.#key('claimed')],
      [id, options.requestId, options.at],
    );
    return reply === null ? null : this.#tombstone(reply, 'complete');
  }

  async findTombstone(options: { readonly recordId?: string; readonly digest?: string }): Promise<Tombstone | null> {
    const byId = options.recordId !== undefined;
    const byDigest = options.digest !== undefined;
    if (!byId && !byDigest) return null;
    const reply = await this.#run(
      'findTombstone',
      FIND,
      [this.#key('t:', options.recordId ?? ''), this.#key('d:', options.digest ?? '')],
      [this.#prefix, byId ? '1' : '0', byDigest ? '1' : '0'],
    );
    if (!Array.isArray(reply)) throw this.#corrupt('findTombstone');
    return reply.length === 0 ? null : this.#tombstone(reply, 'findTombstone');
  }

  async purgeTombstones(options: { readonly before: Date }): Promise<number> {
    const before = time(options.before, 'before');
    const n = await this.#run('purgeTombstones', PURGE, [this.#key('tombstones')], [this.#prefix, before]);
    if (typeof n !== 'number') throw this.#corrupt('purgeTombstones');
    return n;
  }

  /** Closes the client if the store made it (from `url`); a given `client` stays open. Idempotent. */
  async close(): Promise<void> {
    if (!this.#owned || this.#client.status === 'end') return;
    if (this.#client.status === 'ready') {
      try {
        await this.#client.quit();
        return;
      } catch {
        // Fall through: drop the connection.
      }
    }
    this.#client.disconnect();
  }

  #key(kind: string, id = ''): string {
    return `${this.#prefix}${kind}${id}`;
  }

  /**
   * EVALSHA, loading the script on a server that does not know it yet. A
   * failure of ioredis or of the server is `ERR_STORE_UNAVAILABLE`.
   */
  #run(operation: string, s: LuaScript, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
    return onBackend('redis', operation, this.#locale, async () => {
      try {
        return await this.#client.evalsha(s.sha, keys.length, ...keys, ...args);
      } catch (e) {
        if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
        return await this.#client.eval(s.lua, keys.length, ...keys, ...args);
      }
    });
  }

  #corrupt(operation: string): SealError {
    return storeCorrupt(`redis ${operation}`, this.#locale);
  }

  /** A tombstone from a flat HGETALL reply (field, value, …). */
  #tombstone(reply: unknown, operation: string): Tombstone {
    const t = toTombstone(reply);
    if (t === null) throw this.#corrupt(operation);
    return t;
  }
}

function instant(iso: string, name: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new TypeError(`RedisConsumptionStore: ${name} must be an ISO 8601 instant`);
  return ms;
}

function time(d: Date, name: string): number {
  const ms = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`RedisConsumptionStore: ${name} must be a valid Date`);
  return ms;
}

/** A tombstone from a flat HGETALL reply (field, value, …), or `null` when the reply is not one. */
function toTombstone(reply: unknown): Tombstone | null {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) return null;
  const fields = new Map<string, string>();
  for (let i = 0; i < reply.length; i += 2) {
    const name: unknown = reply[i];
    const value: unknown = reply[i + 1];
    if (typeof name !== 'string' || typeof value !== 'string') return null;
    fields.set(name, value);
  }
  const [recordId, digest, target, requestId, consumer, claimedAt] = TOMBSTONE_FIELDS.map((f) => fields.get(f));
  if (recordId === undefined || digest === undefined || target === undefined || requestId === undefined || consumer === undefined || claimedAt === undefined) {
    return null;
  }
  const completedAt = fields.get('completedAt');
  return { recordId, digest, target, requestId, consumer, claimedAt, ...(completedAt === undefined ? {} : { completedAt }) };
}

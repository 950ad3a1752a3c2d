import { readClock, resolveClock, type Clock } from '../clock.js';
import { toHex } from '../bytes/hex.js';
import { CoreError } from '../errors/core-error.js';
import type { Locale } from '../errors/locale.js';
import {
  checkAcquire,
  checkGrant,
  checkLeaseKey,
  checkPeriod,
  checkTtl,
  type AcquireLeaseOptions,
  type Lease,
  type LeaseGrant,
  type LeaseState,
} from '../maintenance/lease.js';
import { randomBytes, resolveRandom, type RandomSource } from '../random.js';
import { backendFailure } from './store-failure.js';

/**
 * The part of an ioredis client (`Redis`, v5 or v6) the lease uses (issue
 * 19): structural, so core needs no driver.
 *
 * `import type { RedisLeaseClient } from '@s3404/core/redis'`
 *
 * @public
 */
export interface RedisLeaseClient {
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

/**
 * Options of {@link RedisLease.open} (issue 19; X-2).
 *
 * `import type { RedisLeaseOptions } from '@s3404/core/redis'`
 *
 * @public
 */
export interface RedisLeaseOptions {
  /** A connected ioredis client; the lease never closes it. Create it with `enableOfflineQueue: false` and a `commandTimeout` to fail fast. */
  readonly client: RedisLeaseClient;
  /** What every key starts with, 1 to 64 of `A-Z a-z 0-9 : _ { } . -`. Default `s3404:`. Keys: `<prefix>lease:<key>`. */
  readonly prefix?: string;
  /** The clock expiries are computed and judged on (every instance in sync, NTP). Default: the system clock. */
  readonly now?: Clock;
  /** Language of the errors. Default French. */
  readonly locale?: Locale;
  /** Marks each acquire, so that one sent twice by the driver is told from a new one. Default: Web Crypto. */
  readonly random?: RandomSource;
}

const PREFIX = /^[A-Za-z0-9:_{}.-]{1,64}$/;

// Every script: KEYS[1] the lease hash. The hash is kept forever (its token must never go back).
// ARGV: holder, at ms, expires ms, request. The grant a request made is answered again to the same request of the
// same holder — the command a driver sent again after a cut, as ioredis does — not refused as a running lease; a new
// request is, and another holder's even with the same mark (two instances given the same seeded randomness).
const ACQUIRE = `
local h = redis.call('HMGET', KEYS[1], 'holder', 'token', 'expiresAt', 'completed', 'request')
if h[1] and h[1] ~= '' and tonumber(h[3]) > tonumber(ARGV[2]) then
  if h[1] == ARGV[1] and h[5] == ARGV[4] then return {h[1], h[2], h[3], h[4] or ''} end
  return false
end
local token = (tonumber(h[2]) or 0) + 1
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', tostring(token), 'expiresAt', ARGV[3], 'request', ARGV[4])
return {ARGV[1], tostring(token), ARGV[3], h[4] or ''}
`;
// ARGV: holder, token, at ms, then (renew) expires ms or (complete) period.
const HELD = `
local h = redis.call('HMGET', KEYS[1], 'holder', 'token', 'expiresAt', 'completed')
if h[1] ~= ARGV[1] or h[2] ~= ARGV[2] or tonumber(h[3]) <= tonumber(ARGV[3]) then return false end
`;
const RENEW = `${HELD}
redis.call('HSET', KEYS[1], 'expiresAt', ARGV[4])
return {h[1], h[2], ARGV[4], h[4] or ''}
`;
const COMPLETE = `${HELD}
redis.call('HSET', KEYS[1], 'completed', ARGV[4])
return 1
`;
// ARGV: holder, token, at ms.
const RELEASE = `
local h = redis.call('HMGET', KEYS[1], 'holder', 'token', 'expiresAt')
if h[2] ~= ARGV[2] or (h[1] ~= ARGV[1] and h[1] ~= '') then return 0 end
if h[1] == '' then return 1 end
redis.call('HSET', KEYS[1], 'holder', '', 'expiresAt', tostring(math.min(tonumber(h[3]), tonumber(ARGV[3]))))
return 1
`;
const INSPECT = `
local h = redis.call('HMGET', KEYS[1], 'holder', 'token', 'expiresAt', 'completed')
if not h[2] then return false end
return {h[1] or '', h[2], h[3], h[4] or ''}
`;

/**
 * A {@link Lease} in Redis (issue 19; X-2): one hash per key, every step
 * one Lua script (atomic on the server), expiries on the injected clock.
 * The hash outlives the lease, so the fencing token never goes back; a
 * Redis that may lose writes (no AOF, failover to a lagging replica) may
 * give a token twice — see `docs/maintenance.md` for the persistence
 * settings.
 *
 * `import { RedisLease } from '@s3404/core/redis'`
 *
 * @example
 * ```ts
 * const client = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, commandTimeout: 2000 })
 * const lease = await RedisLease.open({ client, prefix: 'clinic:' })
 * ```
 * @public
 */
export class RedisLease implements Lease {
  readonly #client: RedisLeaseClient;
  readonly #prefix: string;
  readonly #now: Clock;
  readonly #locale: Locale | undefined;
  /** This handle's random mark; each acquire adds its own number. */
  readonly #requester: string;
  #requests = 0;

  private constructor(client: RedisLeaseClient, prefix: string, now: Clock, locale: Locale | undefined, requester: string) {
    this.#client = client;
    this.#prefix = prefix;
    this.#now = now;
    this.#locale = locale;
    this.#requester = requester;
  }

  /**
   * Takes the caller's client (async, as every store's `open`).
   * @throws TypeError for malformed options.
   */
  static async open(options: RedisLeaseOptions): Promise<RedisLease> {
    const who = 'RedisLease.open';
    if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options are required`);
    if (typeof (options.client as Partial<RedisLeaseClient> | undefined)?.eval !== 'function')
      throw new TypeError(`${who}: options.client must be an ioredis client`);
    const prefix = options.prefix ?? 's3404:';
    if (typeof prefix !== 'string' || !PREFIX.test(prefix)) throw new TypeError(`${who}: prefix must be 1 to 64 of A-Z a-z 0-9 : _ { } . -`);
    const requester = toHex(randomBytes(resolveRandom(options.random), 12));
    return new RedisLease(options.client, prefix, resolveClock(options.now, who), options.locale, requester);
  }

  #at(): number {
    return readClock(this.#now, 'RedisLease').getTime();
  }

  async #eval(op: string, script: string, key: string, args: (string | number)[]): Promise<unknown> {
    try {
      return await this.#client.eval(script, 1, `${this.#prefix}lease:${key}`, ...args);
    } catch (e) {
      // A key of another kind than the lease's hash (edited behind its back), an ACL without EVAL: no failure to retry (issue 19).
      const locale = this.#locale;
      throw backendFailure(e, 'redis', op, {
        unavailable: (cause, detail) => new CoreError('ERR_LEASE_STORE_UNAVAILABLE', { params: { detail }, cause, locale }),
        corrupt: (cause, detail) => new CoreError('ERR_LEASE_STORE_CORRUPT', { params: { detail }, cause, locale }),
        misconfigured: (cause, detail) => new CoreError('ERR_LEASE_STORE_MISCONFIGURED', { params: { detail }, cause, locale }),
      });
    }
  }

  #grant(key: string, reply: unknown): LeaseState | null {
    if (!Array.isArray(reply)) return null;
    const [holder, token, expiresAt, completed] = reply.map((v) => String(v));
    return {
      key,
      holder: holder === '' ? null : (holder ?? null),
      token: Number(token),
      expiresAt: new Date(Number(expiresAt)),
      completed: completed === '' || completed === undefined ? null : completed,
    };
  }

  /** {@inheritDoc Lease.acquire} */
  async acquire(key: string, options: AcquireLeaseOptions): Promise<LeaseGrant | null> {
    const { holder, ttl } = checkAcquire('RedisLease.acquire', key, options);
    const at = this.#at();
    const request = `${this.#requester}.${++this.#requests}`;
    return this.#grant(key, await this.#eval('acquire', ACQUIRE, key, [holder, at, at + ttl, request])) as LeaseGrant | null;
  }

  /** {@inheritDoc Lease.renew} */
  async renew(grant: LeaseGrant, options: { readonly ttlMs: number }): Promise<LeaseGrant | null> {
    checkGrant('RedisLease.renew', grant);
    const ttl = checkTtl('RedisLease.renew', options?.ttlMs);
    const at = this.#at();
    return this.#grant(grant.key, await this.#eval('renew', RENEW, grant.key, [grant.holder, String(grant.token), at, at + ttl])) as LeaseGrant | null;
  }

  /** {@inheritDoc Lease.complete} */
  async complete(grant: LeaseGrant, options: { readonly period: string }): Promise<boolean> {
    checkGrant('RedisLease.complete', grant);
    const period = checkPeriod('RedisLease.complete', options?.period);
    return (await this.#eval('complete', COMPLETE, grant.key, [grant.holder, String(grant.token), this.#at(), period])) === 1;
  }

  /** {@inheritDoc Lease.release} */
  async release(grant: LeaseGrant): Promise<boolean> {
    checkGrant('RedisLease.release', grant);
    return (await this.#eval('release', RELEASE, grant.key, [grant.holder, String(grant.token), this.#at()])) === 1;
  }

  /** {@inheritDoc Lease.inspect} */
  async inspect(key: string): Promise<LeaseState | null> {
    checkLeaseKey('RedisLease.inspect', key);
    return this.#grant(key, await this.#eval('inspect', INSPECT, key, []));
  }

  /** The caller's client stays open; nothing to end. Idempotent. */
  async close(): Promise<void> {}
}

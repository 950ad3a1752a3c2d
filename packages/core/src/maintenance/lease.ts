/**
 * A granted lease (issue 19; X-2): who holds `key`, with which fencing
 * token, until when, and the last period a holder completed for it.
 *
 * `import type { LeaseGrant } from '@s3404/core/maintenance'`
 *
 * @public
 */
export interface LeaseGrant {
  /** What is leased, e.g. `seal.sweep`. */
  readonly key: string;
  /** Who holds it (one runner instance). */
  readonly holder: string;
  /**
   * The fencing token: it grows at every acquisition of `key` and never
   * goes back, so a resource that keeps the highest token it has seen can
   * refuse the writes of a holder that lost the lease.
   */
  readonly token: number;
  /** When the lease ends unless renewed (on the lease's clock). */
  readonly expiresAt: Date;
  /** The last period completed under a lease of this key ({@link Lease.complete}), `null` when none. */
  readonly completed: string | null;
}

/**
 * What {@link Lease.inspect} tells of a key (issue 19; X-2): its grant's fields,
 * `holder` being `null` once released.
 *
 * @public
 */
export interface LeaseState extends Omit<LeaseGrant, 'holder'> {
  readonly holder: string | null;
}

/** Options of {@link Lease.acquire} (issue 19; X-2). @public */
export interface AcquireLeaseOptions {
  /** Who asks: a runner instance's identifier, 1 to 128 characters. */
  readonly holder: string;
  /** How long the lease lasts unless renewed, milliseconds (positive integer). */
  readonly ttlMs: number;
}

/**
 * A lease shared by several processes (issue 19; X-2): at most one holder
 * of a key at a time, until its lease expires on the lease's clock; a
 * monotonic fencing token per key; and, per key, the last period a holder
 * completed, so a periodic job runs once per period whoever runs it.
 * Implementations: {@link MemoryLease} (one process), `PostgresLease` of
 * `@s3404/core/postgres`, `RedisLease` of `@s3404/core/redis`. Every
 * implementation passes the same contract suite.
 *
 * `import type { Lease } from '@s3404/core/maintenance'`
 *
 * @example
 * ```ts
 * const grant = await lease.acquire('seal.sweep', { holder: 'api-1', ttlMs: 30_000 })
 * if (grant !== null) { await work(grant.token); await lease.complete(grant, { period }); await lease.release(grant) }
 * ```
 * @public
 */
export interface Lease {
  /**
   * Takes `key` when nobody holds it (never held, released, or expired),
   * with a token one above the last one; `null` when a holder's lease is
   * still running (the same holder included). One call whose request a
   * driver sent twice (ioredis sends a command again after a cut) gets its
   * grant, as if sent once.
   * @throws CoreError `ERR_LEASE_STORE_UNAVAILABLE` when the backend fails (retry);
   * `ERR_LEASE_STORE_CORRUPT` when it holds what the lease never writes (a
   * Redis key of another kind, issue 19: an operator must look).
   */
  acquire(key: string, options: AcquireLeaseOptions): Promise<LeaseGrant | null>;
  /**
   * Extends a lease still held (same token, not expired) by `ttlMs` from
   * now (the heartbeat); `null` when it was lost.
   * @throws CoreError `ERR_LEASE_STORE_UNAVAILABLE`.
   */
  renew(grant: LeaseGrant, options: { readonly ttlMs: number }): Promise<LeaseGrant | null>;
  /**
   * Records `period` as completed for the key, only while `grant` still
   * holds it (fenced): `false` when the lease was lost, and nothing is
   * recorded.
   * @throws CoreError `ERR_LEASE_STORE_UNAVAILABLE`.
   */
  complete(grant: LeaseGrant, options: { readonly period: string }): Promise<boolean>;
  /**
   * Ends the hold now so another instance may acquire the key at once;
   * `false` when the token is no longer the current one. Idempotent.
   * @throws CoreError `ERR_LEASE_STORE_UNAVAILABLE`.
   */
  release(grant: LeaseGrant): Promise<boolean>;
  /**
   * The current state of `key` (holder `null` when released), `null` when
   * it was never acquired. For status pages and tests.
   * @throws CoreError `ERR_LEASE_STORE_UNAVAILABLE`.
   */
  inspect(key: string): Promise<LeaseState | null>;
  /** Ends what the lease opened itself; a client given by the caller stays open. Idempotent. */
  close(): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Checks a lease key (a TypeError: a programming error). @internal */
export function checkLeaseKey(who: string, key: unknown): string {
  if (typeof key !== 'string' || !KEY.test(key)) throw new TypeError(`${who}: key must be 1 to 128 of A-Z a-z 0-9 . _ : - (e.g. seal.sweep)`);
  return key;
}

/** Checks a holder identifier. @internal */
export function checkHolder(who: string, holder: unknown): string {
  if (typeof holder !== 'string' || holder.length < 1 || holder.length > 128) throw new TypeError(`${who}: holder must be a string of 1 to 128 characters`);
  return holder;
}

/** Checks a duration in milliseconds. @internal */
export function checkTtl(who: string, ttlMs: unknown, name = 'ttlMs'): number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new TypeError(`${who}: ${name} must be a positive integer (milliseconds)`);
  return ttlMs;
}

/** Checks the arguments of `Lease.acquire`: the key, then the holder and the time to live it is taken for. @internal */
export function checkAcquire(who: string, key: unknown, options: AcquireLeaseOptions | undefined): { readonly holder: string; readonly ttl: number } {
  checkLeaseKey(who, key);
  return { holder: checkHolder(who, options?.holder), ttl: checkTtl(who, options?.ttlMs) };
}

/** Checks a grant given back to a lease. @internal */
export function checkGrant(who: string, grant: unknown): LeaseGrant {
  const g = grant as Partial<LeaseGrant> | null;
  if (g === null || typeof g !== 'object' || typeof g.key !== 'string' || typeof g.holder !== 'string' || !Number.isSafeInteger(g.token)) {
    throw new TypeError(`${who}: a LeaseGrant returned by acquire or renew is expected`);
  }
  return g as LeaseGrant;
}

/** Checks a period label. @internal */
export function checkPeriod(who: string, period: unknown): string {
  if (typeof period !== 'string' || period.length < 1 || period.length > 64) throw new TypeError(`${who}: period must be a string of 1 to 64 characters`);
  return period;
}

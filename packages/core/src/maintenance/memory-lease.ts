import { resolveClock, readClock, type Clock } from '../clock.js';
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
} from './lease.js';

/** Options of {@link MemoryLease} (issue 19; X-2). @public */
export interface MemoryLeaseOptions {
  /** The clock expiries are computed and judged on. Default: the system clock. */
  readonly now?: Clock;
}

interface Entry {
  holder: string | null;
  token: number;
  expiresAt: number;
  completed: string | null;
}

/**
 * A {@link Lease} in memory (issue 19; X-2): for the runners of one
 * process (several runners, one instance of this class), tests and demos.
 * It does not coordinate processes: for a fleet, use `PostgresLease`
 * (`@s3404/core/postgres`) or `RedisLease` (`@s3404/core/redis`).
 *
 * `import { MemoryLease } from '@s3404/core/maintenance'`
 *
 * @example
 * ```ts
 * const lease = new MemoryLease({ now: () => new Date('2026-04-08T02:00:00Z') })
 * const grant = await lease.acquire('seal.sweep', { holder: 'worker-1', ttlMs: 30_000 })
 * ```
 * @public
 */
export class MemoryLease implements Lease {
  readonly #now: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(options: MemoryLeaseOptions = {}) {
    this.#now = resolveClock(options.now, 'MemoryLease');
  }

  #at(): number {
    return readClock(this.#now, 'MemoryLease').getTime();
  }

  #grant(key: string, e: Entry): LeaseGrant {
    return { key, holder: e.holder ?? '', token: e.token, expiresAt: new Date(e.expiresAt), completed: e.completed };
  }

  /** The entry `grant` still holds, or `undefined`. */
  #held(grant: LeaseGrant, at: number): Entry | undefined {
    const e = this.#entries.get(grant.key);
    return e !== undefined && e.holder !== null && e.holder === grant.holder && e.token === grant.token && e.expiresAt > at ? e : undefined;
  }

  /** {@inheritDoc Lease.acquire} */
  async acquire(key: string, options: AcquireLeaseOptions): Promise<LeaseGrant | null> {
    const { holder, ttl } = checkAcquire('MemoryLease.acquire', key, options);
    const at = this.#at();
    const e = this.#entries.get(key);
    if (e !== undefined && e.holder !== null && e.expiresAt > at) return null;
    const next: Entry = { holder, token: (e?.token ?? 0) + 1, expiresAt: at + ttl, completed: e?.completed ?? null };
    this.#entries.set(key, next);
    return this.#grant(key, next);
  }

  /** {@inheritDoc Lease.renew} */
  async renew(grant: LeaseGrant, options: { readonly ttlMs: number }): Promise<LeaseGrant | null> {
    checkGrant('MemoryLease.renew', grant);
    const ttl = checkTtl('MemoryLease.renew', options?.ttlMs);
    const at = this.#at();
    const e = this.#held(grant, at);
    if (e === undefined) return null;
    e.expiresAt = at + ttl;
    return this.#grant(grant.key, e);
  }

  /** {@inheritDoc Lease.complete} */
  async complete(grant: LeaseGrant, options: { readonly period: string }): Promise<boolean> {
    checkGrant('MemoryLease.complete', grant);
    const period = checkPeriod('MemoryLease.complete', options?.period);
    const e = this.#held(grant, this.#at());
    if (e === undefined) return false;
    e.completed = period;
    return true;
  }

  /** {@inheritDoc Lease.release} */
  async release(grant: LeaseGrant): Promise<boolean> {
    checkGrant('MemoryLease.release', grant);
    const e = this.#entries.get(grant.key);
    if (e === undefined || e.token !== grant.token || e.holder !== grant.holder) return e !== undefined && e.token === grant.token && e.holder === null;
    e.holder = null;
    e.expiresAt = Math.min(e.expiresAt, this.#at());
    return true;
  }

  /** {@inheritDoc Lease.inspect} */
  async inspect(key: string): Promise<LeaseState | null> {
    checkLeaseKey('MemoryLease.inspect', key);
    const e = this.#entries.get(key);
    return e === undefined ? null : { key, holder: e.holder, token: e.token, expiresAt: new Date(e.expiresAt), completed: e.completed };
  }

  /** Nothing to end; idempotent. */
  async close(): Promise<void> {}
}

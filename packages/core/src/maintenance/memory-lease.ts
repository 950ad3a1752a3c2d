import { resolveClock, readClock, type Clock } from '../clock.js';
import type { AcquireLeaseOptions, Lease, LeaseGrant, LeaseState } from './lease.js';
import { leaseRules, type LeaseEntry } from './lease-table.js';

/** Options of {@link MemoryLease} (issue 19; X-2). @public */
export interface MemoryLeaseOptions {
  /** The clock expiries are computed and judged on. Default: the system clock. */
  readonly now?: Clock;
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
  readonly #entries = new Map<string, LeaseEntry>();

  constructor(options: MemoryLeaseOptions = {}) {
    this.#now = resolveClock(options.now, 'MemoryLease');
  }

  #at(): number {
    return readClock(this.#now, 'MemoryLease').getTime();
  }

  async acquire(key: string, options: AcquireLeaseOptions): Promise<LeaseGrant | null> {
    return leaseRules.acquire('MemoryLease', this.#entries, key, options, this.#at()).result;
  }

  async renew(grant: LeaseGrant, options: { readonly ttlMs: number }): Promise<LeaseGrant | null> {
    return leaseRules.renew('MemoryLease', this.#entries, grant, options, this.#at()).result;
  }

  async complete(grant: LeaseGrant, options: { readonly period: string }): Promise<boolean> {
    return leaseRules.complete('MemoryLease', this.#entries, grant, options, this.#at()).result;
  }

  async release(grant: LeaseGrant): Promise<boolean> {
    return leaseRules.release('MemoryLease', this.#entries, grant, this.#at()).result;
  }

  async inspect(key: string): Promise<LeaseState | null> {
    return leaseRules.inspect('MemoryLease', this.#entries, key).result;
  }

  async close(): Promise<void> {}
}

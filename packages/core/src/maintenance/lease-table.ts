import { checkAcquire, checkGrant, checkLeaseKey, checkPeriod, checkTtl, type AcquireLeaseOptions, type LeaseGrant, type LeaseState } from './lease.js';

/** One key of a lease table: who holds it until when, its last token, its last completed period. @internal */
export interface LeaseEntry {
  holder: string | null;
  token: number;
  expiresAt: number;
  completed: string | null;
}

/** What the lease rules did to a table: the answer, and whether the table changed (to be written back). @internal */
export interface LeaseStep<T> {
  readonly result: T;
  readonly changed: boolean;
}

const grantOf = (key: string, e: LeaseEntry): LeaseGrant => ({
  key,
  holder: e.holder ?? '',
  token: e.token,
  expiresAt: new Date(e.expiresAt),
  completed: e.completed,
});

function held(entries: Map<string, LeaseEntry>, grant: LeaseGrant, at: number): LeaseEntry | undefined {
  const e = entries.get(grant.key);
  return e !== undefined && e.holder !== null && e.holder === grant.holder && e.token === grant.token && e.expiresAt > at ? e : undefined;
}

/**
 * The rules of a {@link Lease} over a table of entries at instant `at`
 * (issue 19; X-2), the same for the memory lease and the file lease: each
 * method checks its arguments (TypeErrors), then judges and changes the
 * table as the `Lease` contract says. @internal
 */
export const leaseRules = {
  acquire(who: string, entries: Map<string, LeaseEntry>, key: string, options: AcquireLeaseOptions, at: number): LeaseStep<LeaseGrant | null> {
    const { holder, ttl } = checkAcquire(`${who}.acquire`, key, options);
    const e = entries.get(key);
    if (e !== undefined && e.holder !== null && e.expiresAt > at) return { result: null, changed: false };
    const next: LeaseEntry = { holder, token: (e?.token ?? 0) + 1, expiresAt: at + ttl, completed: e?.completed ?? null };
    entries.set(key, next);
    return { result: grantOf(key, next), changed: true };
  },
  renew(who: string, entries: Map<string, LeaseEntry>, grant: LeaseGrant, options: { readonly ttlMs: number }, at: number): LeaseStep<LeaseGrant | null> {
    checkGrant(`${who}.renew`, grant);
    const ttl = checkTtl(`${who}.renew`, options?.ttlMs);
    const e = held(entries, grant, at);
    if (e === undefined) return { result: null, changed: false };
    e.expiresAt = at + ttl;
    return { result: grantOf(grant.key, e), changed: true };
  },
  complete(who: string, entries: Map<string, LeaseEntry>, grant: LeaseGrant, options: { readonly period: string }, at: number): LeaseStep<boolean> {
    checkGrant(`${who}.complete`, grant);
    const period = checkPeriod(`${who}.complete`, options?.period);
    const e = held(entries, grant, at);
    if (e === undefined) return { result: false, changed: false };
    e.completed = period;
    return { result: true, changed: true };
  },
  release(who: string, entries: Map<string, LeaseEntry>, grant: LeaseGrant, at: number): LeaseStep<boolean> {
    checkGrant(`${who}.release`, grant);
    const e = entries.get(grant.key);
    if (e === undefined || e.token !== grant.token || e.holder !== grant.holder) {
      return { result: e !== undefined && e.token === grant.token && e.holder === null, changed: false };
    }
    e.holder = null;
    e.expiresAt = Math.min(e.expiresAt, at);
    return { result: true, changed: true };
  },
  inspect(who: string, entries: Map<string, LeaseEntry>, key: string): LeaseStep<LeaseState | null> {
    checkLeaseKey(`${who}.inspect`, key);
    const e = entries.get(key);
    return {
      result: e === undefined ? null : { key, holder: e.holder, token: e.token, expiresAt: new Date(e.expiresAt), completed: e.completed },
      changed: false,
    };
  },
};

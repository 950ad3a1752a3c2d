/**
 * The contract every Lease keeps (issue 19), run over MemoryLease, PostgresLease and RedisLease
 * by maintenance.test.ts: acquire, exclusivity, expiry, renewal, monotonic fencing tokens,
 * release, completion fenced by the token, and the injected clock.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '@s3404/core';
import type { Lease } from '@s3404/core/maintenance';

export interface ManualClock {
  readonly now: Clock;
  advance(ms: number): void;
}

export function manualClock(start = Date.parse('2026-04-08T02:00:00.000Z')): ManualClock {
  let t = start;
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

/** `open(now)` gives a fresh lease (its own namespace) on the clock `now`. */
export function leaseContract(name: string, open: (now: Clock) => Promise<Lease>): void {
  describe(`Lease contract: ${name}`, () => {
    it('grants a free key with token 1, then refuses it to anyone while the lease runs', async () => {
      const clock = manualClock();
      const lease = await open(clock.now);
      const a = await lease.acquire('job.a', { holder: 'A', ttlMs: 1000 });
      expect(a).not.toBeNull();
      expect(a!.token).toBe(1);
      expect(a!.holder).toBe('A');
      expect(a!.completed).toBeNull();
      expect(a!.expiresAt.getTime()).toBe(clock.now().getTime() + 1000);
      expect(await lease.acquire('job.a', { holder: 'B', ttlMs: 1000 })).toBeNull();
      expect(await lease.acquire('job.a', { holder: 'A', ttlMs: 1000 })).toBeNull();
      clock.advance(999);
      expect(await lease.acquire('job.a', { holder: 'B', ttlMs: 1000 })).toBeNull();
      // Another key is independent.
      expect((await lease.acquire('job.b', { holder: 'B', ttlMs: 1000 }))?.token).toBe(1);
      const state = await lease.inspect('job.a');
      expect(state).toMatchObject({ key: 'job.a', holder: 'A', token: 1 });
      expect(await lease.inspect('job.never')).toBeNull();
      await lease.close();
      await lease.close();
    });

    it('expires on the injected clock: another holder takes over with a higher token, the old one can no longer renew, complete or release', async () => {
      const clock = manualClock();
      const lease = await open(clock.now);
      const a = (await lease.acquire('job.x', { holder: 'A', ttlMs: 1000 }))!;
      clock.advance(1000);
      const b = await lease.acquire('job.x', { holder: 'B', ttlMs: 1000 });
      expect(b?.token).toBe(2);
      expect(await lease.renew(a, { ttlMs: 1000 })).toBeNull();
      expect(await lease.complete(a, { period: 'p1' })).toBe(false);
      expect(await lease.release(a)).toBe(false);
      expect((await lease.inspect('job.x'))?.holder).toBe('B');
      expect((await lease.inspect('job.x'))?.completed).toBeNull();
      await lease.close();
    });

    it('renews (the heartbeat) so the lease outlives its first term; a lapsed lease cannot be renewed', async () => {
      const clock = manualClock();
      const lease = await open(clock.now);
      let a = (await lease.acquire('job.r', { holder: 'A', ttlMs: 1000 }))!;
      for (let i = 0; i < 5; i++) {
        clock.advance(600);
        const next = await lease.renew(a, { ttlMs: 1000 });
        expect(next).not.toBeNull();
        expect(next!.token).toBe(a.token);
        expect(next!.expiresAt.getTime()).toBe(clock.now().getTime() + 1000);
        a = next!;
        expect(await lease.acquire('job.r', { holder: 'B', ttlMs: 1000 })).toBeNull();
      }
      clock.advance(1000);
      expect(await lease.renew(a, { ttlMs: 1000 })).toBeNull();
      await lease.close();
    });

    it('gives strictly increasing fencing tokens across acquisitions, releases and expiries', async () => {
      const clock = manualClock();
      const lease = await open(clock.now);
      const tokens: number[] = [];
      for (let i = 0; i < 6; i++) {
        const g = (await lease.acquire('job.t', { holder: `H${i % 3}`, ttlMs: 500 }))!;
        tokens.push(g.token);
        if (i % 2 === 0) expect(await lease.release(g)).toBe(true);
        else clock.advance(500);
      }
      expect(tokens).toEqual([1, 2, 3, 4, 5, 6]);
      await lease.close();
    });

    it('release frees the key at once and is idempotent', async () => {
      const clock = manualClock();
      const lease = await open(clock.now);
      const a = (await lease.acquire('job.rel', { holder: 'A', ttlMs: 60_000 }))!;
      expect(await lease.release(a)).toBe(true);
      expect(await lease.release(a)).toBe(true);
      expect((await lease.inspect('job.rel'))?.holder).toBeNull();
      expect(await lease.renew(a, { ttlMs: 1000 })).toBeNull();
      const b = await lease.acquire('job.rel', { holder: 'B', ttlMs: 1000 });
      expect(b?.token).toBe(2);
      expect(await lease.release(a)).toBe(false);
      await lease.close();
    });

    it('records the completed period only under the current token, and hands it to the next holder', async () => {
      const clock = manualClock();
      const lease = await open(clock.now);
      const a = (await lease.acquire('job.c', { holder: 'A', ttlMs: 1000 }))!;
      expect(await lease.complete(a, { period: '2026-04-08T02:00:00.000Z' })).toBe(true);
      expect(await lease.release(a)).toBe(true);
      const b = (await lease.acquire('job.c', { holder: 'B', ttlMs: 1000 }))!;
      expect(b.completed).toBe('2026-04-08T02:00:00.000Z');
      clock.advance(1000);
      expect(await lease.complete(b, { period: '2026-04-08T03:00:00.000Z' })).toBe(false);
      expect((await lease.inspect('job.c'))?.completed).toBe('2026-04-08T02:00:00.000Z');
      await lease.close();
    });

    it('lets exactly one of many concurrent acquirers win', async () => {
      const clock = manualClock();
      const lease = await open(clock.now);
      const grants = await Promise.all(Array.from({ length: 12 }, (_, i) => lease.acquire('job.race', { holder: `H${i}`, ttlMs: 1000 })));
      expect(grants.filter((g) => g !== null)).toHaveLength(1);
      await lease.close();
    });

    it('refuses malformed arguments with TypeErrors', async () => {
      const lease = await open(manualClock().now);
      await expect(lease.acquire('bad key', { holder: 'A', ttlMs: 1000 })).rejects.toThrow(TypeError);
      await expect(lease.acquire('ok', { holder: '', ttlMs: 1000 })).rejects.toThrow(TypeError);
      await expect(lease.acquire('ok', { holder: 'A', ttlMs: 0 })).rejects.toThrow(TypeError);
      await expect(lease.renew({} as never, { ttlMs: 1000 })).rejects.toThrow(TypeError);
      await lease.close();
    });
  });
}

import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createMaintenanceRunner } from '@s3404/core/maintenance';
import { RedisLease } from '@s3404/core/redis';
import { passEveryPeriod, redisClientCut, repeatedCuts, watchedJob } from '@s3404/tooling/test-kit';

const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('a fleet of maintenance runners on a Redis lease whose connections keep being killed (issue 19)', () => {
  it('nothing thrown, never two holders of a job at once, every period run', async () => {
    // A failover, a restart, CLIENT KILL while the fleet passes: acquisitions, renewals and completions lose their
    // connection, and ioredis may send a script again once reconnected. Each runner has its own client, set as
    // `s3404 maintenance run --lease redis://…` sets its own (fail fast), named so that only they are killed.
    const name = `s3404-lease-cut-${process.pid}`;
    const prefix = `s3404-lease-cut-${process.pid}:`;
    let ms = Date.parse('2026-04-08T02:00:10.000Z');
    const clock = {
      now: (): Date => new Date(ms),
      advance: (d: number): void => {
        ms += d;
      },
    };
    const clients = [0, 1, 2].map(() => {
      const c = new Redis(REDIS, { connectionName: name, enableOfflineQueue: false, commandTimeout: 2000, connectTimeout: 2000, maxRetriesPerRequest: 1 });
      c.on('error', () => {});
      return c;
    });
    await Promise.all(clients.map((c) => new Promise((resolve) => c.once('ready', resolve))));
    const { job, ran, overlaps } = watchedJob();
    const leases = await Promise.all(clients.map((client) => RedisLease.open({ client, prefix, now: clock.now })));
    const runners = leases.map((lease, k) => createMaintenanceRunner({ lease, jobs: [job], holder: `i${k + 1}`, now: clock.now, leaseMs: 5000 }));
    const killer = new Redis(REDIS);
    const cuts = repeatedCuts(redisClientCut(killer, name), 20);
    let fleet: Awaited<ReturnType<typeof passEveryPeriod>>;
    try {
      // A reply lost in a kill may leave the lease held for its 5 s: the clock moves 1 s between passes; and a
      // client killed reconnects in its own time (its commands refused meanwhile): 10 ms of real time between passes.
      fleet = await passEveryPeriod({ runners, clock, periods: 10, everyMs: 60_000, ran: (p) => ran.has(p), stepMs: 1000, pauseMs: 10 });
    } finally {
      expect(await cuts.stop()).toBeGreaterThan(0);
    }
    try {
      expect(overlaps()).toBe(0);
      expect(fleet.periods.filter((p) => !ran.has(p))).toEqual([]);
      // What a pass may say meanwhile: ran, done, held by another, or a failure of the lease store (retried next pass).
      for (const o of fleet.outcomes.keys()) expect(o).toMatch(/^(ran|done|held|failed ERR_LEASE_STORE_UNAVAILABLE|lost ERR_LEASE_LOST)$/);
    } finally {
      const keys = await killer.keys(`${prefix}*`);
      if (keys.length > 0) await killer.del(...keys);
      killer.disconnect();
      for (const c of clients) c.disconnect();
    }
  }, 60_000);
});

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CoreError, RecordingTraceSink, isS3404Error } from '@s3404/core';
import { createMaintenanceRunner, MemoryLease, periodOf, type MaintenanceJob, type MaintenanceTraceAction } from '@s3404/core/maintenance';
import { PostgresLease } from '@s3404/core/postgres';
import { RedisLease } from '@s3404/core/redis';
import { leaseContract, manualClock } from './lease-contract.js';
import { RespClient } from './resp-client.js';
import { passEveryPeriod, postgresSessionCut, repeatedCuts, watchedJob } from '@s3404/tooling/test-kit';

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const pool = new pg.Pool({ connectionString: PG, max: 6 });
const redis = await RespClient.open(REDIS);
const tag = `lt${process.pid}`;
let n = 0;
const pgLeases: PostgresLease[] = [];

afterAll(async () => {
  for (const l of pgLeases) await l.dropTables();
  await pool.end();
  const keys = await redis.keys(`${tag}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

leaseContract('MemoryLease', async (now) => new MemoryLease({ now }));
leaseContract('PostgresLease', async (now) => {
  const lease = await PostgresLease.open({ pool, tablePrefix: `${tag}_${n++}_`, now });
  pgLeases.push(lease);
  return lease;
});
leaseContract('RedisLease', async (now) => RedisLease.open({ client: redis, prefix: `${tag}:${n++}:`, now }));

describe('PostgresLease and RedisLease specifics', () => {
  it('PostgresLease.fence locks the lease row inside the job transaction and refuses a lost lease with ERR_LEASE_LOST', async () => {
    const clock = manualClock();
    const lease = await PostgresLease.open({ pool, tablePrefix: `${tag}_${n++}_`, now: clock.now, locale: 'en' });
    pgLeases.push(lease);
    const a = (await lease.acquire('job.f', { holder: 'A', ttlMs: 1000 }))!;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await lease.fence(client, a);
      // While the fencing transaction is open, a takeover (after expiry) waits for it.
      clock.advance(1000);
      let taken = false;
      const takeover = lease.acquire('job.f', { holder: 'B', ttlMs: 1000 }).then((g) => {
        taken = true;
        return g;
      });
      await new Promise((r) => setTimeout(r, 150));
      expect(taken).toBe(false);
      await client.query('COMMIT');
      expect((await takeover)?.token).toBe(2);
      await client.query('BEGIN');
      const lost = await lease.fence(client, a).catch((e: unknown) => e);
      await client.query('ROLLBACK');
      expect(isS3404Error(lost) && lost.code).toBe('ERR_LEASE_LOST');
      expect((lost as Error).message).toMatch(/Lease lost for job job\.f \(token 1\)/);
    } finally {
      client.release();
    }
  });

  it('RedisLease: a step its driver sends twice (ioredis resends a command after a cut) answers as if sent once; another holder is still refused', async () => {
    const clock = manualClock();
    // The first reply lost with the connection, the command sent again on the new one: the caller hears the second.
    const twice = {
      eval: async (...a: Parameters<RespClient['eval']>) => {
        await redis.eval(...a);
        return redis.eval(...a);
      },
    };
    const prefix = `${tag}:${n++}:`;
    const resent = await RedisLease.open({ client: twice, prefix, now: clock.now });
    const once = await RedisLease.open({ client: redis, prefix, now: clock.now });
    const a = await resent.acquire('job.r', { holder: 'A', ttlMs: 1000 });
    expect(a).toMatchObject({ key: 'job.r', holder: 'A', token: 1, expiresAt: new Date(clock.now().getTime() + 1000) });
    expect(await once.acquire('job.r', { holder: 'B', ttlMs: 1000 })).toBeNull();
    // The same holder asking again later (not a resend) is refused, as the contract says.
    clock.advance(10);
    expect(await once.acquire('job.r', { holder: 'A', ttlMs: 1000 })).toBeNull();
    clock.advance(10);
    const renewed = await resent.renew(a!, { ttlMs: 1000 });
    expect(renewed).toMatchObject({ token: 1, expiresAt: new Date(clock.now().getTime() + 1000) });
    expect(await resent.complete(renewed!, { period: '2026-12-07' })).toBe(true);
    expect(await resent.release(renewed!)).toBe(true);
    const next = await resent.acquire('job.r', { holder: 'B', ttlMs: 1000 });
    expect(next).toMatchObject({ holder: 'B', token: 2, completed: '2026-12-07' });
  });

  it('RedisLease: two instances given the same seeded randomness (a deterministic set-up copied to each) never share a grant', async () => {
    const clock = manualClock();
    const prefix = `${tag}:${n++}:`;
    const seeded = (): ((b: Uint8Array) => Uint8Array) => (b) => b.fill(7);
    const one = await RedisLease.open({ client: redis, prefix, now: clock.now, random: seeded() });
    const two = await RedisLease.open({ client: redis, prefix, now: clock.now, random: seeded() });
    expect(await one.acquire('job.s', { holder: 'api-1', ttlMs: 1000 })).toMatchObject({ holder: 'api-1', token: 1 });
    // The same mark and number as the first instance's request: still another holder's request.
    expect(await two.acquire('job.s', { holder: 'api-2', ttlMs: 1000 })).toBeNull();
  });

  it('reports a backend failure as ERR_LEASE_STORE_UNAVAILABLE (kind unavailable) with the cause', async () => {
    const broken = {
      query: async () => Promise.reject(Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' })),
      connect: async () => Promise.reject(new Error('no')),
    };
    const e = await PostgresLease.open({ pool: broken as never }).catch((x: unknown) => x);
    expect(isS3404Error(e) && [e.code, e.kind]).toEqual(['ERR_LEASE_STORE_UNAVAILABLE', 'unavailable']);
    const r = await RedisLease.open({ client: { eval: async () => Promise.reject(new Error('Connection is closed.')) } });
    const f = await r.acquire('job', { holder: 'A', ttlMs: 10 }).catch((x: unknown) => x);
    expect(isS3404Error(f) && f.code).toBe('ERR_LEASE_STORE_UNAVAILABLE');
    expect((f as Error).cause).toBeInstanceOf(Error);
    await expect(PostgresLease.open({} as never)).rejects.toThrow(TypeError);
    await expect(RedisLease.open({ client: redis, prefix: 'bad prefix' })).rejects.toThrow(TypeError);
  });

  it('RedisLease: a lease key of another kind than its hash (edited behind its back) is ERR_LEASE_STORE_CORRUPT (kind internal), never a store to retry (issue 19)', async () => {
    const clock = manualClock();
    const prefix = `${tag}:${n++}:`;
    const lease = await RedisLease.open({ client: redis, prefix, now: clock.now, locale: 'en' });
    const grant = (await lease.acquire('job.w', { holder: 'A', ttlMs: 1000 }))!;
    // A string where the lease keeps its hash: Redis answers WRONGTYPE to every step, from inside the Lua script.
    await redis.command('SET', `${prefix}lease:job.w`, 'not a lease');
    const steps: [string, () => Promise<unknown>][] = [
      ['acquire', () => lease.acquire('job.w', { holder: 'B', ttlMs: 1000 })],
      ['renew', () => lease.renew(grant, { ttlMs: 1000 })],
      ['complete', () => lease.complete(grant, { period: '2026-04-08T02:00:00.000Z' })],
      ['release', () => lease.release(grant)],
      ['inspect', () => lease.inspect('job.w')],
    ];
    for (const [step, run] of steps) {
      const e = await run().catch((x: unknown) => x);
      expect(isS3404Error(e) && [e.code, e.kind], step).toEqual(['ERR_LEASE_STORE_CORRUPT', 'internal']);
      expect((e as Error).message, step).toBe(
        `Lease store inconsistent (redis ${step}: WRONGTYPE): it holds what the lease never writes; retrying will not help, an operator must look at it.`,
      );
      expect(String((e as Error).cause), step).toMatch(/WRONGTYPE/);
    }
    // The runner reports the job failed with that code, as it would a failure of the job itself.
    const runner = createMaintenanceRunner({ lease, jobs: [{ name: 'job.w', everyMs: 60_000, run: async () => ({ count: 0 }) }], holder: 'A', now: clock.now });
    const [run] = (await runner.runDue()).runs;
    expect(run).toMatchObject({ job: 'job.w', outcome: 'failed', code: 'ERR_LEASE_STORE_CORRUPT' });
    // The report says why, as the error does, in the runner's language (French by default): the store and its reply.
    expect(run!.message).toMatch(/^Stockage des baux incohérent \(redis inspect: WRONGTYPE\)/);
  });
});

describe('createMaintenanceRunner', () => {
  const job = (name: string, everyMs: number, log: string[], body?: (period: string) => Promise<void>): MaintenanceJob => ({
    name,
    everyMs,
    run: async (ctx) => {
      log.push(`${name}@${ctx.period}#${ctx.token}`);
      await body?.(ctx.period);
      await ctx.assertHeld();
      return { count: 3 };
    },
  });

  it('runs each job once per period whichever of several runners passes, and again in the next period', async () => {
    const clock = manualClock(Date.parse('2026-04-08T02:00:10.000Z'));
    const lease = new MemoryLease({ now: clock.now });
    const log: string[] = [];
    const jobs = [job('seal.sweep', 60_000, log), job('scor.tick', 300_000, log)];
    const runners = ['i1', 'i2', 'i3'].map((holder) => createMaintenanceRunner({ lease, jobs, holder, now: clock.now, leaseMs: 5000 }));
    for (let pass = 0; pass < 3; pass++) for (const r of runners) await r.runDue();
    expect(log).toEqual(['seal.sweep@2026-04-08T02:00:00.000Z#1', 'scor.tick@2026-04-08T02:00:00.000Z#1']);
    clock.advance(60_000);
    const reports = await Promise.all(runners.map((r) => r.runDue()));
    expect(log.slice(2)).toEqual(['seal.sweep@2026-04-08T02:01:00.000Z#2']);
    const outcomes = reports.flatMap((r) => r.runs.map((x) => `${x.job}:${x.outcome}`)).sort();
    expect(outcomes.filter((o) => o === 'seal.sweep:ran')).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith('scor.tick')).every((o) => o === 'scor.tick:done')).toBe(true);
    expect(periodOf(new Date('2026-04-08T09:31:20Z'), 3_600_000)).toBe('2026-04-08T09:00:00.000Z');
  });

  it('PostgreSQL connections cut again and again under three runners: nothing thrown, never two holders of a job at once, every period run', async () => {
    // A failover or a restart while a fleet's runners pass: the lease's acquisitions, heartbeats and completions fail.
    const tablePrefix = `${tag}_${n++}_`;
    const clock = manualClock(Date.parse('2026-04-08T02:00:10.000Z'));
    const pools = [0, 1, 2].map(() => {
      const p = new pg.Pool({ connectionString: PG, max: 2 });
      p.on('error', () => {}); // as docs/production.md asks of a pool given to a store
      return p;
    });
    const leases = await Promise.all(pools.map((p) => PostgresLease.open({ pool: p, tablePrefix, now: clock.now })));
    const { job, ran, overlaps } = watchedJob();
    const runners = ['i1', 'i2', 'i3'].map((holder, k) => createMaintenanceRunner({ lease: leases[k]!, jobs: [job], holder, now: clock.now, leaseMs: 5000 }));
    const cuts = repeatedCuts(postgresSessionCut(pool, tablePrefix), 3);
    let fleet: Awaited<ReturnType<typeof passEveryPeriod>>;
    try {
      // Passes until each period's job has run (the lease store may fail a few passes in a row).
      fleet = await passEveryPeriod({ runners, clock, periods: 10, everyMs: 60_000, ran: (p) => ran.has(p), stepMs: 1000 });
    } finally {
      expect(await cuts.stop()).toBeGreaterThan(0);
    }
    const { periods, outcomes } = fleet;
    expect(overlaps()).toBe(0);
    expect(periods.filter((p) => !ran.has(p))).toEqual([]);
    // What a pass may say meanwhile: ran, done, held by another, or a failure of the lease store (retried next pass).
    for (const o of outcomes.keys()) expect(o).toMatch(/^(ran|done|held|failed ERR_LEASE_STORE_UNAVAILABLE|lost ERR_LEASE_LOST)$/);
    expect(outcomes.get('failed ERR_LEASE_STORE_UNAVAILABLE')).toBeGreaterThan(0);
    for (const l of leases) await l.close();
    await leases[0]!.dropTables().catch(() => undefined);
    for (const p of pools) await p.end();
  }, 60_000);

  it('traces started and ended with the token and the count, in the core TraceEvent shape', async () => {
    const clock = manualClock();
    const trace = new RecordingTraceSink<MaintenanceTraceAction>();
    const runner = createMaintenanceRunner({
      lease: new MemoryLease({ now: clock.now }),
      jobs: [job('audit.checkpoint', 86_400_000, [])],
      now: clock.now,
      trace,
      holder: 'h',
    });
    const report = await runner.runDue();
    expect(report.runs).toEqual([{ job: 'audit.checkpoint', period: '2026-04-08T00:00:00.000Z', outcome: 'ran', token: 1, count: 3 }]);
    expect(trace.events.map((e) => [e.action, e.outcome, e.reason, e.count])).toEqual([
      ['maintenance.started', 'success', 'audit.checkpoint 2026-04-08T00:00:00.000Z token 1', undefined],
      ['maintenance.ended', 'success', 'audit.checkpoint 2026-04-08T00:00:00.000Z token 1', 3],
    ]);
    expect(trace.events[0]!.at).toBe(clock.now().toISOString());
    expect(trace.events[0]!.actor).toEqual({ personId: 'service', role: 'service', terminalId: 's3404-maintenance' });
  });

  it('a failing job is traced with its code, not recorded as done, and retried at the next pass', async () => {
    const clock = manualClock();
    const lease = new MemoryLease({ now: clock.now });
    const trace = new RecordingTraceSink<MaintenanceTraceAction>();
    let fail = true;
    const flaky: MaintenanceJob = {
      name: 'audit.purge',
      everyMs: 3_600_000,
      run: async () => {
        if (fail) {
          fail = false;
          throw Object.assign(new Error('store down'), { code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable', name: 'S3404Error' });
        }
        return { count: 1 };
      },
    };
    const runner = createMaintenanceRunner({ lease, jobs: [flaky], now: clock.now, trace });
    const first = await runner.runDue();
    expect(first.runs[0]!.outcome).toBe('failed');
    expect(trace.events.at(-1)).toMatchObject({ action: 'maintenance.failed', outcome: 'failure' });
    expect((await lease.inspect('audit.purge'))?.holder).toBeNull();
    const second = await runner.runDue();
    expect(second.runs[0]).toMatchObject({ outcome: 'ran', token: 2, count: 1 });
  });

  it("a failed job's report gives the coded error's message in the runner's locale; an error that is not the SDK's only its code", async () => {
    const clock = manualClock();
    const lease = new MemoryLease({ now: clock.now });
    const coded: MaintenanceJob = {
      name: 'lots.tick',
      everyMs: 60_000,
      run: async () => {
        throw new CoreError('ERR_LEASE_STORE_MISCONFIGURED', { params: { detail: 'postgres acquire: 42501 insufficient_privilege' } });
      },
    };
    // A driver's error can carry what must not be printed: a connection string with its password.
    const raw: MaintenanceJob = {
      name: 'audit.checkpoint',
      everyMs: 60_000,
      run: async () => {
        throw new Error('connect ECONNREFUSED postgres://app:s3cr3t@db:5432/s3404');
      },
    };
    const en = await createMaintenanceRunner({ lease, jobs: [coded, raw], now: clock.now, locale: 'en' }).runDue();
    expect(en.runs[0]).toMatchObject({ job: 'lots.tick', outcome: 'failed', code: 'ERR_LEASE_STORE_MISCONFIGURED' });
    expect(en.runs[0]!.message).toBe(
      'Lease store refused by its server (postgres acquire: 42501 insufficient_privilege): rights, schema or configuration to fix; retrying will not help.',
    );
    expect(en.runs[1]).toEqual({ job: 'audit.checkpoint', period: en.runs[1]!.period, outcome: 'failed', token: expect.any(Number), code: 'ERR_INTERNAL' });
    expect(JSON.stringify(en)).not.toContain('s3cr3t');
    clock.advance(60_000);
    const fr = await createMaintenanceRunner({ lease, jobs: [coded], now: clock.now }).runDue();
    expect(fr.runs[0]!.message).toMatch(/^Stockage des baux refusé par son serveur/);
  });

  it('a job whose lease is lost mid-run (expired, taken over) commits nothing: assertHeld throws ERR_LEASE_LOST, the period stays open', async () => {
    const clock = manualClock();
    const lease = new MemoryLease({ now: clock.now });
    const trace = new RecordingTraceSink<MaintenanceTraceAction>();
    let committed = 0;
    const slow: MaintenanceJob = {
      name: 'seal.sweep',
      everyMs: 60_000,
      run: async (ctx) => {
        clock.advance(2000); // the holder stalled past its lease…
        expect(await lease.acquire('seal.sweep', { holder: 'other', ttlMs: 2000 })).not.toBeNull(); // …and another instance took over
        await ctx.assertHeld();
        committed++;
      },
    };
    const runner = createMaintenanceRunner({ lease, jobs: [slow], now: clock.now, trace, leaseMs: 1000, heartbeatMs: 300 });
    const report = await runner.runDue();
    expect(report.runs[0]).toMatchObject({ outcome: 'lost', token: 1, code: 'ERR_LEASE_LOST' });
    expect(report.runs[0]!.message).toContain('seal.sweep');
    expect(committed).toBe(0);
    expect((await lease.inspect('seal.sweep'))?.completed).toBeNull();
    expect(trace.events.map((e) => e.action)).toEqual(['maintenance.started', 'maintenance.lease-lost', 'maintenance.failed']);
  });

  it('renews the lease while a long job runs (heartbeat), so no other instance takes it', async () => {
    const lease = new MemoryLease();
    let overlap = false;
    const long: MaintenanceJob = {
      name: 'scor.tick',
      everyMs: 3_600_000,
      run: async () => {
        for (let i = 0; i < 6; i++) {
          await new Promise((r) => setTimeout(r, 60));
          if ((await lease.acquire('scor.tick', { holder: 'intruder', ttlMs: 1000 })) !== null) overlap = true;
        }
      },
    };
    const runner = createMaintenanceRunner({ lease, jobs: [long], leaseMs: 150, heartbeatMs: 40 });
    expect((await runner.runDue()).runs[0]!.outcome).toBe('ran');
    expect(overlap).toBe(false);
  });

  it('start and stop run the loop; stop waits for the pass', async () => {
    const lease = new MemoryLease();
    const log: string[] = [];
    const runner = createMaintenanceRunner({ lease, jobs: [job('loop.job', 1, log)], pollMs: 20, leaseMs: 1000 });
    const reports: number[] = [];
    runner.start((r) => reports.push(r.runs.length));
    runner.start();
    await new Promise((r) => setTimeout(r, 120));
    await runner.stop();
    await runner.stop();
    const after = log.length;
    expect(after).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(log.length).toBe(after);
  });

  it('keeps looping when its reporter throws or rejects, and a pass never throws for a lease whose release throws at once', async () => {
    // A vendor's onReport (a logger that is down) used to end the loop with an unhandled rejection: the process died.
    const log: string[] = [];
    const runner = createMaintenanceRunner({ lease: new MemoryLease(), jobs: [job('reported.job', 1, log)], pollMs: 10, leaseMs: 1000 });
    let passes = 0;
    runner.start((r) => {
      passes++;
      if (passes === 1) throw new Error('logger down');
      // A reporter that returns a promise (typed `void`, as an async function passed by a vendor may be).
      if (passes === 2) return Promise.reject(new Error('metrics push failed')) as unknown as undefined;
      expect(r.runs[0]?.outcome).toBe('ran');
      return undefined;
    });
    await new Promise((r) => setTimeout(r, 150));
    await runner.stop();
    expect(passes).toBeGreaterThan(3);
    expect(log.length).toBeGreaterThan(3);
    // A lease whose release is not async and throws: the pass still reports, nothing escapes runDue.
    const memory = new MemoryLease();
    const brittle = Object.assign(Object.create(memory) as MemoryLease, {
      release: () => {
        throw new Error('connection reset');
      },
    });
    for (const m of ['acquire', 'renew', 'complete', 'inspect'] as const) Object.assign(brittle, { [m]: memory[m].bind(memory) });
    const once = createMaintenanceRunner({ lease: brittle, jobs: [job('brittle.job', 60_000, [])], leaseMs: 1000 });
    expect((await once.runDue()).runs).toMatchObject([{ job: 'brittle.job', outcome: 'ran', count: 3 }]);
  });

  it('refuses malformed options with TypeErrors', () => {
    const lease = new MemoryLease();
    const ok = { name: 'a', everyMs: 1000, run: async () => undefined };
    expect(() => createMaintenanceRunner(null as never)).toThrow(TypeError);
    expect(() => createMaintenanceRunner({ lease: {} as never, jobs: [] })).toThrow(TypeError);
    expect(() => createMaintenanceRunner({ lease, jobs: [ok, ok] })).toThrow(/two jobs/);
    expect(() => createMaintenanceRunner({ lease, jobs: [{ ...ok, everyMs: 0 }] })).toThrow(TypeError);
    expect(() => createMaintenanceRunner({ lease, jobs: [ok], leaseMs: 100, heartbeatMs: 100 })).toThrow(/heartbeatMs/);
    expect(() => createMaintenanceRunner({ lease, jobs: [{ ...ok, name: 'no spaces' }] })).toThrow(TypeError);
    expect(() => createMaintenanceRunner({ lease, jobs: [ok], now: new Date() as never })).toThrow(TypeError);
  });
});

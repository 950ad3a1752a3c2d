import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './harness.js';
import { png } from './png.js';
import { insuredSealArgs } from './seal-args.js';

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const work = mkdtempSync(join(tmpdir(), 's3404-maint-'));
const tag = `cm${process.pid}`;

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  // pg has no types in this package: typed by what is used.
  const driver = 'pg';
  const { default: pg } = (await import(driver)) as {
    default: { Pool: new (c: { connectionString: string }) => { query(q: string): Promise<unknown>; end(): Promise<void> } };
  };
  const pool = new pg.Pool({ connectionString: PG });
  await pool.query(`DROP TABLE IF EXISTS ${tag}_leases`);
  await pool.end();
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`${tag}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

interface Report {
  holder: string;
  runs: { job: string; period: string; outcome: string; token?: number; count?: number }[];
}

describe('s3404 maintenance run (issue 19)', () => {
  it('runs the seal sweep once per period across instances sharing a PostgreSQL or Redis lease', async () => {
    let clock = new Date('2026-04-08T02:00:30Z');
    const cli = cliIn(work, undefined, () => clock);
    for (const lease of [`${PG}?tablePrefix=${tag}_`, `${REDIS}?prefix=${tag}:`]) {
      const state = join(work, `state-${lease.slice(0, 5)}`);
      const first = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', lease, '--json']);
      expect(first.code, first.err).toBe(0);
      const a = JSON.parse(first.out) as Report;
      const period = new Date(Math.floor(clock.getTime() / 60_000) * 60_000).toISOString();
      expect(a.runs[0]).toMatchObject({ job: 'seal.sweep', period, outcome: 'ran', count: 0 });
      // A second instance in the same period: already done.
      const second = JSON.parse((await cli(['maintenance', 'run', '--once', '--state', state, '--lease', lease, '--json'])).out) as Report;
      expect(second.runs[0]).toMatchObject({ job: 'seal.sweep', outcome: 'done' });
      expect(second.holder).not.toBe(a.holder);
      clock = new Date(clock.getTime() + 60_000);
      const next = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', lease, '--lang', 'en']);
      expect(next.code, next.err).toBe(0);
      expect(next.out).toContain(`seal.sweep ${new Date(Math.floor(clock.getTime() / 60_000) * 60_000).toISOString()}: ran (0)`);
    }
  });

  it('sweeps what is due: a deposited record past its expiry is deleted by the maintenance run (default memory lease)', async () => {
    let clock = new Date();
    const cli = cliIn(work, undefined, () => clock);
    const pki = join(work, 'pki');
    const state = join(work, 'state-mem');
    expect((await cli(['pki', 'init', pki])).code).toBe(0);
    writeFileSync(join(work, 'sig.png'), png(120, 40));
    const sealed = await cli(insuredSealArgs(pki, '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', 'm.p7m'));
    expect(sealed.code, sealed.err).toBe(0);
    const dep = await cli(['record', 'deposit', 'm.p7m', '--trust', join(pki, 'ca.pem'), '--state', state, '--json']);
    expect(dep.code, dep.err).toBe(0);
    const early = await cli(['maintenance', 'run', '--once', '--state', state, '--lang', 'en']);
    expect(early.code, early.err).toBe(0);
    expect(early.out).toMatch(/^seal\.sweep \S+: ran \(0\)$/m);
    clock = new Date(clock.getTime() + 31 * 60_000);
    const late = await cli(['maintenance', 'run', '--once', '--state', state, '--lang', 'en']);
    expect(late.out).toMatch(/^seal\.sweep \S+: ran \(1\)$/m);
  });

  it('refuses a wrong command line with exit 2', async () => {
    const cli = cliIn(work);
    const state = ['--state', join(work, 'state-bad')];
    expect((await cli(['maintenance', '--once', ...state])).code).toBe(2);
    expect((await cli(['maintenance', 'start', ...state])).code).toBe(2);
    expect((await cli(['maintenance', 'run', '--once'])).code).toBe(2);
    const bad = await cli(['maintenance', 'run', '--once', ...state, '--lease', 'mysql://x', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out)).toMatchObject({ error: { code: 'ERR_USAGE_VALUE' } });
    const down = await cli(['maintenance', 'run', '--once', ...state, '--lease', 'redis://127.0.0.1:1', '--json']);
    expect(down.code).toBe(2);
    expect(JSON.parse(down.out)).toMatchObject({ error: { code: 'ERR_LEASE_STORE_UNAVAILABLE', kind: 'unavailable' } });
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `s3404 maintenance run` against a hostile environment, through the built
 * command (a real process: signals, a client left open, a hang): a malformed
 * lease prefix, a refused Redis login, a lease table locked by another
 * session, SIGTERM while a job runs.
 */
const BIN = resolve(import.meta.dirname, '../dist/bin.js');
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const work = mkdtempSync(join(tmpdir(), 's3404-maint-hostile-'));
const tag = `mh${process.pid}`;
const user = `${tag}user`;

interface PgClient {
  query(q: string): Promise<unknown>;
  end(): Promise<void>;
}
async function pgClient(): Promise<PgClient> {
  // pg has no types in this package: typed by what is used.
  const driver = 'pg';
  const { default: pg } = (await import(driver)) as { default: { Client: new (c: { connectionString: string }) => PgClient & { connect(): Promise<void> } } };
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  return c;
}

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  const c = await pgClient();
  await c.query(`DROP TABLE IF EXISTS ${tag}_leases, ${tag}s_pending, ${tag}s_tombstones, ${tag}s_sweep_outbox`);
  await c.end();
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS);
  await redis.call('ACL', 'DELUSER', user);
  const keys = await redis.keys(`${tag}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

interface Run {
  readonly code: number | null;
  readonly signal: string | null;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

/** Runs the built command; `onStart` gets the child (to signal it). Killed after `limitMs`: a hang shows as signal SIGKILL. */
function cli(args: string[], o: { limitMs?: number; onStart?: (kill: (s: NodeJS.Signals) => void) => void } = {}): Promise<Run> {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, S3404_LANG: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.limitMs ?? 15_000);
    o.onStart?.((s) => child.kill(s));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, out, err, ms: Date.now() - started });
    });
  });
}

describe('s3404 maintenance run, hostile input and environment', () => {
  it('four `maintenance run --once` started at once on one --state without --lease run each job once between them (a lease file in the state)', async () => {
    const state = join(work, 'overlap');
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => cli(['maintenance', 'run', '--once', '--state', state, '--json', '--lang', 'en'], { limitMs: 30_000 })),
    );
    const outcomes = new Map<string, string[]>();
    for (const r of runs) {
      expect(r.code, r.err).toBe(0);
      for (const x of (JSON.parse(r.out) as { runs: { job: string; outcome: string }[] }).runs)
        outcomes.set(x.job, [...(outcomes.get(x.job) ?? []), x.outcome]);
    }
    expect([...outcomes.keys()]).toEqual(['seal.sweep', 'seal.purge-tombstones']);
    // Each job ran in one process; the others found it held or already done, never ran it again.
    for (const [job, seen] of outcomes) {
      expect(
        seen.filter((o) => o === 'ran'),
        `${job}: ${seen.join(', ')}`,
      ).toHaveLength(1);
      expect(
        seen.every((o) => ['ran', 'held', 'done'].includes(o)),
        seen.join(', '),
      ).toBe(true);
    }
    // A later run in the same period: every job already done.
    const again = await cli(['maintenance', 'run', '--once', '--state', state, '--json']);
    expect((JSON.parse(again.out) as { runs: { outcome: string }[] }).runs.map((r) => r.outcome)).toEqual(['done', 'done']);
    // A --state that names a file: the user's to fix (exit 2, ERR_FILE_UNWRITABLE), not a lease store refused (exit 70).
    writeFileSync(join(work, 'state-is-a-file'), 'x');
    const notDir = await cli(['maintenance', 'run', '--once', '--state', join(work, 'state-is-a-file'), '--json', '--lang', 'en']);
    expect(notDir.code, notDir.out).toBe(2);
    expect((JSON.parse(notDir.out) as { error: { code: string } }).error.code).toBe('ERR_FILE_UNWRITABLE');
    // --lease memory, asked for explicitly, keeps to its own process.
    const memory = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', 'memory', '--json']);
    expect((JSON.parse(memory.out) as { runs: { outcome: string }[] }).runs.map((r) => r.outcome)).toEqual(['ran', 'ran']);
  });

  it('a malformed ?prefix= or ?tablePrefix= in --lease is a usage error (exit 2, ERR_USAGE_VALUE), never ERR_INTERNAL nor a process kept alive by its Redis client', async () => {
    const state = join(work, 'prefix');
    for (const lease of [`${REDIS}?prefix=`, `${REDIS}?prefix=a%20b`, `${PG}?tablePrefix=a;drop`, `${PG}?tablePrefix=9x`]) {
      const r = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', lease, '--json', '--lang', 'en'], { limitMs: 10_000 });
      expect(r.signal, lease).toBeNull();
      expect(r.code, lease).toBe(2);
      const e = (JSON.parse(r.out) as { error: { code: string; kind: string; message: string } }).error;
      expect(e.code, lease).toBe('ERR_USAGE_VALUE');
      expect(e.message, lease).toMatch(/^--lease expects \?(table)?[pP]refix= of /);
      expect(r.err).not.toMatch(/ERR_INTERNAL|TypeError|\n\s+at /);
    }
    const fr = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', `${REDIS}?prefix=`]);
    expect([fr.code, fr.err.split('\n')[0]]).toEqual([
      2,
      's3404 : --lease attend ?prefix= de 1 à 64 caractères parmi A-Z a-z 0-9 : _ { } . - (p. ex. clinique:) (reçu )',
    ]);
  });

  it('a Redis lease whose login is refused (WRONGPASS) is ERR_LEASE_STORE_MISCONFIGURED (exit 70), not an outage to retry; an ACL without EVAL fails each job with that code in valid JSON', async () => {
    const { Redis } = await import('ioredis');
    const admin = new Redis(REDIS);
    await admin.call('ACL', 'SETUSER', user, 'on', '>pw', '~*', '&*', '+@all', '-eval', '-evalsha');
    admin.disconnect();
    const url = new URL(REDIS);
    const as = (password: string): string => `redis://${user}:${password}@${url.host}?prefix=${tag}:`;
    const state = join(work, 'acl');
    for (const lang of ['en', 'fr']) {
      const r = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', as('wrong'), '--json', '--lang', lang]);
      expect(r.code).toBe(70);
      const e = (JSON.parse(r.out) as { error: { code: string; kind: string; message: string } }).error;
      expect([e.code, e.kind]).toEqual(['ERR_LEASE_STORE_MISCONFIGURED', 'internal']);
      expect(e.message).toContain('WRONGPASS');
      expect(e.message).toMatch(lang === 'en' ? /retrying will not help/ : /réessayer n'y changera rien/);
    }
    const refused = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', as('pw'), '--json', '--lang', 'en']);
    expect(refused.code).toBe(2);
    const report = JSON.parse(refused.out) as { runs: { job: string; outcome: string; code?: string; message?: string }[] };
    expect(report.runs.map((r) => [r.job, r.outcome, r.code])).toEqual([
      ['seal.sweep', 'failed', 'ERR_LEASE_STORE_MISCONFIGURED'],
      ['seal.purge-tombstones', 'failed', 'ERR_LEASE_STORE_MISCONFIGURED'],
    ]);
    // Each failed job says why (the ACL's refusal), in JSON and in the lines a person reads.
    for (const r of report.runs) expect(r.message).toMatch(/NOPERM.*retrying will not help/);
    const lines = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', as('pw'), '--lang', 'fr']);
    expect(lines.code).toBe(2);
    expect(lines.out).toMatch(/seal\.sweep \S+ : échec \[ERR_LEASE_STORE_MISCONFIGURED\] Stockage des baux refusé par son serveur \(redis \w+: NOPERM\)/);
  });

  it('a PostgreSQL lease table locked by another session fails each job with ERR_LEASE_STORE_UNAVAILABLE within seconds instead of hanging', async () => {
    const lease = `${PG}?tablePrefix=${tag}_`;
    const state = join(work, 'locked');
    expect((await cli(['maintenance', 'run', '--once', '--state', state, '--lease', lease])).code).toBe(0);
    const locker = await pgClient();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${tag}_leases IN ACCESS EXCLUSIVE MODE`);
      const r = await cli(['maintenance', 'run', '--once', '--state', state, '--lease', lease, '--json', '--lang', 'en'], { limitMs: 25_000 });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      const report = JSON.parse(r.out) as { runs: { outcome: string; code?: string }[] };
      expect(report.runs.map((x) => [x.outcome, x.code])).toEqual([
        ['failed', 'ERR_LEASE_STORE_UNAVAILABLE'],
        ['failed', 'ERR_LEASE_STORE_UNAVAILABLE'],
      ]);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  }, 30_000);

  it('SIGTERM while a job runs with --once: the job ends and gives its lease back, the next jobs are not started and named; a second run takes them at once', async () => {
    const lease = `${PG}?tablePrefix=${tag}_`;
    const store = `${PG}?tablePrefix=${tag}s_`;
    // A first run creates the store's tables; its periods are then reopened so that the next run has work.
    expect((await cli(['maintenance', 'run', '--once', '--store', store, '--lease', lease])).code).toBe(0);
    const admin = await pgClient();
    await admin.query(`UPDATE ${tag}_leases SET completed = NULL, holder = NULL`);
    // The sweep waits on the locked table of pending records: a job that runs for a while.
    const locker = await pgClient();
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${tag}s_pending IN ACCESS EXCLUSIVE MODE`);
    let unlocked: Promise<unknown> | undefined;
    const r = await cli(['maintenance', 'run', '--once', '--store', store, '--lease', lease, '--lang', 'en'], {
      onStart: (kill) => {
        setTimeout(() => kill('SIGTERM'), 1_500);
        unlocked = new Promise((ok) => setTimeout(ok, 3_000)).then(() => locker.query('ROLLBACK'));
      },
    });
    await unlocked;
    await locker.end();
    // Ended by itself, not by the signal, with the status a shell gives SIGTERM: the pass was not whole.
    expect(r.signal).toBeNull();
    expect(r.code).toBe(143);
    expect(r.out).toMatch(/^seal\.sweep \S+: ran \(0\)$/m);
    expect(r.out).not.toMatch(/^seal\.purge-tombstones /m);
    expect(r.err).toContain('Interrupted (SIGTERM): jobs not started: seal.purge-tombstones; the next run will do them.');
    const rows = (await admin.query(`SELECT key, holder FROM ${tag}_leases ORDER BY key`)) as { rows: { key: string; holder: string | null }[] };
    await admin.end();
    expect(rows.rows).toEqual([
      { key: 'seal.purge-tombstones', holder: null },
      { key: 'seal.sweep', holder: null },
    ]);
    const next = await cli(['maintenance', 'run', '--once', '--store', store, '--lease', lease, '--json']);
    const report = JSON.parse(next.out) as { runs: { job: string; outcome: string }[] };
    // The sweep's period is done (or a new minute began: it runs again); the purge is no longer "held" by a gone process.
    expect(['done', 'ran']).toContain(report.runs[0]?.outcome);
    expect(report.runs[1]).toMatchObject({ job: 'seal.purge-tombstones', outcome: 'ran' });
  }, 30_000);
});

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLotManager, type PackedLot } from '@s3404/scor';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
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
  await pool.query(`DROP TABLE IF EXISTS ${tag}_leases, ${tag}b_leases, ${tag}_pending, ${tag}_tombstones`);
  await pool.end();
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS);
  const keys = [...(await redis.keys(`${tag}:*`)), ...(await redis.keys(`${tag}s:*`))];
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

interface Report {
  holder: string;
  jobs: string[];
  runs: { job: string; period: string; outcome: string; token?: number; count?: number; code?: string }[];
}

/**
 * Registers, in the state's `scor/lots.sqlite`, a lot of `bytes` (its true SHA-256: the manager
 * checks it again as the container goes to the transport) whose first attempt failed at
 * `failedAt`, its B2 ARL positive: its retry is due 2 hours later (SCOR-3). The record.
 */
async function retryingLot(state: string, o: { lotId: string; b2LotNumber: string; bytes: Uint8Array; failedAt: Date }) {
  mkdirSync(join(state, 'scor'), { recursive: true });
  const lotStore = await SqliteLotStore.open({ path: join(state, 'scor', 'lots.sqlite') });
  try {
    const lot = {
      lotId: o.lotId,
      finess: '750300360',
      b2LotNumber: o.b2LotNumber,
      manifest: { totals: { invoices: 1, files: 1 } },
      manifestSha256: 'b'.repeat(64),
      container: {
        codec: 's3404-zip/1',
        fileName: 'LOT.zip',
        mediaType: 'application/zip',
        bytes: o.bytes,
        sha256: createHash('sha256').update(o.bytes).digest('hex'),
      },
    } as unknown as PackedLot;
    const failing = { id: 'down', send: () => Promise.reject(new Error('down')) };
    return await createLotManager({ store: lotStore, transport: failing, now: () => o.failedAt }).register(lot, {
      b2Arl: { kind: 'b2', finess: '750300360', b2LotNumber: o.b2LotNumber, positive: true, receivedAt: o.failedAt.toISOString() },
    });
  } finally {
    await lotStore.close();
  }
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

  it('wires every job the state holds: sweep, tombstone purge, SCOR tick, audit purge and checkpoint, each traced in the state’s chained trace', async () => {
    const start = new Date('2026-04-08T09:00:30Z');
    let clock = start;
    const cli = cliIn(work, undefined, () => clock);
    const pki = join(work, 'pki-all');
    const state = join(work, 'state-all');
    expect((await cli(['pki', 'init', pki])).code).toBe(0);
    writeFileSync(join(work, 'sig.png'), png(120, 40));
    expect((await cli(insuredSealArgs(pki, '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', 'all.p7m'))).code).toBe(0);
    const dep = await cli(['record', 'deposit', 'all.p7m', '--trust', join(pki, 'ca.pem'), '--state', state]);
    expect(dep.code, dep.err).toBe(0);
    // Two tombstones of the state's ledger: one claimed now, one 20 months later (SIG-5).
    const ledger = await SqliteConsumptionStore.open({ path: join(state, 'seal', 'consumption.sqlite') });
    for (const [i, claimedAt] of [start.toISOString(), '2027-12-08T09:00:00.000Z'].entries())
      await ledger.claim({
        recordId: `0000000${i}-0000-4000-8000-000000000000`,
        digest: String(i).repeat(64),
        target: 'bordereau:6R0ZQ-50K7C-AC6T4-JF0WA-04614-H',
        requestId: `r-${i}`,
        consumer: 'test',
        claimedAt,
      });
    await ledger.close();
    // A SCOR lot whose first attempt failed 3 hours ago: its retry is due (SCOR-3).
    const bytes = Uint8Array.from([0x50, 0x4b, 0x05, 0x06]);
    expect(
      await retryingLot(state, { lotId: '750300360-042-maint', b2LotNumber: '042', bytes, failedAt: new Date(start.getTime() - 3 * 3_600_000) }),
    ).toMatchObject({
      state: 'retrying',
      attempts: 1,
    });

    // The instances share a PostgreSQL lease: a second pass in the same period finds every job done.
    const keys = ['--cert', join(pki, 'seal-cert.pem'), '--key', join(pki, 'seal-key.pem'), '--lease', `${PG}?tablePrefix=${tag}b_`];
    const first = await cli(['maintenance', 'run', '--once', '--state', state, ...keys, '--json']);
    expect(first.code, first.err).toBe(0);
    const report = JSON.parse(first.out) as Report;
    const all = ['seal.sweep', 'seal.purge-tombstones', 'scor.tick', 'audit.purge', 'audit.checkpoint'];
    expect(report.jobs).toEqual(all);
    expect(report.runs.map((r) => [r.job, r.outcome, r.count])).toEqual([
      ['seal.sweep', 'ran', 0],
      ['seal.purge-tombstones', 'ran', 0],
      ['scor.tick', 'ran', 1],
      ['audit.purge', 'ran', 0],
      ['audit.checkpoint', 'ran', expect.any(Number)],
    ]);
    expect(report.runs[4]!.count).toBeGreaterThan(8); // the deposit's events and the pass's own, sealed
    // The lot went through the state's file-drop transport.
    expect(readFileSync(join(state, 'scor', 'outbox', '750300360-042-maint', 'attempt-2', 'LOT.zip'))).toEqual(Buffer.from(bytes));
    // The runner's events are in the state's trace, chained and sealed: the trace verifies.
    const trace = readFileSync(join(state, 'audit', 'trace.jsonl'), 'utf8');
    for (const action of ['maintenance.started', 'maintenance.ended', 'lot.sent', 'audit.retention-purge', 'audit.checkpoint'])
      expect(trace).toContain(`"action":"${action}"`);
    expect(trace).toContain('"reason":"scor.tick 2026-04-08T09:00:00.000Z token 1"');
    const verified = await cli(['audit', 'verify', '--state', state, '--trust', join(pki, 'ca.pem'), '--json']);
    expect(verified.code, verified.out).toBe(0);
    // The same period again, in English: every job already done, the jobs listed.
    const again = await cli(['maintenance', 'run', '--once', '--state', state, ...keys, '--lang', 'en']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`Jobs: ${all.join(', ')}\n`);
    expect(again.out).toMatch(/^scor\.tick 2026-04-08T09:00:00\.000Z: already done$/m);

    // 25 months later: the tombstone and the trace events older than the 24-month retention go (AUD-3).
    clock = new Date('2028-05-08T09:00:30Z');
    const late = await cli(['maintenance', 'run', '--once', '--state', state, ...keys, '--json']);
    expect(late.code, late.err).toBe(0);
    const runs = (JSON.parse(late.out) as Report).runs;
    expect(runs.find((r) => r.job === 'seal.purge-tombstones')).toMatchObject({ outcome: 'ran', count: 1 });
    expect(runs.find((r) => r.job === 'audit.purge')?.count).toBeGreaterThan(0);
    const kept = await SqliteConsumptionStore.open({ path: join(state, 'seal', 'consumption.sqlite') });
    expect(await kept.findTombstone({ recordId: '00000000-0000-4000-8000-000000000000' })).toBeNull();
    expect(await kept.findTombstone({ recordId: '00000001-0000-4000-8000-000000000000' })).not.toBeNull();
    await kept.close();
    const purged = await cli(['audit', 'verify', '--state', state, '--trust', join(pki, 'ca.pem'), '--json']);
    expect(purged.code, purged.out).toBe(0);
    expect(JSON.parse(purged.out)).toMatchObject({ start: 'checkpoint' });
  });

  it('wires only the jobs whose store the state holds; without --cert/--key, the trace gets the events but no audit job', async () => {
    const clock = new Date('2026-04-08T10:00:30Z');
    const cli = cliIn(work, undefined, () => clock);
    const bare = join(work, 'state-bare');
    const run = await cli(['maintenance', 'run', '--once', '--state', bare, '--json']);
    expect(run.code, run.err).toBe(0);
    expect((JSON.parse(run.out) as Report).jobs).toEqual(['seal.sweep', 'seal.purge-tombstones']);
    expect(existsSync(join(bare, 'scor'))).toBe(false);
    expect(existsSync(join(bare, 'audit'))).toBe(false);
    const human = await cli(['maintenance', 'run', '--once', '--state', bare]);
    expect(human.out).toContain('Tâches : seal.sweep, seal.purge-tombstones\n');

    // A state with a trace (a deposit traced it), no seal key: the runner's events are chained, no checkpoint job.
    const pki = join(work, 'pki-trace');
    const state = join(work, 'state-trace');
    expect((await cli(['pki', 'init', pki])).code).toBe(0);
    writeFileSync(join(work, 'sig.png'), png(120, 40));
    expect((await cli(insuredSealArgs(pki, '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', 't.p7m'))).code).toBe(0);
    expect((await cli(['record', 'deposit', 't.p7m', '--trust', join(pki, 'ca.pem'), '--state', state])).code).toBe(0);
    const traced = await cli(['maintenance', 'run', '--once', '--state', state, '--json', '--lang', 'en']);
    expect(traced.code, traced.err).toBe(0);
    expect((JSON.parse(traced.out) as Report).jobs).toEqual(['seal.sweep', 'seal.purge-tombstones']);
    expect(traced.err).toMatch(/--cert.*--key/);
    const trace = readFileSync(join(state, 'audit', 'trace.jsonl'), 'utf8');
    expect(trace.match(/"action":"maintenance\.(started|ended)"/g)).toHaveLength(4);
    const verified = await cli(['audit', 'verify', '--state', state, '--json']);
    expect(verified.code, verified.out).toBe(0);
    // --cert/--key sign the state's trace: refused with --store.
    const seal = ['--cert', join(pki, 'seal-cert.pem'), '--key', join(pki, 'seal-key.pem')];
    const store = await cli(['maintenance', 'run', '--once', '--store', `sqlite:${join(work, 'x.sqlite')}`, ...seal, '--json']);
    expect(JSON.parse(store.out)).toMatchObject({ error: { code: 'ERR_USAGE' } });
    expect(store.code).toBe(2);
  });

  it('a lot whose stored container was altered behind the SDK’s back: scor.tick fails (exit 2), names the lot, sends nothing; restored, it goes', async () => {
    const start = new Date('2026-04-09T09:00:30Z');
    let clock = start;
    const cli = cliIn(work, undefined, () => clock);
    const state = join(work, 'state-altered');
    // A state with its trace (as `record deposit` starts it): the runner's and the lots' events go there.
    mkdirSync(join(state, 'audit'), { recursive: true });
    writeFileSync(join(state, 'audit', 'trace.jsonl'), '');
    // A retry due now: the first attempt failed 3 hours ago.
    const bytes = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, 1, 2, 3, 4]);
    const lot = { lotId: '750300360-043-altered' };
    await retryingLot(state, { lotId: lot.lotId, b2LotNumber: '043', bytes, failedAt: new Date(start.getTime() - 3 * 3_600_000) });
    // One byte of the stored container changed by hand (a disk, a restore, an operator's UPDATE).
    const db = new Database(join(state, 'scor', 'lots.sqlite'));
    db.prepare("UPDATE containers SET bytes = x'504b0506010203ff' WHERE lot_id = ?").run(lot.lotId);
    db.close();

    const run = await cli(['maintenance', 'run', '--once', '--state', state, '--json']);
    expect(run.code, run.err).toBe(2);
    expect((JSON.parse(run.out) as Report).runs.find((r) => r.job === 'scor.tick')).toMatchObject({ outcome: 'failed', code: 'ERR_MAINTENANCE_LOTS_FAILED' });
    expect(run.err).toContain(`lot ${lot.lotId} : non traité [ERR_LOT_STORE_CORRUPT]`);
    // Nothing in the outbox: no file, no folder of the failed attempt.
    const outbox = join(state, 'scor', 'outbox');
    expect(existsSync(outbox) ? readdirSync(outbox) : []).toEqual([]);
    const trace = readFileSync(join(state, 'audit', 'trace.jsonl'), 'utf8');
    expect(trace).toMatch(/"action":"lot\.sent".*"code":"ERR_LOT_STORE_CORRUPT"/);
    expect(trace).toMatch(/"action":"maintenance\.failed".*"code":"ERR_MAINTENANCE_LOTS_FAILED"/);

    // The container restored (from a backup): the lot goes with its next retry, in English this time.
    const fixed = new Database(join(state, 'scor', 'lots.sqlite'));
    fixed.prepare('UPDATE containers SET bytes = ? WHERE lot_id = ?').run(Buffer.from(bytes), lot.lotId);
    fixed.close();
    clock = new Date(start.getTime() + 24 * 3_600_000);
    const again = await cli(['maintenance', 'run', '--once', '--state', state, '--lang', 'en']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/^scor\.tick \S+: ran \(1\)$/m);
    expect(again.err).not.toContain('not handled');
    const sent = readdirSync(join(outbox, lot.lotId), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    expect(sent.map((d) => join(d.parentPath, d.name))).toEqual([join(outbox, lot.lotId, 'attempt-3', 'LOT.zip')]);
    expect(readFileSync(join(outbox, lot.lotId, 'attempt-3', 'LOT.zip'))).toEqual(Buffer.from(bytes));
  });

  it('names a lot whose id carries control characters without letting them reach the terminal', async () => {
    const start = new Date('2026-04-10T09:00:30Z');
    const cli = cliIn(work, undefined, () => start);
    const state = join(work, 'state-hostile');
    const bytes = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, 9, 9]);
    const failedAt = new Date(start.getTime() - 3 * 3_600_000);
    // Twelve lots, every container altered; the first one's id then rewritten in the file (the SDK refuses such an id
    // at register) with a terminal escape (clear screen) and a newline: that row no longer reads as a lot.
    const ids = Array.from({ length: 12 }, (_, i) => `750300360-05${i}-n${i}`);
    for (const [i, lotId] of ids.entries()) await retryingLot(state, { lotId, b2LotNumber: String(60 + i), bytes, failedAt });
    const db = new Database(join(state, 'scor', 'lots.sqlite'));
    db.prepare("UPDATE containers SET bytes = x'00'").run();
    db.pragma('foreign_keys = OFF');
    db.prepare('UPDATE lots SET lot_id = ? WHERE lot_id = ?').run('750300360-050-\u001b[2J\nforged', ids[0]);
    db.close();
    const run = await cli(['maintenance', 'run', '--once', '--state', state, '--lang', 'en']);
    expect(run.code, run.err).toBe(2);
    expect(run.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(run.err).toContain('lot 750300360-050-\uFFFD[2J\uFFFDforged: not handled [ERR_LOT_STORE_CORRUPT]');
    expect(run.err.split('\n').filter((l) => l.endsWith('not handled [ERR_LOT_STORE_CORRUPT]'))).toHaveLength(12);
    // The failed job's line says why after its code, the forged id's control characters made visible there too.
    expect(run.out).toMatch(
      /^scor\.tick \S+: failed \[ERR_MAINTENANCE_LOTS_FAILED\] scor\.tick: 12 lot\(s\) not handled: 750300360-050-\uFFFD\[2J\uFFFDforged /m,
    );
    expect(run.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('warns when a shared --store runs under the default memory lease, and not with a --lease on a server', async () => {
    const clock = new Date('2026-04-08T11:00:30Z');
    const cli = cliIn(work, undefined, () => clock);
    for (const store of [`${PG}?tablePrefix=${tag}_`, `${REDIS}?prefix=${tag}s:`]) {
      const fr = await cli(['maintenance', 'run', '--once', '--store', store]);
      expect(fr.code, fr.err).toBe(0);
      expect(fr.err).toMatch(/^Attention : .*--lease/m);
      const en = await cli(['maintenance', 'run', '--once', '--store', store, '--lease', 'memory', '--lang', 'en', '--json']);
      expect(en.code, en.err).toBe(0);
      expect(en.err).toMatch(/^Warning: .*--lease/m);
      expect((JSON.parse(en.out) as Report).jobs).toEqual(['seal.sweep', 'seal.purge-tombstones']);
      const leased = await cli(['maintenance', 'run', '--once', '--store', store, '--lease', `${PG}?tablePrefix=${tag}_`]);
      expect(leased.code, leased.err).toBe(0);
      expect(leased.err).toBe('');
    }
    // A local store (SQLite) is not shared across machines: no warning.
    const local = await cli(['maintenance', 'run', '--once', '--store', `sqlite:${join(work, 'local.sqlite')}`]);
    expect(local.err).toBe('');
  });
});

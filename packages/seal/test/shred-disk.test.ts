import { type ChildProcess, spawn } from 'node:child_process';
import { constants, accessSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withImageData } from '@s3404/tooling/png-kit';
import { createBordereauId } from '@s3404/core';
import { parseBordereau } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { createCapture, createConsumer, type ConsumptionStore, type PendingCipherCrypto, type SealedRecord, type Stroke } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { PostgresConsumptionStore } from '@s3404/seal/postgres';
import { RedisConsumptionStore } from '@s3404/seal/redis';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { clearTextCipher, describeHits, NeedleSet, scanForNeedles, type NeedleHit, type ScanReport } from './disk-scan.js';
import { at, FINESS, fixture, makePng, prng, T0, type Fixture } from './helpers.js';
import type { JobRecord, ShredEvent, ShredJob } from './workers/shred-worker.js';

/**
 * Evidence for SIG-6 (issue 15): no signature image survives its use on any
 * storage server. Pending records are crypto-shredded, so what a store writes
 * to disk — PostgreSQL's heap, TOAST and WAL, Redis's append-only file and
 * snapshot, SQLite's database, WAL and shared-memory files — must hold no run
 * of any record's PNG, of its base64 text, or of its strokes' JSON, whatever
 * became of the record: used, expired, abandoned after a claim, still
 * pending, or caught by a SIGKILL at any instant.
 *
 * Every record of a run carries an image of random pixels and strokes of
 * random coordinates, unique to the run (older code left plaintext in the
 * PostgreSQL WAL). Every scan also proves it can see: a marker written and
 * deleted in the same files is found by the same scan, and the same records
 * written through an identity "cipher" are found too.
 */

const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_SERVER = process.env['S3404_TEST_REDIS_SERVER'] ?? '/usr/bin/redis-server';
const TRIALS = Number(process.env['S3404_SHRED_TRIALS'] ?? 12);
/** Records per store and trial. */
const PER_STORE = 4;
/** How long a child's save of a signed PDF lasts in the trials, ms. */
const SAVE_DELAY_MS = 60;
const TTL_SECONDS = 600;
const GRACE_SECONDS = 60;
const WORKER = join(import.meta.dirname, 'workers/shred-worker.ts');
const work = mkdtempSync(join(tmpdir(), 's3404-shred-'));
mkdirSync(join(work, 'jobs'));
mkdirSync(join(work, 'out'));
/** Names this run's tables and keys: lowercase, short (PostgreSQL table prefixes). */
const runTag = `shred${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const random = (b: Uint8Array): Uint8Array => {
  for (let o = 0; o < b.length; o += 65536) crypto.getRandomValues(b.subarray(o, Math.min(b.length, o + 65536)));
  return b;
};

// ---------------------------------------------------------------------------
// Distinctive records and their needles

interface Distinctive {
  readonly png: Uint8Array;
  readonly base64: string;
  readonly strokes: Stroke[];
}

/** A 200×50 PNG of random grey pixels (about 10 KB, incompressible) and two strokes of random coordinates. */
function distinctiveCapture(width = 200, height = 50): Distinctive {
  const raw = random(new Uint8Array((width + 1) * height));
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0; // filter: none
  const png = withImageData(makePng(width, height), new Uint8Array(deflateSync(raw)));
  const r = new Uint32Array(128);
  random(new Uint8Array(r.buffer));
  let k = 0;
  const next = (): number => r[k++]! / 2 ** 32;
  const coordinate = (max: number): number => Math.round(next() * max * 1e4) / 1e4;
  let t = 0;
  const point = (): [number, number, number, number] => {
    t += 7 + Math.floor(next() * 40);
    return [coordinate(width), coordinate(height), t, Math.round(next() * 1e4) / 1e4];
  };
  const strokes = [0, 1].map(() => ({ pointerType: 'pen' as const, points: Array.from({ length: 12 }, point) }));
  return { png, base64: Buffer.from(png).toString('base64'), strokes };
}

/**
 * The needles of a record: windows of its PNG, of its base64 text (the
 * record's JSON holds the image so) and of its strokes' JSON (RFC 8785
 * numbers are JavaScript's). The PNG's signature, header, first bytes of the
 * zlib stream and trailer are left out: every PNG of this size shares them.
 */
function addNeedles(set: NeedleSet, label: string, d: Distinctive, stride: number): void {
  set.add(`${label} png`, d.png, { start: 64, end: d.png.length - 24, stride });
  set.addText(`${label} base64`, d.base64.slice(88, -32), { stride });
  for (const [i, s] of d.strokes.entries()) set.addText(`${label} strokes[${i}]`, JSON.stringify(s.points), { stride: 24 });
}

interface Made {
  readonly label: string;
  readonly sealed: SealedRecord;
  readonly d: Distinctive;
  readonly bordereau: Bordereau;
}
interface Bordereau {
  readonly bordereauId: string;
  /** The content hash of its rendered PDF, which its records are sealed for (SIG-4). */
  readonly contentHash: string;
  readonly pdf: Uint8Array;
  readonly path: string;
}

let f: Fixture;
let ca: Uint8Array;
const bordereaux: Bordereau[] = [];
let signers = 0;

/** Seals a distinctive capture of an insured person for one of the rendered bordereaux. */
async function seal(label: string, k = signers): Promise<Made> {
  const bordereau = bordereaux[k % bordereaux.length]!;
  const d = distinctiveCapture();
  const ctx = await f.sealer.openContext({
    scope: { kind: 'bordereau', bordereauId: bordereau.bordereauId, contentHash: bordereau.contentHash },
    role: 'insured',
    signer: { id: `patient-${signers++}`, name: 'Jeanne Martin' },
    terminalId: 'tablette-3',
  });
  const sealed = await f.sealer.seal(createCapture(ctx, { image: d.png, capturedAt: at(5), strokes: d.strokes }));
  return { label, sealed, d, bordereau };
}

function needlesOf(made: readonly Made[], stride = 64): NeedleSet {
  const set = new NeedleSet();
  for (const m of made) addNeedles(set, m.label, m.d, stride);
  return set;
}

const targetOf = (m: Made) => ({ bordereauId: m.bordereau.bordereauId, contentHash: m.bordereau.contentHash });
const ascii = (b: Uint8Array, n: number): string => Buffer.from(b.subarray(0, n)).toString('latin1');
const leaksIn = (report: ScanReport, prefix = ''): NeedleHit[] => report.hits.filter((h) => !h.label.startsWith('marker') && h.label.startsWith(prefix));
const markersIn = (report: ScanReport): NeedleHit[] => report.hits.filter((h) => h.label.startsWith('marker'));
const onlyLeaks = (report: ScanReport): ScanReport => ({ ...report, hits: leaksIn(report) });
/** A random marker of `chars` base64url characters (incompressible). */
const randomMarker = (chars: number): string =>
  Buffer.from(random(new Uint8Array(Math.ceil((chars * 3) / 4))))
    .toString('base64url')
    .slice(0, chars);

/**
 * One record of each fate on a store, through the public consumer at an
 * injected clock: one used with `applySignature`, one expired and swept, one
 * abandoned (claimed, its save failed, swept after the grace), one left
 * pending. Returns them in that order.
 */
async function fourFates(store: ConsumptionStore, label: string, cipher?: PendingCipherCrypto): Promise<Made[]> {
  const clock = { now: at(10) };
  const common = { store, trustAnchors: [ca], now: () => clock.now, claimGraceSeconds: GRACE_SECONDS, ...(cipher === undefined ? {} : { crypto: cipher }) };
  const consumer = createConsumer({ ...common, ttlSeconds: TTL_SECONDS });
  const shortLived = createConsumer({ ...common, ttlSeconds: GRACE_SECONDS });
  const used = await seal(`${label} used`);
  const expired = await seal(`${label} expired`);
  const abandoned = await seal(`${label} abandoned`);
  const pending = await seal(`${label} pending`);
  const all = [used, expired, abandoned, pending];
  // The needles are what the sealed record holds: its base64 image and its strokes.
  const own = needlesOf(all)
    .find(used.sealed.bytes)
    .map((h) => h.label.replace(/@\d+$/, ''));
  expect(new Set(own)).toEqual(new Set([`${label} used base64`, `${label} used strokes[0]`, `${label} used strokes[1]`]));

  const deposit = await consumer.deposit(used.sealed);
  await shortLived.deposit(expired.sealed);
  await consumer.deposit(abandoned.sealed);
  await consumer.deposit(pending.sealed);
  for (const m of all) {
    const held = (await store.getPending(m.sealed.recordId))!.bytes;
    expect(ascii(held, 4)).toBe('S3PE');
    if (cipher === undefined) expect(needlesOf([m]).find(held)).toEqual([]);
  }
  const applied = await applySignature(consumer, {
    input: { handle: deposit.handle },
    pdf: used.bordereau.pdf,
    requestId: `${label}:used`,
    save: () => undefined,
  });
  expect(applied).toMatchObject({ status: 'applied', recordId: used.sealed.recordId, resumed: false });
  await expect(
    applySignature(consumer, {
      input: { recordId: abandoned.sealed.recordId },
      pdf: abandoned.bordereau.pdf,
      requestId: `${label}:abandoned`,
      save: () => {
        throw new Error('disk full');
      },
    }),
  ).rejects.toMatchObject({ code: 'ERR_CONSUME_INCOMPLETE' });
  // Past the short TTL and the claim grace: the sweeper takes the expired and the abandoned.
  clock.now = at(10 + 2 * GRACE_SECONDS);
  expect(await consumer.sweep()).toEqual({ expired: 1, abandoned: 1 });
  expect(await store.countPending()).toBe(1);
  expect(await store.getPending(pending.sealed.recordId)).not.toBeNull();
  expect(await store.findTombstone({ recordId: used.sealed.recordId })).toMatchObject({ completedAt: at(10).toISOString() });
  expect(await store.findTombstone({ recordId: abandoned.sealed.recordId })).not.toHaveProperty('completedAt');
  expect(await store.findTombstone({ recordId: expired.sealed.recordId })).toBeNull();
  await expect(consumer.consume({ handle: deposit.handle }, { target: targetOf(used), requestId: `${label}:again` })).rejects.toMatchObject({
    code: 'ERR_RECORD_REPLAYED',
  });
  await expect(
    consumer.consume({ recordId: abandoned.sealed.recordId }, { target: targetOf(abandoned), requestId: `${label}:abandoned` }),
  ).rejects.toMatchObject({
    code: 'ERR_RECORD_EXPIRED',
  });
  return all;
}

// ---------------------------------------------------------------------------
// Child processes

interface Child {
  readonly events: ShredEvent[];
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; fatal?: string }>;
  go(): void;
  kill(): void;
}
const children = new Set<ChildProcess>();
/** How a child starts: `node` and these arguments, then the job file. */
let workerArgs = ['--conditions=@s3404/source', '--import', 'tsx', WORKER];

/**
 * Bundles the worker once from the TypeScript sources (the `@s3404/source`
 * condition, as tsx would load them) with the esbuild of `@s3404/tooling`,
 * the database drivers left to Node: a child then starts in about a third of
 * tsx's time, which is what makes fifty trials per store affordable. Without
 * that esbuild, children run through tsx.
 */
async function bundleWorker(): Promise<void> {
  let esbuild: { build(options: object): Promise<unknown> };
  try {
    esbuild = createRequire(join(import.meta.dirname, '../../tooling/package.json'))('esbuild');
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
    console.warn('shred-disk: esbuild not found in @s3404/tooling: the workers run through tsx (slower)');
    return;
  }
  const here = createRequire(import.meta.url);
  const drivers = new Map(['pg', 'ioredis', 'better-sqlite3'].map((name) => [name, here.resolve(name)]));
  const outfile = join(work, 'shred-worker.cjs');
  await esbuild.build({
    entryPoints: [WORKER],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['@s3404/source'],
    outfile,
    logLevel: 'error',
    plugins: [
      {
        name: 'drivers-from-node-modules',
        setup(build: { onResolve(o: { filter: RegExp }, f: (a: { path: string }) => { path: string; external: boolean }): void }) {
          build.onResolve({ filter: /^(pg|ioredis|better-sqlite3)$/ }, (a) => ({ path: drivers.get(a.path)!, external: true }));
        },
      },
    ],
  });
  workerArgs = [outfile];
}

function startChild(job: ShredJob): Child {
  const file = join(work, 'jobs', `${job.tag}.json`);
  writeFileSync(file, JSON.stringify(job));
  const child = spawn(process.execPath, [...workerArgs, file], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  const events: ShredEvent[] = [];
  let fatal: string | undefined;
  let out = '';
  let stderr = '';
  let markReady = (): void => {};
  let markDone = (): void => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const done = new Promise<void>((r) => (markDone = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      const event = JSON.parse(line) as ShredEvent | { e: 'fatal'; message: string };
      if (event.e === 'fatal') fatal = event.message;
      else events.push(event);
      if (event.e === 'ready') markReady();
      if (event.e === 'done') markDone();
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; fatal?: string }>((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      markReady();
      markDone();
      resolve({ code, signal, stderr, ...(fatal === undefined ? {} : { fatal }) });
    }),
  );
  return { events, ready, done, exited, go: () => child.stdin!.write('go\n'), kill: () => child.kill('SIGKILL') };
}

function jobRecord(m: Made, extra: { share?: boolean; handle?: string } = {}): JobRecord {
  const { bytes, ...fields } = m.sealed;
  return { ...fields, bytes: Buffer.from(bytes).toString('base64'), pdf: m.bordereau.path, ...extra };
}

function job(tag: string, steps: ShredJob['steps'], stores: ShredJob['stores']): ShredJob {
  return {
    tag,
    ca: Buffer.from(ca).toString('base64'),
    now: at(10).toISOString(),
    ttlSeconds: TTL_SECONDS,
    claimGraceSeconds: GRACE_SECONDS,
    steps,
    outDir: join(work, 'out'),
    stores,
  };
}

// ---------------------------------------------------------------------------
// Servers

let admin: pg.Pool;
let pgDataDir = '';
/** Why the PostgreSQL data directory cannot be scanned here, if it cannot. */
let pgUnscannable: string | undefined;
const pgPrefixes: string[] = [];
const pgStores: ConsumptionStore[] = [];
const pgPrefix = (name: string): string => {
  const prefix = `${runTag}_${name}_`;
  pgPrefixes.push(prefix);
  return prefix;
};
const pgUrl = (tablePrefix: string): string => {
  const u = new URL(PG);
  u.searchParams.set('tablePrefix', tablePrefix);
  return u.toString();
};

/** Whether a process of this host is alive. */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** The physical replication slot that keeps this file's WAL in `pg_wal` while it runs. */
const walSlot = `s3404_shred_${process.pid}`;

/** Makes everything written so far durable in the data files and closes the WAL segment. */
async function flushPostgres(): Promise<void> {
  await admin.query('CHECKPOINT');
  await admin.query('SELECT pg_switch_wal()');
  await admin.query('CHECKPOINT');
}

let redis: ChildProcess | undefined;
let redisDir = '';
let redisUrl = '';
let redisUnavailable: string | undefined;
let redisAdmin: Redis | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function accepting(port: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
      s.connect(port, '127.0.0.1');
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function startRedis(): Promise<void> {
  if (!existsSync(REDIS_SERVER)) {
    redisUnavailable = `no redis-server at ${REDIS_SERVER} (set S3404_TEST_REDIS_SERVER): the Redis disk evidence was not run`;
    return;
  }
  const port = await freePort();
  redisDir = mkdtempSync(join(tmpdir(), 's3404-shred-redis-'));
  // Append-only, every write fsynced, no automatic snapshot nor rewrite: the AOF is the whole history.
  redis = spawn(
    REDIS_SERVER,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      redisDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--auto-aof-rewrite-percentage',
      '0',
      '--daemonize',
      'no',
    ],
    { stdio: 'ignore' },
  );
  if (!(await accepting(port, 10_000))) throw new Error(`redis-server did not start on port ${port}`);
  redisUrl = `redis://127.0.0.1:${port}`;
  redisAdmin = new Redis(redisUrl);
  expect(await redisAdmin.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
}

// ---------------------------------------------------------------------------

beforeAll(async () => {
  f = await fixture({ overrides: { random } });
  ca = f.pki.ca.certificate;
  const example = JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/data/mco-chirurgie-pth.json'), 'utf8')) as Record<string, any>;
  for (let k = 0; k < 4; k++) {
    const b = structuredClone(example);
    b.id = createBordereauId({ random });
    b.establishment.finess = FINESS;
    const rendered = await renderBordereauPdf(parseBordereau(b), { now: () => T0 });
    const pdf = rendered.bytes;
    const path = join(work, `bordereau-${k}.pdf`);
    writeFileSync(path, pdf);
    bordereaux.push({ bordereauId: b.id as string, contentHash: rendered.contentHash, pdf, path });
  }
  admin = new pg.Pool({ connectionString: PG, max: 2 });
  const { rows } = await admin.query<{ data_directory: string }>('SHOW data_directory');
  pgDataDir = rows[0]!.data_directory;
  try {
    accessSync(pgDataDir, constants.R_OK | constants.X_OK);
    readdirSync(join(pgDataDir, 'pg_wal'));
  } catch (e) {
    pgUnscannable = `the PostgreSQL data directory ${pgDataDir} is not readable by this user (${(e as { code?: string }).code}): run as root or as postgres on the server's host`;
  }
  // Every WAL segment written from now on stays in pg_wal until the slot is dropped: without it a
  // checkpoint may recycle, and other tests' writes overwrite, the segments this file scans.
  // A slot left by a run that died would keep WAL forever: drop those whose process is gone.
  const { rows: slots } = await admin.query<{ slot_name: string }>("SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 's3404_shred_%'");
  for (const { slot_name } of slots) {
    const pid = Number(slot_name.slice('s3404_shred_'.length));
    if (!processAlive(pid)) await admin.query('SELECT pg_drop_replication_slot($1)', [slot_name]);
  }
  await admin.query('SELECT pg_create_physical_replication_slot($1, true)', [walSlot]);
  await startRedis();
  await bundleWorker();
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const s of pgStores) await s.close();
  if (admin !== undefined) {
    await admin.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [walSlot]);
    for (const tablePrefix of pgPrefixes) {
      await admin.query(`DROP TABLE IF EXISTS ${tablePrefix}scratch`);
      const store = await PostgresConsumptionStore.open({ pool: admin, tablePrefix, createTables: false });
      await store.dropTables();
    }
    await admin.end();
  }
  redisAdmin?.disconnect();
  redis?.kill('SIGKILL');
  if (redisDir !== '') rmSync(redisDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('PostgreSQL: heap, TOAST and WAL hold no image of any record (SIG-6)', () => {
  it('used, expired, abandoned or pending: no needle in the data directory, where a deleted marker is found', async (ctx) => {
    if (pgUnscannable !== undefined) ctx.skip(pgUnscannable);
    const tablePrefix = pgPrefix('fates');
    const store = await PostgresConsumptionStore.open({ connectionString: PG, tablePrefix });
    pgStores.push(store);
    const made = await fourFates(store, 'pg');
    // Not blind: a marker large enough for TOAST, stored out of line uncompressed, written then deleted.
    const marker = randomMarker(4096);
    await admin.query(`CREATE TABLE ${tablePrefix}scratch (id int, marker text)`);
    await admin.query(`ALTER TABLE ${tablePrefix}scratch ALTER COLUMN marker SET STORAGE EXTERNAL`);
    await admin.query(`INSERT INTO ${tablePrefix}scratch VALUES (1, $1)`, [marker]);
    await admin.query(`DELETE FROM ${tablePrefix}scratch`);
    await flushPostgres();
    const needles = needlesOf(made).addText('marker', marker, { stride: 256 });
    const report = scanForNeedles(pgDataDir, needles);
    expect(leaksIn(report), describeHits(onlyLeaks(report))).toEqual([]);
    const markers = markersIn(report);
    expect(
      markers.some((h) => h.file.startsWith(join(pgDataDir, 'pg_wal'))),
      describeHits(report),
    ).toBe(true);
    expect(
      markers.some((h) => h.file.startsWith(join(pgDataDir, 'base'))),
      describeHits(report),
    ).toBe(true);
    console.info(
      `postgres: ${report.files} files (${report.unreadable.length} unreadable), ${(report.bytes / 2 ** 20).toFixed(1)} MiB scanned, ${needles.size} needles; marker found in ${[...new Set(markers.map((h) => h.file))].join(', ')}`,
    );
  });

  it('control: the same scan finds the records of a store written without encryption', async (ctx) => {
    if (pgUnscannable !== undefined) ctx.skip(pgUnscannable);
    const store = await PostgresConsumptionStore.open({ connectionString: PG, tablePrefix: pgPrefix('control') });
    pgStores.push(store);
    const made = await fourFates(store, 'pg-clear', clearTextCipher);
    await flushPostgres();
    const report = scanForNeedles(pgDataDir, needlesOf(made));
    // Every record went through the store in clear: each is still somewhere on disk, used or not.
    for (const m of made) expect(leaksIn(report, `${m.label} base64`).length, `${m.label}\n${describeHits(report)}`).toBeGreaterThan(0);
  });
});

describe('Redis with an append-only file: the AOF and the snapshot hold no image of any record (SIG-6)', () => {
  it('used, expired, abandoned or pending: no needle in the AOF or the RDB, where a deleted marker is found', async (ctx) => {
    if (redisUnavailable !== undefined) ctx.skip(redisUnavailable);
    const store = await RedisConsumptionStore.open({ url: redisUrl, prefix: `${runTag}:fates:` });
    try {
      const made = await fourFates(store, 'redis');
      const marker = randomMarker(4096);
      await redisAdmin!.set(`${runTag}:marker`, marker);
      await redisAdmin!.del(`${runTag}:marker`);
      // The AOF is scanned as it is (appendfsync always): a rewrite would erase the history that matters.
      expect(await redisAdmin!.save()).toBe('OK');
      const needles = needlesOf(made).addText('marker', marker, { stride: 256 });
      const report = scanForNeedles(redisDir, needles);
      expect(leaksIn(report), describeHits(onlyLeaks(report))).toEqual([]);
      expect(
        markersIn(report).some((h) => h.file.endsWith('.aof')),
        describeHits(report),
      ).toBe(true);
      expect(report.files).toBeGreaterThanOrEqual(3); // manifest, base, incremental AOF (and dump.rdb)
      console.info(`redis: ${report.files} files (${readdirSync(join(redisDir, 'appendonlydir')).join(', ')}, dump.rdb), ${report.bytes} bytes scanned`);
    } finally {
      await store.close();
    }
  });

  it('control: the same scan finds the records of a store written without encryption', async (ctx) => {
    if (redisUnavailable !== undefined) ctx.skip(redisUnavailable);
    const store = await RedisConsumptionStore.open({ url: redisUrl, prefix: `${runTag}:control:` });
    try {
      const made = await fourFates(store, 'redis-clear', clearTextCipher);
      const report = scanForNeedles(join(redisDir, 'appendonlydir'), needlesOf(made));
      for (const m of made) expect(leaksIn(report, `${m.label} base64`).length, `${m.label}\n${describeHits(report)}`).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite: a process killed between deposit and use, then one killed right after use, leave no image (SIG-6)', () => {
  it('no needle in the database, its WAL or its shared memory; a marker deleted without secure_delete is found', async () => {
    const dir = join(work, 'sqlite-kill');
    mkdirSync(dir);
    const path = join(dir, 'store.sqlite');
    const made = [await seal('sqlite shared-0'), await seal('sqlite shared-1'), await seal('sqlite private')];
    const needles = needlesOf(made);
    const url = `sqlite:${path}`;
    // 1. Deposit, report the two shared handles, then SIGKILL: nothing closed, the WAL as it is.
    const a = startChild(job('sqlite-deposit', ['deposit'], [{ name: 'sqlite', url, records: made.map((m, i) => jobRecord(m, { share: i < 2 })) }]));
    await a.ready;
    a.go();
    await a.done;
    a.kill();
    const endA = await a.exited;
    expect(endA.fatal, endA.stderr).toBeUndefined();
    expect(endA.signal).toBe('SIGKILL');
    expect(readdirSync(dir).sort()).toEqual(['store.sqlite', 'store.sqlite-shm', 'store.sqlite-wal']);
    const afterDeposit = scanForNeedles(dir, needles);
    expect(afterDeposit.hits, describeHits(afterDeposit)).toEqual([]);
    const handles = new Map(a.events.flatMap((e) => (e.e === 'deposited' && e.handle !== undefined ? [[e.recordId, e.handle] as const] : [])));
    expect(handles.size).toBe(2);

    // 2. Another process uses the shared two by their handles, and is killed right after.
    const b = startChild(
      job(
        'sqlite-consume',
        ['consume'],
        [{ name: 'sqlite', url, records: made.slice(0, 2).map((m) => jobRecord(m, { handle: handles.get(m.sealed.recordId)! })) }],
      ),
    );
    await b.ready;
    b.go();
    await b.done;
    b.kill();
    const endB = await b.exited;
    expect(endB.fatal, endB.stderr).toBeUndefined();
    expect(b.events.filter((e) => e.e === 'applied').map((e) => (e as { recordId: string }).recordId)).toEqual(made.slice(0, 2).map((m) => m.sealed.recordId));
    const afterUse = scanForNeedles(dir, needles);
    expect(afterUse.hits, describeHits(afterUse)).toEqual([]);

    // 3. The used two are used for good; the third's key died with the first process: unusable, not readable.
    const store = await SqliteConsumptionStore.open({ path });
    try {
      const consumer = createConsumer({ store, trustAnchors: [ca], now: () => at(20), ttlSeconds: TTL_SECONDS, claimGraceSeconds: GRACE_SECONDS });
      for (const m of made.slice(0, 2)) {
        expect(await store.findTombstone({ recordId: m.sealed.recordId })).toMatchObject({ requestId: expect.stringMatching(/^sqlite-consume:/) });
        expect(await store.getPending(m.sealed.recordId)).toBeNull();
        await expect(consumer.consume({ bytes: m.sealed.bytes }, { target: targetOf(m), requestId: 'again' })).rejects.toMatchObject({
          code: 'ERR_RECORD_REPLAYED',
        });
      }
      const lost = made[2]!;
      await expect(consumer.consume({ recordId: lost.sealed.recordId }, { target: targetOf(lost), requestId: 'lost' })).rejects.toMatchObject({
        code: 'ERR_RECORD_KEY_MISSING',
      });
      expect(await store.findTombstone({ recordId: lost.sealed.recordId })).toBeNull();
    } finally {
      await store.close();
    }
    const afterParent = scanForNeedles(dir, needles);
    expect(afterParent.hits, describeHits(afterParent)).toEqual([]);

    // 4. Not blind: a marker written then deleted in a scratch table of the same file, secure_delete off.
    const marker = randomMarker(4096);
    const db = new Database(path);
    try {
      db.pragma('secure_delete = OFF');
      db.exec('CREATE TABLE scratch (marker TEXT)');
      db.prepare('INSERT INTO scratch VALUES (?)').run(marker);
      db.exec('DELETE FROM scratch');
      needles.addText('marker', marker, { stride: 256 });
      const withMarker = scanForNeedles(dir, needles);
      expect(leaksIn(withMarker), describeHits(onlyLeaks(withMarker))).toEqual([]);
      expect(markersIn(withMarker).length, describeHits(withMarker)).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    const closed = scanForNeedles(dir, needles);
    expect(markersIn(closed).map((h) => h.file)).toContain(path);
  });

  it('control: the same scan finds the records of an SQLite store written without encryption', async () => {
    const dir = join(work, 'sqlite-control');
    mkdirSync(dir);
    const store = await SqliteConsumptionStore.open({ path: join(dir, 'store.sqlite') });
    try {
      const made = await fourFates(store, 'sqlite-clear', clearTextCipher);
      const report = scanForNeedles(dir, needlesOf(made));
      for (const m of made) expect(leaksIn(report, `${m.label} base64`).length, `${m.label}\n${describeHits(report)}`).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});

describe(`SIGKILL at random instants: ${TRIALS} trials on SQLite, PostgreSQL and Redis (SIG-5, SIG-6)`, () => {
  type StoreName = 'sqlite' | 'postgres' | 'redis';
  let names: StoreName[] = [];
  let pgTrials = '';
  const redisTrials = `${runTag}:trials:`;
  const urlOf = (name: StoreName, dir: string): string =>
    name === 'sqlite' ? `sqlite:${join(dir, 'store.sqlite')}` : name === 'postgres' ? pgUrl(pgTrials) : `${redisUrl}?prefix=${redisTrials}`;
  /** The records each server saw: through the trials (ciphertext), through the control (in clear). */
  const onServers = { postgres: [] as Made[], redis: [] as Made[] };
  const clearOnServers = { postgres: [] as Made[], redis: [] as Made[] };
  const outcomes: Record<string, Record<string, number>> = {};
  let ran = false;

  /** `PER_STORE` records for each store, the odd ones with their handle shared with the parent. */
  async function plan(tag: string, dir: string, clear: boolean): Promise<{ made: Record<string, Made[]>; job: ShredJob }> {
    mkdirSync(dir);
    const made: Record<string, Made[]> = {};
    for (const name of names) {
      const mine: Made[] = [];
      for (let i = 0; i < PER_STORE; i++) mine.push(await seal(`${tag} ${name} ${i}`, i));
      made[name] = mine;
      if (name !== 'sqlite') (clear ? clearOnServers : onServers)[name].push(...mine);
    }
    const stores = names.map((name) => ({ name, url: urlOf(name, dir), records: made[name]!.map((m, i) => jobRecord(m, { share: i % 2 === 1 })) }));
    // Saving the signed PDF takes a while (a network volume): the instants between claim and completion are not rare.
    return { made, job: { ...job(tag, ['deposit', 'consume'], stores), saveDelayMs: SAVE_DELAY_MS, ...(clear ? { clear } : {}) } };
  }

  beforeAll(() => {
    names = ['sqlite', ...(pgUnscannable === undefined ? (['postgres'] as const) : []), ...(redisUnavailable === undefined ? (['redis'] as const) : [])];
    if (names.includes('postgres')) pgTrials = pgPrefix('trials');
  });

  it('control: a child that writes in clear is caught by the scan of its SQLite files', async () => {
    const dir = join(work, 'trial-clear');
    const { made, job: clearJob } = await plan('clear', dir, true);
    const child = startChild(clearJob);
    await child.ready;
    child.go();
    await child.done;
    child.kill();
    const end = await child.exited;
    expect(end.fatal, end.stderr).toBeUndefined();
    expect(child.events.filter((e) => e.e === 'applied')).toHaveLength(names.length * PER_STORE);
    const report = scanForNeedles(dir, needlesOf(made['sqlite']!, 128));
    for (const m of made['sqlite']!) expect(leaksIn(report, `${m.label} base64`).length, `${m.label}\n${describeHits(report)}`).toBeGreaterThan(0);
  });

  it(`kills a child depositing and applying ${PER_STORE} records per store: no record used twice, lost keys leave records unusable`, async () => {
    const parentStores: Partial<Record<StoreName, ConsumptionStore>> = {};
    if (names.includes('postgres')) {
      parentStores.postgres = await PostgresConsumptionStore.open({ connectionString: PG, tablePrefix: pgTrials });
      pgStores.push(parentStores.postgres);
    }
    if (names.includes('redis')) parentStores.redis = await RedisConsumptionStore.open({ url: redisUrl, prefix: redisTrials });
    const seed = Number(process.env['S3404_SHRED_SEED'] ?? crypto.getRandomValues(new Uint32Array(1))[0]);
    const rnd = prng(seed);
    // Every record of every trial, sealed first: the children only deposit and apply.
    const plans: { made: Record<string, Made[]>; job: ShredJob }[] = [];
    for (let t = 0; t < TRIALS; t++) plans.push(await plan(`t${t}`, join(work, `trial-${t}`), false));

    let estimateMs = 0;
    let killedMidWork = 0;
    const spent = { waitingForStart: 0, working: 0, checking: 0 };
    const tick = (key: keyof typeof spent, since: number): number => {
      const now = performance.now();
      spent[key] += now - since;
      return now;
    };
    let next = startChild(plans[0]!.job);
    try {
      for (let t = 0; t < TRIALS; t++) {
        const child = next;
        const waiting = performance.now();
        await child.ready;
        const started = tick('waitingForStart', waiting);
        child.go();
        // The next child loads while this one works: the kill must not wait for a start-up.
        if (t + 1 < TRIALS) next = startChild(plans[t + 1]!.job);
        if (t === 0) {
          // The first runs to the end: how long the work takes, for the others' random instants.
          await child.done;
          estimateMs = performance.now() - started;
        } else {
          await Promise.race([new Promise((r) => setTimeout(r, rnd() * estimateMs * 1.2)), child.done]);
        }
        child.kill();
        const end = await child.exited;
        const checking = tick('working', started);
        expect(end.fatal, end.stderr).toBeUndefined();
        expect(end.signal, end.stderr).toBe('SIGKILL');
        if (!child.events.some((e) => e.e === 'done')) killedMidWork++;
        const trialNeedles = needlesOf(Object.values(plans[t]!.made).flat(), 128);
        const sqliteDir = join(work, `trial-${t}`);
        const crashed = scanForNeedles(sqliteDir, trialNeedles);
        expect(crashed.hits, `trial ${t}, SQLite files as the SIGKILL left them: ${describeHits(crashed)}`).toEqual([]);
        for (const name of names) {
          const store = name === 'sqlite' ? await SqliteConsumptionStore.open({ path: join(sqliteDir, 'store.sqlite') }) : parentStores[name]!;
          try {
            const tally = outcomes[name] ?? {};
            outcomes[name] = tally;
            for (const o of await checkTrial(store, name, t, plans[t]!.made[name]!, child.events)) tally[o] = (tally[o] ?? 0) + 1;
          } finally {
            if (name === 'sqlite') await store.close();
          }
        }
        const checked = scanForNeedles(sqliteDir, trialNeedles);
        expect(checked.hits, `trial ${t}, SQLite files after the checks: ${describeHits(checked)}`).toEqual([]);
        tick('checking', checking);
      }
    } finally {
      await parentStores.redis?.close();
    }
    const seconds = Object.entries(spent).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`);
    console.info(
      `${TRIALS} trials (seed ${seed}, work ≈ ${Math.round(estimateMs)} ms, ${killedMidWork} killed before the end; ${seconds.join(', ')}): ${JSON.stringify(outcomes)}`,
    );
    if (TRIALS >= 10) expect(killedMidWork).toBeGreaterThan(0);
    ran = true;
  }, 600_000);

  it('PostgreSQL: after every trial, no needle of any trial record in heap, TOAST or WAL, where the clear control is found', async (ctx) => {
    if (pgUnscannable !== undefined) ctx.skip(pgUnscannable);
    expect(ran).toBe(true);
    await flushPostgres();
    const report = scanForNeedles(pgDataDir, needlesOf([...onServers.postgres, ...clearOnServers.postgres], 128));
    const trialHits = report.hits.filter((h) => /^t\d+ /.test(h.label));
    expect(trialHits, describeHits({ ...report, hits: trialHits })).toEqual([]);
    for (const m of clearOnServers.postgres) expect(leaksIn(report, `${m.label} base64`).length, m.label).toBeGreaterThan(0);
  });

  it('Redis: after every trial, no needle of any trial record in the AOF or the RDB, where the clear control is found', async (ctx) => {
    if (redisUnavailable !== undefined) ctx.skip(redisUnavailable);
    expect(ran).toBe(true);
    expect(await redisAdmin!.save()).toBe('OK');
    const report = scanForNeedles(redisDir, needlesOf([...onServers.redis, ...clearOnServers.redis], 128));
    const trialHits = report.hits.filter((h) => /^t\d+ /.test(h.label));
    expect(trialHits, describeHits({ ...report, hits: trialHits })).toEqual([]);
    for (const m of clearOnServers.redis) expect(leaksIn(report, `${m.label} base64`).length, m.label).toBeGreaterThan(0);
  });
});

/**
 * What a trial left on one store, record by record, checked through the
 * public consumer as another process would after the crash. Returns each
 * record's fate.
 */
async function checkTrial(store: ConsumptionStore, name: string, t: number, made: readonly Made[], events: readonly ShredEvent[]): Promise<string[]> {
  const where = (m: Made): string => `trial ${t}, ${name}, ${m.label}`;
  const deposited = new Map<string, string | undefined>();
  const applied = new Map<string, string>();
  for (const e of events) {
    if (e.e === 'deposited' && e.store === name) deposited.set(e.recordId, e.handle);
    if (e.e === 'applied' && e.store === name) applied.set(e.recordId, e.requestId);
    if (e.e === 'failed' && e.store === name) throw new Error(`${name}: the child's use of ${e.recordId} failed: ${e.code}`);
  }
  const base = { store, trustAnchors: [ca], now: () => at(20), ttlSeconds: TTL_SECONDS, claimGraceSeconds: GRACE_SECONDS };
  // A restarted service: a new memory key holder, empty. And a client holding only the handles it was given.
  const restarted = createConsumer(base);
  const byHandle = createConsumer({ ...base, keyHolder: null });
  const fates: string[] = [];
  for (const [i, m] of made.entries()) {
    const id = m.sealed.recordId;
    const target = targetOf(m);
    const ours = `t${t}:${name}:${i}`;
    const tomb = await store.findTombstone({ recordId: id });
    const pending = await store.getPending(id);
    const handle = deposited.get(id);
    if (applied.has(id)) expect(tomb, where(m)).toMatchObject({ requestId: applied.get(id), completedAt: at(10).toISOString() });
    if (deposited.has(id)) expect(tomb !== null || pending !== null, where(m)).toBe(true);
    if (pending !== null) expect(ascii(pending.bytes, 4), where(m)).toBe('S3PE');
    if (tomb === null && pending === null) {
      fates.push('never deposited');
      expect(deposited.has(id), where(m)).toBe(false);
      await expect(restarted.consume({ recordId: id }, { target, requestId: `after-${id}` }), where(m)).rejects.toMatchObject({ code: 'ERR_RECORD_NOT_FOUND' });
    } else if (tomb === null) {
      if (handle !== undefined) {
        fates.push('pending, used by its handle');
        expect((await byHandle.consume({ handle }, { target, requestId: `after-${id}` })).status, where(m)).toBe('consumed');
      } else {
        fates.push('pending, key lost');
        await expect(restarted.consume({ recordId: id }, { target, requestId: `after-${id}` }), where(m)).rejects.toMatchObject({
          code: 'ERR_RECORD_KEY_MISSING',
        });
        expect(await store.findTombstone({ recordId: id }), where(m)).toBeNull();
      }
    } else if (tomb.completedAt === undefined) {
      expect(tomb.requestId, where(m)).toBe(ours);
      expect(pending, `${where(m)}: claimed, not completed, its bytes kept for the retry`).not.toBeNull();
      if (handle !== undefined) {
        fates.push('claimed, resumed by its handle');
        await expect(byHandle.consume({ handle }, { target, requestId: `other-${id}` }), where(m)).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
        expect(await byHandle.consume({ handle }, { target, requestId: ours }), where(m)).toMatchObject({ status: 'consumed', resumed: true });
      } else {
        fates.push('claimed, key lost');
        await expect(restarted.consume({ recordId: id }, { target, requestId: `other-${id}` }), where(m)).rejects.toMatchObject({
          code: 'ERR_RECORD_REPLAYED',
        });
        // Not even the claiming request can finish it without the key: refused, nothing decrypted, nothing completed.
        await expect(restarted.consume({ recordId: id }, { target, requestId: ours }), where(m)).rejects.toMatchObject({
          code: 'ERR_RECORD_KEY_MISSING',
        });
        expect(await store.findTombstone({ recordId: id }), where(m)).not.toHaveProperty('completedAt');
        expect((await store.getPending(id))?.bytes, where(m)).toEqual(pending!.bytes);
      }
    } else {
      fates.push('used');
      expect(tomb.requestId, where(m)).toBe(ours);
      expect(pending, where(m)).toBeNull();
    }
    // Never twice: once claimed, any other request is refused, by the bytes or by the handle.
    if ((await store.findTombstone({ recordId: id })) !== null) {
      await expect(restarted.consume({ bytes: m.sealed.bytes }, { target, requestId: `again-${id}` }), where(m)).rejects.toMatchObject({
        code: 'ERR_RECORD_REPLAYED',
      });
      if (handle !== undefined)
        await expect(byHandle.consume({ handle }, { target, requestId: `again-${id}` }), where(m)).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
    }
  }
  // Past expiry the sweeper deletes whatever ciphertext is left: the unusable records go too.
  const sweeper = createConsumer({ ...base, now: () => at(10 + TTL_SECONDS + 1) });
  await sweeper.sweep();
  for (const m of made) expect(await store.getPending(m.sealed.recordId), where(m)).toBeNull();
  return fates;
}

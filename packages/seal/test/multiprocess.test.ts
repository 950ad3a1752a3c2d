import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBordereau } from '@s3404/form';
import { renderBordereauPdf, verifyBordereauPdf } from '@s3404/form/pdf';
import { applySignature } from '@s3404/seal/apply';
import { createConsumer, type ConsumptionStore, type SealedRecord } from '@s3404/seal';
import { openConsumptionStore } from '@s3404/seal/stores';
import type { PostgresConsumptionStore } from '@s3404/seal/postgres';
import { createBordereauId } from '@s3404/core';
import { at, FINESS, fixture, prng, seededRandom, T0, type Fixture } from './helpers.js';
import { bordereauOf, sealFor, sealMany, targetOf } from './store-contract.js';

const WORKER = join(import.meta.dirname, 'workers/consume-worker.ts');
const PG = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['S3404_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** Records of the race: 300 in `pnpm test`, 1,000 with `pnpm run test:soak`. */
const RECORDS = Number(process.env['S3404_RACE_RECORDS'] ?? 300);
const PROCESSES = 4;
const CONSUMERS_PER_PROCESS = 8;
const dir = mkdtempSync(join(tmpdir(), 's3404-mp-'));
const tag = `mp${process.pid}`;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`${tag}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

interface Report {
  wins: string[];
  refusals: Record<string, number>;
  fatal?: string;
}
interface Spawned {
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; report: Report | null; stderr: string }>;
  readonly kill: () => void;
  readonly ready: Promise<void>;
}

function startWorker(job: object, name: string): Spawned {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(job));
  const child = spawn(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', WORKER, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    if (err.includes('ready\n')) markReady();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; report: Report | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      markReady();
      resolve({ code, signal, report: out === '' ? null : (JSON.parse(out) as Report), stderr: err });
    }),
  );
  return { done, ready, kill: () => child.kill('SIGKILL') };
}

/** Every store a test can open by URL, each in its own namespace. */
const STORES: readonly (readonly [string, (n: string) => string])[] = [
  ['embedded SQLite', (n) => `sqlite:${join(dir, `${n}.sqlite`)}`],
  ['PostgreSQL', (n) => `${PG}?tablePrefix=${tag}_${n}_`],
  ['Redis', (n) => `${REDIS}?prefix=${tag}:${n}:`],
];

async function openAndTrack(url: string): Promise<ConsumptionStore> {
  const store = await openConsumptionStore(url);
  cleanups.push(async () => {
    if (url.startsWith('postgres')) {
      await (store as PostgresConsumptionStore).dropTables();
    }
    await store.close();
  });
  return store;
}

let f: Fixture;
let sealed: SealedRecord[];
beforeAll(async () => {
  f = await fixture();
  sealed = await sealMany(f, RECORDS + 50, 11);
}, 120_000);

describe(`exactly one winner: ${RECORDS} records × ${PROCESSES * CONSUMERS_PER_PROCESS} consumers over ${PROCESSES} processes (SIG-5, SIG-6)`, () => {
  for (const [name, urlOf] of STORES) {
    it(`on ${name}`, async () => {
      const url = urlOf('race');
      const store = await openAndTrack(url);
      const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
      const handles = new Map<string, string>();
      for (const s of sealed) handles.set(s.recordId, (await consumer.deposit(s)).handle);
      const records = sealed.slice(0, RECORDS).map((s) => ({ recordId: s.recordId, handle: handles.get(s.recordId)!, ...targetOf(s) }));
      const ca = Buffer.from(f.pki.ca.certificate).toString('base64');
      const workers = Array.from({ length: PROCESSES }, (_, p) =>
        startWorker({ mode: 'race', store: url, ca, now: at(10).toISOString(), records, consumers: CONSUMERS_PER_PROCESS, tag: `p${p}` }, `race-${name}-${p}`),
      );
      const results = await Promise.all(workers.map((w) => w.done));
      for (const r of results) expect(r.report?.fatal, r.stderr).toBeUndefined();
      const wins = results.flatMap((r) => r.report!.wins);
      expect(wins).toHaveLength(RECORDS);
      expect(new Set(wins).size).toBe(RECORDS);
      const refusals: Record<string, number> = {};
      for (const r of results) for (const [k, v] of Object.entries(r.report!.refusals)) refusals[k] = (refusals[k] ?? 0) + v;
      expect(Object.keys(refusals).filter((k) => k !== 'ERR_RECORD_REPLAYED' && k !== 'ERR_RECORD_NOT_FOUND')).toEqual([]);
      expect(Object.values(refusals).reduce((a, b) => a + b, 0)).toBe(RECORDS * (PROCESSES * CONSUMERS_PER_PROCESS - 1));
      // No image left after use; the 50 never used go at expiry.
      expect(await store.countPending()).toBe(50);
      for (const s of sealed.slice(0, RECORDS)) expect((await store.findTombstone({ recordId: s.recordId }))?.completedAt).toBeDefined();
      const later = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(5 + 1800) });
      expect(await later.sweep()).toEqual({ expired: 50, abandoned: 0 });
      expect(await store.countPending()).toBe(0);
    });
  }
});

describe('crash trials: SIGKILL a consumer at random points of consume/apply (SIG-5, SIG-6)', () => {
  const TRIALS = Number(process.env['S3404_CRASH_TRIALS'] ?? 12);
  const PER_TRIAL = 6;
  const POINTS = ['after-claim', 'in-apply', 'after-save', 'after-complete'] as const;
  let jobs: { recordId: string; handle: string; bordereauId: string; contentHash: string; pdf: string }[];
  let pool: SealedRecord[];

  beforeAll(async () => {
    const example = JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/data/mco-chirurgie-pth.json'), 'utf8')) as Record<string, any>;
    // Each record is sealed for the content of its rendered PDF (SIG-4).
    const random = seededRandom(12);
    const rendered: { bordereauId: string; contentHash: string; bytes: Uint8Array }[] = [];
    for (let i = 0; i < PER_TRIAL; i++) {
      const b = structuredClone(example);
      b.id = createBordereauId({ random });
      b.establishment.finess = FINESS;
      const r = await renderBordereauPdf(parseBordereau(b), { now: () => T0 });
      rendered.push({ bordereauId: b.id, contentHash: r.contentHash, bytes: r.bytes });
    }
    pool = await sealFor(f, rendered);
    jobs = [];
    for (const [i, s] of pool.entries()) {
      const pdf = join(dir, `${s.recordId}.pdf`);
      writeFileSync(pdf, rendered[i]!.bytes);
      jobs.push({ recordId: s.recordId, handle: '', bordereauId: bordereauOf(s), contentHash: rendered[i]!.contentHash, pdf });
    }
  });

  const trial = async (url: string, t: number, random: () => number): Promise<string> => {
    const store = await openAndTrack(url);
    const setup = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    // The keys travel in the handles (SIG-6): the worker and `after` below hold none of their own.
    const handles = new Map<string, string>();
    for (const s of pool) handles.set(s.recordId, (await setup.deposit(s)).handle);
    const trialJobs = jobs.map((j) => ({ ...j, handle: handles.get(j.recordId)! }));
    // Four in five trials die at a named point; the others at a random instant.
    const named = t % 5 !== 4;
    const crashAt = named ? POINTS[(t - Math.floor(t / 5)) % POINTS.length]! : 'none';
    const crashOn = Math.floor(random() * PER_TRIAL);
    const outDir = mkdtempSync(join(dir, 'out-'));
    const w = startWorker(
      {
        mode: 'crash',
        store: url,
        ca: Buffer.from(f.pki.ca.certificate).toString('base64'),
        now: at(10).toISOString(),
        records: trialJobs,
        consumers: 1,
        tag: `t${t}`,
        crashAt,
        crashOn,
        outDir,
      },
      `crash-${t}`,
    );
    if (!named) {
      await w.ready;
      await new Promise((r) => setTimeout(r, Math.floor(random() * 250)));
      w.kill();
    }
    const end = await w.done;
    expect(end.report?.fatal, end.stderr).toBeUndefined();
    if (named) expect(end.signal).toBe('SIGKILL');

    // Afterwards no record can be used twice, by anyone.
    const resumed: string[] = [];
    const after = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(20) });
    for (const [i, s] of pool.entries()) {
      const target = targetOf(s);
      const t0 = await store.findTombstone({ recordId: s.recordId });
      if (t0 === null) {
        expect((await after.consume({ bytes: s.bytes }, { target, requestId: `after-${i}` })).status).toBe('consumed');
      } else if (t0.completedAt === undefined && (await store.getPending(s.recordId)) !== null) {
        // Claimed by the dead worker, never completed: only its own request id may finish it.
        const handle = handles.get(s.recordId)!;
        await expect(after.consume({ handle }, { target, requestId: `after-${i}` })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
        // Without its key (the dead process's holder is gone), the record opens for no one.
        await expect(after.consume({ recordId: s.recordId }, { target, requestId: t0.requestId })).rejects.toMatchObject({ code: 'ERR_RECORD_KEY_MISSING' });
        // Its own request id finishes it through the apply, on the PDF the dead worker saved when it got that
        // far (its drawing recognised byte for byte, nothing drawn again), else on the unsigned PDF.
        const saved = join(outDir, `${s.recordId}.pdf`);
        const onSaved = existsSync(saved);
        const pdf = new Uint8Array(readFileSync(onSaved ? saved : jobs[i]!.pdf));
        const done = await applySignature(after, { input: { handle }, pdf, requestId: t0.requestId });
        expect(done).toMatchObject({ status: 'applied', resumed: true, slot: 'insured' });
        if (done.status !== 'applied') continue;
        if (onSaved) expect(Buffer.from(done.pdf).equals(Buffer.from(pdf))).toBe(true);
        const verdict = await verifyBordereauPdf(done.pdf);
        expect(verdict.ok, verdict.issues[0]?.message).toBe(true);
        expect(verdict.signatures.map((g) => g.recordId)).toEqual([s.recordId]);
        resumed.push(onSaved ? 'saved' : 'unsigned');
      }
      await expect(after.consume({ bytes: s.bytes }, { target, requestId: `again-${i}` })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
    }
    // After the sweeper, no image remains.
    const sweeper = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(5 + 1800) });
    await sweeper.sweep();
    expect(await store.countPending()).toBe(0);
    return `${named ? `${crashAt}#${crashOn}` : 'random'}${resumed.map((r) => ` resumed-on-${r}`).join('')}`;
  };

  it(`${TRIALS} trials on the embedded SQLite store`, async () => {
    const random = prng(4404);
    const seen: string[] = [];
    for (let t = 0; t < TRIALS; t++) seen.push(await trial(`sqlite:${join(dir, `crash-${t}.sqlite`)}`, t, random));
    for (const p of POINTS) expect(seen.some((s) => s.startsWith(p))).toBe(true);
    // A use the worker died in after saving its PDF was finished on that PDF; one it died in before, on the unsigned one.
    expect(
      seen.filter((s) => s.startsWith('after-save')).every((s) => s.includes('resumed-on-saved')),
      seen.join(', '),
    ).toBe(true);
    expect(
      seen.some((s) => s.includes('resumed-on-unsigned')),
      seen.join(', '),
    ).toBe(true);
  }, 600_000);

  for (const [name, urlOf] of STORES.slice(1)) {
    it(`5 trials on ${name}`, async () => {
      const random = prng(name.length);
      for (let t = 0; t < 5; t++) await trial(urlOf(`crash${t}`), t, random);
    }, 300_000);
  }
});

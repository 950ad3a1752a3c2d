/**
 * `pnpm bench` for the audit trace (AUD-2, issue 19), each goal with its
 * peer measured in the same run:
 * - memory appends (`appendMany`, batches of 1,024; and single `append`s,
 *   256 in flight; `appendMany` with a signer, daily checkpoints on), the
 *   median of 5 runs of 200,000 after 2 warm-up runs (3 for the others) —
 *   peer: `JSON.stringify` + `Array.push` of the same drafts;
 * - durable appends to the JSON Lines file (group commit, one `fdatasync`
 *   per commit shared by 8 concurrent appenders of 512-event batches) — peer:
 *   a plain `appendFile` + `fdatasync` per event (no chain, no lock);
 * - PostgreSQL appends (`appendMany`, batches of 1,000: one multi-row
 *   INSERT per transaction), then the same with a caller's id on every
 *   draft (one more indexed query per batch) — peer: one single-row INSERT
 *   per event (autocommit) of the same lines in a plain table;
 * - verifying 1,000,000 events with a checkpoint every 10,000 (100 periods)
 *   on every core (worker threads) and on one — peer: SHA-256 of every line.
 * Goals: ≥ 200,000 appends/s in memory, ≥ 50,000/s durable, ≥ 10,000/s
 * PostgreSQL, 1,000,000 events verified in ≤ 2.5 s.
 *
 * Run: pnpm --filter @s3404/audit run build && pnpm --filter @s3404/audit bench   (S3404_BENCH_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/test; S3404_BENCH_VERIFY_EVENTS to
 * verify fewer events).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { machine } from '@s3404/tooling/bench';
import { createAuditLog, type AuditEventDraft, type AuditLog } from '../src/index.js';
import { MemoryAuditStore } from '../src/memory/index.js';
import { nodeSha256 } from '@s3404/core/node';
import { uuidV7Of, type ContentSigner } from '@s3404/core';
import { FileAuditStore } from '../src/file/index.js';
// The built package: its worker threads load plain JavaScript, as a user's do (`pnpm run build` first).
import { verifyLogFile } from '@s3404/audit/file';
import { PostgresAuditStore } from '../src/postgres/index.js';
import { draft } from '../test/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 's3404-audit-bench-'));
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const load = (): string =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const out = (s: string): void => console.log(s);
const drafts: AuditEventDraft[] = Array.from({ length: 1024 }, (_, i) => draft(i));
const batchOf = (size: number, from: number): AuditEventDraft[] => Array.from({ length: size }, (_, k) => drafts[(from + k) % 1024]!);
/** Fixed signature bytes: the bench verifies without a verifier (signatures `unchecked`), as the peer does not check any. */
const benchSigner: ContentSigner = { subject: 'CN=bench', sign: async () => Uint8Array.from([0x30, 3, 1, 2, 3]) };

/** Appends `n` events with `lanes` concurrent appenders of `appendMany(batch)`, each draft through `map`; events per second. */
async function batchRate(log: AuditLog, n: number, batch: number, lanes: number, map?: (d: AuditEventDraft) => AuditEventDraft): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < n) {
        const from = next;
        next += batch;
        const part = batchOf(Math.min(batch, n - from), from);
        await log.appendMany(map === undefined ? part : part.map(map));
      }
    }),
  );
  return n / ((performance.now() - t) / 1000);
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Single appends, `inFlight` concurrent; events per second. */
async function singleRate(log: AuditLog, n: number, inFlight: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) await log.append(drafts[next++ % 1024]!);
    }),
  );
  return n / ((performance.now() - t) / 1000);
}

/**
 * 1. Memory. In a function of its own: run from the module's top-level code, among the other
 * sections, the same appends measured about a fifth slower (issue 19, 2026-12-07).
 */
async function memoryAppends(): Promise<void> {
  // Each a fresh log of 200,000 events, 5 times after 2 warm-up runs (the optimiser and the heap settled): the median,
  // and the range, which on a shared virtual machine is wide.
  const N = 200_000;
  const memLog = (signed = false): AuditLog =>
    createAuditLog({ store: new MemoryAuditStore({ sha256: nodeSha256 }), sha256: nodeSha256, ...(signed ? { signer: benchSigner } : {}) });
  const runs = async (times: number, rate: (log: AuditLog) => Promise<number>, signed = false): Promise<number[]> => {
    const rates: number[] = [];
    for (let i = 0; i < times; i++) {
      const l = memLog(signed);
      rates.push(await rate(l));
      await l.close();
    }
    return rates;
  };
  await runs(2, (l) => batchRate(l, N, 1024, 1));
  const manyRuns = await runs(5, (l) => batchRate(l, N, 1024, 1));
  const singleRuns = await runs(3, (l) => singleRate(l, N, 256));
  // With a signer, as a log in service has: daily checkpoints on, each event's Paris day looked at.
  const signedRuns = await runs(3, (l) => batchRate(l, N, 1024, 1), true);
  const peerRuns: number[] = [];
  for (let r = 0; r < 5; r++) {
    const peerArr: string[] = [];
    const t0 = performance.now();
    for (let i = 0; i < N; i++) peerArr.push(JSON.stringify(drafts[i % 1024]));
    peerRuns.push(N / ((performance.now() - t0) / 1000));
  }
  const many = median(manyRuns);
  const peerMem = median(peerRuns);
  const range = (r: readonly number[]): string => `${fmt(Math.min(...r))}–${fmt(Math.max(...r))}`;
  out(
    `memory appends/s (median of 5, range): appendMany ${fmt(many)} (${range(manyRuns)}), single append ${fmt(median(singleRuns))} (${range(singleRuns)}), appendMany with a signer (daily checkpoints) ${fmt(median(signedRuns))} (${range(signedRuns)}); peer JSON.stringify+push ${fmt(peerMem)}/s; ratio ${(many / peerMem).toFixed(2)}× — goal ≥ 200,000 (${many >= 200_000 ? 'met' : 'NOT met'}; ${load()})`,
  );
}

try {
  out(`# @s3404/audit bench — ${await machine()}, ${availableParallelism()} cores, ${load()}`);

  await memoryAppends();

  let log: AuditLog;
  let t: number;

  // 2. Durable file: group commit, fdatasync before any acknowledgement.
  const D = 100_000;
  const file = join(dir, 'durable.jsonl');
  log = createAuditLog({ store: await FileAuditStore.open({ path: file, sha256: nodeSha256 }), sha256: nodeSha256 });
  const durable = await batchRate(log, D, 512, 8);
  await log.close();
  const fileSingle = join(dir, 'durable-single.jsonl');
  log = createAuditLog({ store: await FileAuditStore.open({ path: fileSingle, sha256: nodeSha256 }), sha256: nodeSha256 });
  const durableSingle = await singleRate(log, 20_000, 1024);
  await log.close();
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, 2_000);
  const fd = openSync(join(dir, 'peer.jsonl'), 'a');
  t = performance.now();
  for (const l of lines) {
    writeSync(fd, `${l}\n`);
    fdatasyncSync(fd);
  }
  const peerDurable = lines.length / ((performance.now() - t) / 1000);
  closeSync(fd);
  out(
    `durable appends/s (file, group commit, fdatasync before acknowledging): 8 appenders × appendMany(512) ${fmt(durable)}, 1,024 single appends in flight ${fmt(durableSingle)}; peer appendFile+fdatasync per event ${fmt(peerDurable)}/s; ratio ${(durable / peerDurable).toFixed(1)}× — goal ≥ 50,000 (${durable >= 50_000 ? 'met' : 'NOT met'}; ${load()})`,
  );

  // 3. PostgreSQL.
  const url = process.env['S3404_BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const prefix = `bench_audit_${process.pid}_`;
  try {
    const store = await PostgresAuditStore.open({ pool, tablePrefix: prefix });
    log = createAuditLog({ store, sha256: nodeSha256 });
    const P = 50_000;
    const pgRate = await batchRate(log, P, 1000, 4);
    // The same, every draft with a caller's id (the lot outbox's, a signature use's): one more indexed query per batch.
    let made = 0;
    const idBytes = (n: number): Uint8Array => Uint8Array.from({ length: 16 }, (_, k) => (n >>> (8 * (k % 4))) & 0xff);
    const withId = (d: AuditEventDraft): AuditEventDraft => ({ ...d, id: uuidV7Of(Date.now(), idBytes(made++)) });
    const pgWithIds = await batchRate(log, P, 1000, 4, withId);
    await log.close();
    const peerTable = `${prefix}peer`;
    await pool.query(`CREATE TABLE ${peerTable} (seq bigint PRIMARY KEY, line text NOT NULL)`);
    const sample = lines.slice(0, 2_000);
    const client = await pool.connect();
    t = performance.now();
    for (let i = 0; i < sample.length; i++) await client.query(`INSERT INTO ${peerTable} (seq, line) VALUES ($1, $2)`, [i + 1, sample[i]]);
    const peerPg = sample.length / ((performance.now() - t) / 1000);
    client.release();
    await pool.query(`DROP TABLE ${peerTable}`);
    await (await PostgresAuditStore.open({ pool, tablePrefix: prefix, createTables: false })).dropTables();
    out(
      `PostgreSQL appends/s: 4 appenders × appendMany(1,000) (one multi-row INSERT per transaction) ${fmt(pgRate)}, every draft with a caller's id (looked up first) ${fmt(pgWithIds)}; peer single-row INSERT per event ${fmt(peerPg)}/s; ratio ${(pgRate / peerPg).toFixed(1)}× — goal ≥ 10,000 (${pgRate >= 10_000 ? 'met' : 'NOT met'}; ${load()})`,
    );
  } catch (e) {
    out(`PostgreSQL: skipped (${e instanceof Error ? e.message : String(e)})`);
  } finally {
    await pool.end();
  }

  // 4. Verify 1,000,000 events, a checkpoint every 10,000.
  const M = Number(process.env['S3404_BENCH_VERIFY_EVENTS'] ?? 1_000_000);
  const big = join(dir, 'million.jsonl');
  const writer = createAuditLog({
    store: await FileAuditStore.open({ path: big, sha256: nodeSha256, sync: 'none' }),
    sha256: nodeSha256,
    signer: benchSigner,
    dailyCheckpoints: false,
  });
  for (let i = 0; i < M; i += 10_000) {
    await writer.appendMany(batchOf(Math.min(10_000, M - i), i));
    await writer.checkpoint();
  }
  await writer.close();
  const size = statSync(big).size;
  const all = readFileSync(big);
  t = performance.now();
  for (let s = 0; s < all.length; ) {
    const e = all.indexOf(10, s);
    createHash('sha256').update(all.subarray(s, e)).digest();
    s = e + 1;
  }
  const peerVerifyS = (performance.now() - t) / 1000;
  // Each twice, the second run timed (the first warms this thread's code).
  const timed = async (threads: number) => {
    await verifyLogFile(big, { threads });
    const t0 = performance.now();
    const report = await verifyLogFile(big, { threads });
    return { report, s: (performance.now() - t0) / 1000 };
  };
  const { report: one, s: oneS } = await timed(1);
  const { report: par, s: parS } = await timed(availableParallelism());
  const best = Math.min(oneS, parS);
  if (!par.ok || !one.ok || par.events !== one.events || par.head !== one.head) throw new Error('bench log does not verify');
  out(
    `verify ${fmt(one.events)} events (${(size / 1e6).toFixed(0)} MB, ${one.checkpoints} checkpoints): ${oneS.toFixed(2)} s on 1 thread, ${parS.toFixed(2)} s on ${availableParallelism()} (worker threads); peer SHA-256 of every line ${peerVerifyS.toFixed(2)} s; ratio ${(best / peerVerifyS).toFixed(2)}× the peer's time — goal ≤ 2.5 s for 1,000,000 (${M >= 1_000_000 && best <= 2.5 ? 'met' : 'NOT met'}; ${load()})`,
  );

  // 5. A caller-given id looked for in that file (the lot outbox and a signature's use give one with every event they
  // deliver, a first delivery's too): an id made long ago is searched through the whole file; a recent one (made in
  // the last half hour: every delivery of a running day) is found through the store's index. Peer: `grep -F -c` of the
  // same member over the file.
  const lookupLog = createAuditLog({ store: await FileAuditStore.open({ path: big, sha256: nodeSha256, sync: 'none' }), sha256: nodeSha256 });
  const mine = { ...drafts[0]!, id: '0192f1a0-0000-7000-8000-00000000beef' };
  const recent = { ...drafts[1]!, id: uuidV7Of(Date.now(), new Uint8Array(16).fill(0xca)) };
  const lookups: number[] = [];
  // Old id: absent (looked for through the file, then written at its end), found (the whole file read again); recent id:
  // absent (then written), found.
  for (const d of [mine, mine, recent, recent]) {
    const t0 = performance.now();
    await lookupLog.append(d);
    lookups.push((performance.now() - t0) / 1000);
  }
  await lookupLog.close();
  const known = { id: mine.id };
  t = performance.now();
  const grep = spawnSync('grep', ['-F', '-c', `"id":"${known.id}"`, big], { encoding: 'utf8' });
  const grepS = (performance.now() - t) / 1000;
  out(
    `caller-given id over ${(size / 1e6).toFixed(0)} MB (${fmt(one.events)} events): made long ago — absent (then written) ${lookups[0]!.toFixed(3)} s, found ${lookups[1]!.toFixed(3)} s; made now (index) — absent ${lookups[2]!.toFixed(4)} s, found ${lookups[3]!.toFixed(4)} s; peer grep -F -c ${grepS.toFixed(3)} s (${grep.stdout.trim()} line); ratio ${(lookups[1]! / grepS).toFixed(1)}× the peer's time for a whole-file search, ${(lookups[3]! / grepS).toFixed(3)}× with the index (${load()})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

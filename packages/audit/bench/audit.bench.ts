/**
 * `pnpm bench` for the audit trace (AUD-2): appends per second in memory and
 * to the durable JSON Lines file (group commit, fdatasync), and the time to
 * verify 1,000,000 events. Peers, measured in the same run:
 * - memory: `JSON.stringify` + `Array.push` of the same drafts (a log with no chain);
 * - durable: the same bytes appended with `write` + `fdatasync` in batches of the
 *   same size (a file with no chain, no lock);
 * - verify: SHA-256 of every line of the same file (hashing alone, no chain check).
 * Goals (issue #5): ≥ 100,000 appends/s in memory, ≥ 20,000/s durable,
 * 1,000,000 events verified in ≤ 5 s.
 *
 * Run: pnpm --filter @s3404/audit bench   (or `pnpm bench` at the root).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeSync, fdatasyncSync, closeSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine } from '@s3404/tooling/bench';
import { createAuditLog, verifyLog, type AuditEventDraft } from '../src/index.js';
import { MemoryAuditStore } from '../src/memory/index.js';
import { nodeSha256 } from '@s3404/core/node';
import { FileAuditStore, verifyLogFile } from '../src/file/index.js';
import { draft } from '../test/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 's3404-audit-bench-'));
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const lines: string[] = [];
const out = (s: string): void => {
  lines.push(s);
  console.log(s);
};

async function appendRate(
  make: () => Promise<{ append(d: AuditEventDraft): Promise<unknown>; close(): Promise<void> }>,
  n: number,
  inFlight: number,
): Promise<number> {
  const log = await make();
  const drafts = Array.from({ length: 1024 }, (_, i) => draft(i));
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) await log.append(drafts[next++ % 1024]!);
    }),
  );
  const s = (performance.now() - t) / 1000;
  await log.close();
  return n / s;
}

try {
  out(`# @s3404/audit bench — ${await machine()}`);
  // Memory.
  const N = 200_000;
  const noble = await appendRate(async () => createAuditLog({ store: new MemoryAuditStore() }), N, 256);
  const native = await appendRate(async () => createAuditLog({ store: new MemoryAuditStore({ sha256: nodeSha256 }), sha256: nodeSha256 }), N, 256);
  const peerArr: string[] = [];
  const drafts = Array.from({ length: 1024 }, (_, i) => draft(i));
  let t = performance.now();
  for (let i = 0; i < N; i++) peerArr.push(JSON.stringify(drafts[i % 1024]));
  const peerMem = N / ((performance.now() - t) / 1000);
  out(
    `memory appends/s: ${fmt(native)} (native SHA-256), ${fmt(noble)} (@noble/hashes); peer JSON.stringify+push ${fmt(peerMem)}/s; ratio ${(native / peerMem).toFixed(2)}× — goal ≥ 100,000`,
  );
  // Durable file.
  const D = 100_000;
  const file = join(dir, 'durable.jsonl');
  const durable = await appendRate(
    async () => createAuditLog({ store: await FileAuditStore.open({ path: file, sha256: nodeSha256 }), sha256: nodeSha256 }),
    D,
    1024,
  );
  const size = statSync(file).size;
  const bytes = readFileSync(file);
  const fd = openSync(join(dir, 'peer.jsonl'), 'a');
  const batch = 1024;
  const per = Math.floor(size / (D / batch));
  t = performance.now();
  for (let off = 0; off < size; off += per) {
    writeSync(fd, bytes, off, Math.min(per, size - off));
    fdatasyncSync(fd);
  }
  const peerDurable = D / ((performance.now() - t) / 1000);
  closeSync(fd);
  out(
    `durable appends/s (file, group commit ≤ 1,024 in flight, fdatasync per batch): ${fmt(durable)}; peer write+fdatasync of the same bytes ${fmt(peerDurable)}/s; ratio ${(durable / peerDurable).toFixed(2)}× — goal ≥ 20,000`,
  );
  // Verify 1,000,000 events.
  const M = 1_000_000;
  const big = join(dir, 'million.jsonl');
  const store = await FileAuditStore.open({ path: big, sha256: nodeSha256, sync: 'none' });
  const writer = createAuditLog({ store, sha256: nodeSha256 });
  for (let i = 0; i < M; i += 10_000) await Promise.all(Array.from({ length: 10_000 }, (_, k) => writer.append(drafts[(i + k) % 1024]!)));
  await writer.close();
  t = performance.now();
  const report = await verifyLogFile(big);
  const verifyS = (performance.now() - t) / 1000;
  if (!report.ok || report.lastSeq !== M) throw new Error('bench log does not verify');
  const all = readFileSync(big);
  t = performance.now();
  for (let s = 0; s < all.length; ) {
    const e = all.indexOf(10, s);
    createHash('sha256').update(all.subarray(s, e)).digest();
    s = e + 1;
  }
  const peerVerifyS = (performance.now() - t) / 1000;
  t = performance.now();
  const strict = await verifyLogFile(big, { strict: true });
  const strictS = (performance.now() - t) / 1000;
  t = performance.now();
  await verifyLog(all);
  const nobleS = (performance.now() - t) / 1000;
  out(
    `verify 1,000,000 events (${(all.length / 1e6).toFixed(0)} MB): ${verifyS.toFixed(2)} s (native SHA-256, streaming file); strict (schema + canonical form of every event) ${strictS.toFixed(2)} s; pure @noble/hashes ${nobleS.toFixed(2)} s; peer SHA-256 of every line ${peerVerifyS.toFixed(2)} s; ratio ${(verifyS / peerVerifyS).toFixed(2)}× the peer's time — goal ≤ 5 s; ${strict.ok ? 'intact' : 'DAMAGED'}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

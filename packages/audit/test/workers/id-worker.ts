/**
 * A process of the multi-process id test (AUD-2, issue 19): several of them
 * share one trace file, each holding its own index of recent ids.
 *
 * - `deliver`: appends `COUNT` events, each under an id drawn from a pool of
 *   `POOL` ids shared by every process (made at `BASE` ms + their number, so
 *   recent: looked up through the index), with the same draft for the same
 *   id wherever it is delivered; prints `id <n> <seq>` once each append has
 *   resolved (on disk), and asks for a checkpoint every 20 events.
 * - `purge`: until killed, checkpoints, then purges the trace through the
 *   event before a checkpoint halfway through it (as a retention purge does:
 *   what is left starts with the checkpoint that anchors it); prints
 *   `purged <n>`, and `duplicate <id> <seq>` for any id it finds twice in
 *   the trace before purging it.
 *
 *   node --conditions=@s3404/source --import tsx id-worker.ts FILE deliver|purge BASE POOL COUNT SEED
 */
import { createAuditLog } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import type { ContentSigner } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { prng } from '@s3404/tooling/test-kit';
import { poolDelivery } from './pool.js';

const [path, mode, baseText, poolText, countText, seedText] = process.argv.slice(2) as [string, string, string, string, string, string];
const base = Number(baseText);
const pool = Number(poolText);
const random = prng(Number(seedText));
/** Signatures the test does not check (verified without a verifier): the purge needs checkpoints, not their keys. */
const signer: ContentSigner = { subject: 'CN=id-worker', sign: async () => Uint8Array.from([0x30, 3, 1, 2, 3]) };
const store = await FileAuditStore.open({ path, lockTimeoutMs: 60_000 });
const log = createAuditLog({ store, sha256: nodeSha256, signer });

if (mode === 'deliver') {
  const count = Number(countText);
  for (let i = 0; i < count; i++) {
    const n = Math.floor(random() * pool);
    const e = await log.append(poolDelivery(base, n));
    process.stdout.write(`id ${n} ${e.seq}\n`);
    if (i % 20 === 19) await log.checkpoint();
    // Deliveries arrive over time: the lock is free between them, for the purger too.
    await new Promise((r) => setTimeout(r, random() * 4));
  }
} else {
  for (;;) {
    await log.checkpoint();
    let first = 0;
    const checkpoints: number[] = [];
    // The trace as it is now, checked before each purge: an id written twice would be gone after it.
    const ids = new Set<string>();
    for await (const e of store.read()) {
      if (ids.has(e.id)) process.stdout.write(`duplicate ${e.id} ${e.seq}\n`);
      ids.add(e.id);
      first ||= e.seq;
      if (e.action === 'audit.checkpoint' && e.seq > first) checkpoints.push(e.seq);
    }
    // Through a checkpoint halfway: half the lines stay, at new offsets, ids the other processes have indexed.
    const anchor = checkpoints[Math.floor(checkpoints.length / 2)];
    if (anchor !== undefined) process.stdout.write(`purged ${await store.purge(anchor - 1)}\n`);
    await new Promise((r) => setTimeout(r, 10 + random() * 30));
  }
}
await log.close();

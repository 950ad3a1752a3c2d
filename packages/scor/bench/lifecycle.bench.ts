/**
 * `pnpm --filter @s3404/scor bench` (second part) — what the lot
 * lifecycle's outbox costs (SCOR-3, AUD-1, issue 19): registering a lot
 * with its positive B2 ARL and sending it (four transitions), on an
 * embedded SQLite store, with a trace sink (each transition's events
 * stored with it, then delivered and removed: one more write each) and,
 * as the peer in the same run, without one (nothing traced, nothing
 * kept). Two rounds each, alternated; milliseconds per lot.
 *
 * Run: pnpm --filter @s3404/scor exec tsx bench/lifecycle.bench.ts   (S3404_BENCH_LOTS, default 300)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingTraceSink } from '@s3404/core';
import { createLotManager, packLot, type PackedLot } from '@s3404/scor';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { machine } from '@s3404/tooling/bench';
import { lotFixture } from '../test/fixtures/lot.js';

const N = Number(process.env['S3404_BENCH_LOTS'] ?? 300);
const now = (): Date => new Date('2026-03-02T09:00:00.000Z');
const fx = await lotFixture(1);
const packed = await packLot(fx.description, { files: fx.files, now });

/** Registers and sends `N` lots (copies of one, under their own ids); milliseconds per lot. */
async function round(traced: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 's3404-lifecycle-bench-'));
  const store = await SqliteLotStore.open({ path: join(dir, 'lots.sqlite') });
  try {
    const trace = new RecordingTraceSink();
    const lots = createLotManager({ store, transport: { id: 'bench', send: async () => ({ reference: 'ok' }) }, now, ...(traced ? { trace } : {}) });
    const t = performance.now();
    for (let i = 0; i < N; i++) {
      const lot: PackedLot = { ...packed, lotId: `BENCH-${i}` };
      await lots.register(lot, { b2Arl: { kind: 'b2', finess: lot.finess, b2LotNumber: lot.b2LotNumber, positive: true, receivedAt: now().toISOString() } });
    }
    const ms = (performance.now() - t) / N;
    if (traced && trace.events.length !== 4 * N) throw new Error(`expected ${4 * N} trace events, got ${trace.events.length}`);
    return ms;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`# @s3404/scor lifecycle bench — ${await machine()}, ${N} lots per round`);
const rounds: { traced: number[]; bare: number[] } = { traced: [], bare: [] };
for (let k = 0; k < 2; k++) {
  rounds.bare.push(await round(false));
  rounds.traced.push(await round(true));
}
const best = (xs: number[]): number => Math.min(...xs);
console.log(
  `register + B2 ARL + send, SQLite: with a trace sink (outbox) ${best(rounds.traced).toFixed(2)} ms per lot; peer without a sink ${best(rounds.bare).toFixed(2)} ms; ratio ${(best(rounds.traced) / best(rounds.bare)).toFixed(2)}× (rounds: ${rounds.traced.map((x) => x.toFixed(2)).join(', ')} vs ${rounds.bare.map((x) => x.toFixed(2)).join(', ')})`,
);

/**
 * The embedded stores' contract, runtime-neutral (SIG-5, SIG-6, SCOR-3, X-1): bundled once and
 * run in Node (better-sqlite3), Bun (`bun:sqlite`) and Deno (`node:sqlite`) by the hosts of
 * `hosts/store-*.mjs`. Each check answers what it saw; the test holds the expected answers.
 */
import { defaultSqliteDriver } from '@s3404/core/stores';
import type { ConsumptionStore, PendingEntry, Tombstone } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import type { LotRecord, LotStore } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import { SqliteLotStore } from '@s3404/scor/sqlite';

const T0 = Date.parse('2026-03-20T10:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const hex = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);
const codeOf = (e: unknown): string => String((e as { code?: unknown })?.code ?? (e instanceof Error ? e.name : e));
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const same = (a: Uint8Array | null | undefined, b: Uint8Array): boolean => a != null && a.length === b.length && a.every((x, i) => x === b[i]);

function pending(n: number, expiresIn = 600): PendingEntry {
  return { recordId: `0f0e0d0c-0b0a-4908-8706-0504030201${String(n).padStart(2, '0')}`, digest: hex(n), bytes: bytes(300, n), expiresAt: at(expiresIn) };
}
function tombstone(e: PendingEntry, requestId: string): Tombstone {
  return { recordId: e.recordId, digest: e.digest, target: 'bordereau:B1', requestId, consumer: `consumer-${requestId}`, claimedAt: at(10) };
}

/** What the single-use contract of a consumption store gave, step by step. */
export async function consumptionChecks(open: () => Promise<ConsumptionStore>, durable: boolean): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const store = await open();
  const e1 = pending(1);
  await store.putPending(e1);
  out['getPending is the bytes deposited'] = same((await store.getPending(e1.recordId))?.bytes, e1.bytes);
  out['second deposit'] = await store.putPending(e1).then(() => 'accepted', codeOf);
  const claims = await Promise.all(Array.from({ length: 16 }, (_, i) => store.claim(tombstone(e1, `r${i}`))));
  const winners = claims.filter((c) => c.kind === 'claimed').map((c) => c.tombstone.requestId);
  out['claims won of 16 concurrent'] = winners.length;
  out['losers see the winner'] = claims.every((c) => c.tombstone.requestId === winners[0]);
  const copy = await store.claim({ ...tombstone(e1, 'copy'), recordId: '11111111-2222-4333-8444-555555555555' });
  out['claim of a copy of the bytes (same digest)'] = copy.kind;
  out['complete by another request'] = await store.complete({ recordId: e1.recordId, requestId: 'other', at: at(11) });
  const done = await store.complete({ recordId: e1.recordId, requestId: winners[0]!, at: at(11) });
  out['complete by the winner'] = done?.completedAt;
  out['pending after use'] = await store.getPending(e1.recordId);
  out['deposit of a used record'] = await store.putPending(e1).then(() => 'accepted', codeOf);
  await store.putPending(pending(2, 5));
  out['sweep'] = await store.sweep({ expiredAt: new Date(T0 + 60_000), claimedBefore: new Date(T0) });
  out['count pending'] = await store.countPending();
  out['tombstone by digest'] = (await store.findTombstone({ digest: e1.digest }))?.recordId;
  if (durable) {
    await store.close();
    await store.close();
    out['after close'] = await store.countPending().then(() => 'answered', codeOf);
    const again = await open();
    out['tombstone after reopen'] = (await again.findTombstone({ recordId: e1.recordId }))?.requestId === winners[0];
    out['purged'] = await again.purgeTombstones({ before: new Date(T0 + 86_400_000) });
    await again.close();
  } else {
    out['purged'] = await store.purgeTombstones({ before: new Date(T0 + 86_400_000) });
  }
  return out;
}

function lot(n: number, overrides: Partial<LotRecord> = {}): LotRecord {
  return {
    lotId: `LOT-${String(n).padStart(6, '0')}`,
    finess: '750300360',
    b2LotNumber: '101',
    invoices: 3,
    files: 6,
    container: { codec: 's3404-zip/1', fileName: `LOT-${n}.zip`, mediaType: 'application/zip', bytes: 1234, sha256: 'a'.repeat(64) },
    manifestSha256: 'b'.repeat(64),
    state: 'built',
    version: 1,
    createdAt: at(0),
    updatedAt: at(0),
    dueAt: null,
    b2Arl: null,
    pjArl: null,
    attempts: 0,
    firstAttemptAt: null,
    lastAttemptAt: null,
    retryDeadline: null,
    transmittedAt: null,
    transmissionRef: null,
    paperFallbackAt: null,
    purgeAfter: null,
    purgedAt: null,
    history: [{ from: null, to: 'built', at: at(0), reason: 'constitué — « é » ✓' }],
    ...overrides,
  };
}

/** What the contract of a lot store gave, step by step. */
export async function lotChecks(open: () => Promise<LotStore>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const store = await open();
  const record = lot(1);
  const container = bytes(200_000, 3);
  await store.create(record, container);
  out['record read back'] = JSON.stringify(await store.get(record.lotId)) === JSON.stringify(record);
  out['container read back'] = same(await store.container(record.lotId), container);
  out['second create'] = await store.create(record, container).then(() => 'accepted', codeOf);
  const next = { ...record, version: 2, state: 'awaiting-b2-arl' as const, dueAt: at(3600) };
  out['update from version 1'] = await store.update(next);
  out['stale update'] = await store.update(next);
  out['due lots'] = (await store.list({ dueBefore: at(7200) })).map((r) => r.lotId);
  out['update dropping the container'] = await store.update({ ...next, version: 3 }, { dropContainer: true });
  out['container after purge'] = await store.container(record.lotId);
  out['unknown lot'] = await store.get('LOT-unknown');
  await store.close();
  return out;
}

/** The SHA-256 of `data` in lowercase hex, by Web Crypto (in every runtime). */
async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface HostFs {
  writeFileSync(path: string, data: Uint8Array): void;
}

/**
 * What a lot store with file methods gave (SCOR-3, X-2, issue 19): a container copied from its
 * file in chunks and read back chunk by chunk, a changed file refused — through the runtime's
 * own file system and SHA-256 (`process.getBuiltinModule`), as the store takes them.
 */
export async function fileLotChecks(open: () => Promise<SqliteLotStore>, dir: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const fs = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:fs') as HostFs | undefined;
  out['runtime has node:fs'] = fs !== undefined;
  if (fs === undefined) return out;
  const store = await open();
  const container = bytes(1024 * 1024 + 1000, 7);
  const path = `${dir}/container.zip`;
  fs.writeFileSync(path, container);
  const base = lot(2);
  const record = { ...base, container: { ...base.container, bytes: container.length, sha256: await sha256Hex(container) } };
  out['created from the file'] = await store.createFromFile(record, path).then(() => 'stored', codeOf);
  const chunks: Uint8Array[] = [];
  for await (const c of (await store.containerChunks(record.lotId)) ?? []) chunks.push(c.slice());
  out['chunk sizes'] = chunks.map((c) => c.length);
  out['chunks read back'] = same(new Uint8Array(chunks.flatMap((c) => [...c])), container);
  out['whole read back'] = same(await store.container(record.lotId), container);
  const changed = container.slice();
  changed[10] = changed[10]! ^ 1;
  fs.writeFileSync(path, changed);
  out['changed file'] = await store.createFromFile(lot(3, { container: record.container }), path).then(() => 'stored', codeOf);
  out['nothing stored for it'] = await store.get(lot(3).lotId);
  out['not a file'] = await store.createFromFile(lot(4, { container: record.container }), dir).then(() => 'stored', codeOf);
  await store.close();
  return out;
}

/** Every check on the memory and SQLite stores; files in `dir` (an existing folder). */
export async function storeChecks(dir: string): Promise<Record<string, unknown>> {
  let n = 0;
  const file = (name: string): string => `${dir}/${name}-${n++}.sqlite`;
  const consumption = file('consumption');
  const lots = file('lots');
  return {
    driver: defaultSqliteDriver(),
    memoryConsumption: await consumptionChecks(() => MemoryConsumptionStore.open(), false),
    sqliteConsumption: await consumptionChecks(() => SqliteConsumptionStore.open({ path: consumption }), true),
    memoryLots: await lotChecks(() => MemoryLotStore.open()),
    sqliteLots: await lotChecks(() => SqliteLotStore.open({ path: lots })),
    sqliteFileLots: await fileLotChecks(() => SqliteLotStore.open({ path: file('lots-file') }), dir),
  };
}

/** 0…n-1 in an order drawn from `seed` (Fisher–Yates over a mulberry32 stream). */
function shuffled(n: number, seed: string): number[] {
  let a = [...seed].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * One racer of the multi-process single-use race (SIG-5): opens the file, waits for `startAt`
 * (epoch milliseconds, the same for every racer), then claims each record of `ids` (shared by
 * every racer, on the same file) as request `who`, in its own order (shuffled by `who`, so the
 * racers meet all along); returns the ids it won.
 */
export async function claimRace(path: string, ids: readonly string[], who: string, startAt: number): Promise<string[]> {
  const store = await SqliteConsumptionStore.open({ path, busyTimeoutMs: 30_000 });
  const won: string[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
    for (const i of shuffled(ids.length, who)) {
      const recordId = ids[i]!;
      const claim = await store.claim({
        recordId,
        digest: i.toString(16).padStart(64, '0'),
        target: 'bordereau:B1',
        requestId: who,
        consumer: who,
        claimedAt: at(i),
      });
      if (claim.kind === 'claimed') won.push(recordId);
      // A pause between claims: SQLite's busy wait is not fair, and a racer that never lets go of the lock would win everything.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await store.close();
  }
  return won;
}

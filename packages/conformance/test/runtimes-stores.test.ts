import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { bundleNeutral, NEWER_NODES } from '@s3404/tooling/test-kit';
import { claimRace, storeChecks } from './runtimes/store-check.js';

/**
 * X-1, SIG-5, SCOR-3: the embedded stores run in Bun and Deno too. `runtimes/store-check.ts` is
 * bundled once and run in Bun (on `bun:sqlite`), Deno (on `node:sqlite`) and Node 24 without
 * better-sqlite3 (on `node:sqlite`); Node runs it from the sources (on better-sqlite3). Each runtime must give the contract's expected answers, on the
 * memory stores and on the SQLite ones (single use of a record under 16 concurrent claims, replay
 * of a copy, completion, sweep, closed store, reopen; a lot's create, compare-and-set, purge).
 * Then Node, Bun and Deno processes race for the same records on one SQLite file: every record
 * has exactly one winner, whatever the driver.
 */
const execFileP = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = resolve(here, '../node_modules/.bin');
const HOSTS = join(here, 'runtimes', 'hosts');

let work: string;
let bundlePath: string;

/** Runs a store host and parses what it prints. */
async function runHost(runtime: 'deno' | 'bun' | 'node22' | 'node24', args: readonly string[]): Promise<unknown> {
  const deno = ['run', '--no-prompt', '--no-config', `--allow-read=${work}`, `--allow-write=${work}`, join(HOSTS, 'store-deno.mjs')];
  const newer = NEWER_NODES.find((n) => `node${n.major}` === runtime);
  const command =
    newer !== undefined
      ? [newer.path, join(HOSTS, 'store-node.mjs')]
      : [join(BIN, runtime), ...(runtime === 'deno' ? deno : ['run', join(HOSTS, 'store-bun.mjs')])];
  const { stdout } = await execFileP(command[0]!, [...command.slice(1), bundlePath, ...args], {
    cwd: work,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
    // Without pnpm's NODE_PATH: the Node 22 and 24 hosts must not find this workspace's better-sqlite3.
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', NODE_PATH: '' },
  });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 's3404-runtime-stores-'));
  const { code, imports } = await bundleNeutral(join(here, 'runtimes', 'store-check.ts'), ['better-sqlite3']);
  // better-sqlite3 stays outside the bundle, loaded only on Node (the stores' optional peer).
  expect(new Set(imports)).toEqual(new Set(['better-sqlite3']));
  bundlePath = join(work, 'store.mjs');
  writeFileSync(bundlePath, code);
});
afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

const consumption = {
  'getPending is the bytes deposited': true,
  'second deposit': 'ERR_RECORD_DUPLICATE',
  'claims won of 16 concurrent': 1,
  'losers see the winner': true,
  'claim of a copy of the bytes (same digest)': 'taken',
  'complete by another request': null,
  'complete by the winner': '2026-03-20T10:00:11.000Z',
  'pending after use': null,
  'deposit of a used record': 'ERR_RECORD_DUPLICATE',
  sweep: { expired: 1, abandoned: 0 },
  'count pending': 0,
  'tombstone by digest': '0f0e0d0c-0b0a-4908-8706-050403020101',
  purged: 1,
};
const lots = {
  'record read back': true,
  'container read back': true,
  'second create': 'ERR_LOT_EXISTS',
  'update from version 1': true,
  'stale update': false,
  'due lots': ['LOT-000001'],
  'update dropping the container': true,
  'container after purge': null,
  'unknown lot': null,
};
/** The contract's answers, the driver aside. */
const expected = {
  memoryConsumption: consumption,
  sqliteConsumption: { ...consumption, 'after close': 'ERR_STORE_UNAVAILABLE', 'tombstone after reopen': true },
  memoryLots: lots,
  sqliteLots: lots,
  sqliteFileLots: {
    'runtime has node:fs': true,
    'created from the file': 'stored',
    'chunk sizes': [1024 * 1024, 1000],
    'chunks read back': true,
    'whole read back': true,
    'changed file': 'ERR_LOT_CONTAINER_CHANGED',
    'nothing stored for it': null,
    'not a file': 'ERR_FILE_UNREADABLE',
  },
};

describe('X-1 the embedded stores in Node, Bun and Deno', () => {
  it('Node: better-sqlite3', async () => {
    const dir = join(work, 'node');
    mkdirSync(dir);
    const answer = JSON.parse(JSON.stringify(await storeChecks(dir))) as Record<string, unknown>;
    expect(answer).toEqual({ driver: 'better-sqlite3', ...expected });
  });

  it.each([
    ['bun', 'bun:sqlite'],
    ['deno', 'node:sqlite'],
  ] as const)('%s: the same contract on %s and on the memory stores', async (runtime, driver) => {
    const dir = join(work, runtime);
    mkdirSync(dir);
    expect(await runHost(runtime, ['checks', dir])).toEqual({ driver, ...expected });
  });

  for (const n of NEWER_NODES)
    it.runIf(n.run)(`Node ${n.major} without better-sqlite3: the same contract on node:sqlite and on the memory stores`, async () => {
      const dir = join(work, `node${n.major}`);
      mkdirSync(dir);
      expect(await runHost(`node${n.major}` as 'node22' | 'node24', ['checks', dir])).toEqual({ driver: 'node:sqlite', node: String(n.major), ...expected });
    });

  it('Node, Bun and Deno processes claiming the same 300 records on one file: exactly one winner each', async () => {
    const path = join(work, 'race.sqlite');
    const ids = Array.from({ length: 300 }, (_, i) => `0f0e0d0c-0b0a-4908-8706-${String(i).padStart(12, '0')}`);
    const idsFile = join(work, 'race-ids.json');
    writeFileSync(idsFile, JSON.stringify(ids));
    await (await SqliteConsumptionStore.open({ path })).close();
    const startAt = Date.now() + 4000;
    // With Node 22 and 24 on node:sqlite when the set-up installed them: every driver on one file.
    const racers = ['bun-1', 'bun-2', 'deno-1', 'deno-2', ...NEWER_NODES.filter((n) => n.run).map((n) => `node${n.major}-1`)];
    const host = (who: string) => who.split('-')[0] as 'bun' | 'deno' | 'node22' | 'node24';
    const runs = await Promise.all([
      claimRace(path, ids, 'node-1', startAt),
      ...racers.map((who) => runHost(host(who), ['race', path, idsFile, who, String(startAt)]) as Promise<string[]>),
    ]);
    const winners = new Map<string, string[]>();
    for (const [i, won] of runs.entries()) for (const id of won) winners.set(id, [...(winners.get(id) ?? []), ['node-1', ...racers][i]!]);
    expect([...winners.keys()].sort()).toEqual(ids);
    expect([...winners.values()].filter((w) => w.length !== 1)).toEqual([]);
    // The file agrees: each record's tombstone names the racer that was told it won.
    const store = await SqliteConsumptionStore.open({ path });
    for (const id of ids) expect((await store.findTombstone({ recordId: id }))?.requestId).toBe(winners.get(id)![0]);
    await store.close();
    console.info(`race: ${runs.map((r, i) => `${['node-1', ...racers][i]} ${r.length}`).join(', ')}`);
  });
});

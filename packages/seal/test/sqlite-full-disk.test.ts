import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsumer, type ConsumeResult, type SealedRecord } from '@s3404/seal';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { canMountSmallDisk, fillDisk, withSmallDisk } from '@s3404/tooling/test-kit';

import { at, fixture } from './helpers.js';
import { sealMany, targetOf } from './store-contract.js';

const smallDisk = await canMountSmallDisk();

/**
 * The SQLite ledger on a disk that fills up (SIG-5, SIG-6, X-2, issue 19): a
 * real file system out of room (a small tmpfs, ENOSPC from SQLite's own
 * writes to its database and WAL), not a simulated error. A deposit or a
 * claim that finds no room is `ERR_STORE_UNAVAILABLE` (a claim:
 * `ERR_CONSUME_INCOMPLETE`), writes nothing half-way, and the same calls
 * succeed once room is made: every record deposited is then used once.
 * Needs root to mount the tmpfs; skipped otherwise.
 */
const work = mkdtempSync(join(tmpdir(), 's3404-sqlite-full-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('SqliteConsumptionStore on a full disk (SIG-5, SIG-6)', () => {
  it.skipIf(!smallDisk)(
    'deposits and claims that find no room are refused as unavailable and succeed, once each, when room is made',
    async () => {
      await withSmallDisk(join(work, 'disk'), '8m', async (disk) => {
        const stores: { close(): Promise<void> }[] = [];
        try {
          const f = await fixture({ seed: 611 });
          const records = await sealMany(f, 60, 611);
          const store = await SqliteConsumptionStore.open({ path: join(disk, 'ledger.sqlite') });
          stores.push(store);
          const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
          // Room for some deposits only, taken back from fillers the operator deletes later.
          const makeRoom = await fillDisk(disk, { chunk: 64 * 1024, room: 2 });
          const handles = new Map<SealedRecord, string>();
          const refused: string[] = [];
          for (const r of records) {
            try {
              handles.set(r, (await consumer.deposit(r)).handle);
            } catch (e) {
              refused.push((e as { code?: string }).code ?? String(e));
            }
          }
          expect(handles.size).toBeGreaterThan(0);
          expect(new Set(refused)).toEqual(new Set(['ERR_STORE_UNAVAILABLE']));
          // Claims on the full disk: each written whole or refused, resumable by its request id.
          const outcomes = new Map<SealedRecord, ConsumeResult<unknown> | string>();
          for (const [r, handle] of handles) {
            try {
              outcomes.set(r, await consumer.consume({ handle }, { target: targetOf(r), requestId: `full-${handles.size}-${outcomes.size}` }));
            } catch (e) {
              outcomes.set(r, (e as { code?: string }).code ?? String(e));
            }
          }
          const failed = [...outcomes.values()].filter((o) => typeof o === 'string');
          expect(failed.length).toBeGreaterThan(0);
          for (const o of failed) expect(['ERR_CONSUME_INCOMPLETE', 'ERR_STORE_UNAVAILABLE']).toContain(o);
          // Room again.
          makeRoom();
          let n = 0;
          for (const [r, handle] of handles) {
            const requestId = `full-${handles.size}-${n++}`;
            const done = await consumer.consume({ handle }, { target: targetOf(r), requestId });
            expect(done.status, requestId).toMatch(/^(consumed|already-consumed)$/);
          }
          for (const r of records.filter((x) => !handles.has(x))) {
            const { handle } = await consumer.deposit(r);
            expect(await consumer.consume({ handle }, { target: targetOf(r), requestId: `late-${handle}` })).toMatchObject({ status: 'consumed' });
          }
          expect(await store.countPending()).toBe(0);
          await store.close();
          const check = spawnSync('sqlite3', [join(disk, 'ledger.sqlite'), 'PRAGMA integrity_check;'], { encoding: 'utf8' });
          if (check.status === 0) expect(check.stdout.trim()).toBe('ok');
        } finally {
          for (const s of stores) await s.close().catch(() => undefined);
        }
      });
    },
    120_000,
  );
});

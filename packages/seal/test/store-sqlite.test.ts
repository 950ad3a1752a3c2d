import { RecordingTraceSink } from '@s3404/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsumer, type Consumer } from '@s3404/seal';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { at, fixture } from './helpers.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 's3404-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract({
  name: 'sqlite',
  open: async () => SqliteConsumptionStore.open({ path: join(dir, `store-${n++}.sqlite`) }),
  broken: async () => {
    const store = await SqliteConsumptionStore.open({ path: join(dir, `closed-${n++}.sqlite`) });
    await store.close();
    return store;
  },
});

/**
 * A SQLite store, a consumer sweeping it into a recording trace, and a second connection to edit its sweep outbox
 * behind its back (`insert`: id, at, consumer, expired, abandoned); both closed after `body`.
 */
async function withEditedOutbox(
  name: string,
  body: (o: { consumer: Consumer; trace: RecordingTraceSink; raw: Database.Database; insert: Database.Statement }) => Promise<void>,
): Promise<void> {
  const path = join(dir, `${name}-${n++}.sqlite`);
  const store = await SqliteConsumptionStore.open({ path });
  const f = await fixture();
  const trace = new RecordingTraceSink();
  const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null, trace });
  const raw = new Database(path);
  try {
    await body({ consumer, trace, raw, insert: raw.prepare('INSERT INTO sweeps (id, at, consumer, expired, abandoned) VALUES (?, ?, ?, ?, ?)') });
  } finally {
    raw.close();
    await store.close();
  }
}

describe('sqlite store specifics', () => {
  it('reads a sweep outbox row edited behind its back as ERR_STORE_CORRUPT, never an uncoded error (SIG-6, X-2)', async () => {
    await withEditedOutbox('outbox-edited', async ({ consumer, trace, raw, insert }) => {
      const edits = [
        ['00000000-0000-4000-8000-0000000000e1', 'not a time', 'node', 1, 0],
        ['00000000-0000-4000-8000-0000000000e2', '2026-02-30T10:00:00.000Z', 'node', 1, 0],
        ['00000000-0000-4000-8000-0000000000e3', '2026-03-20T10:00:00.000Z', 'node', -4, 0],
        ['00000000-0000-4000-8000-0000000000e4', '2026-03-20T10:00:00.000Z', 'node', 1, 2 ** 60],
        ['00000000-0000-4000-8000-0000000000e5', '2026-03-20T10:00:00.000Z', '', 1, 0],
        ['00000000-0000-4000-8000-0000000000e6', '2026-03-20T10:00:00.000Z', 'node', 0, 0],
        ['not-a-uuid', '2026-03-20T10:00:00.000Z', 'node', 1, 0],
      ] as const;
      for (const [i, row] of edits.entries()) {
        raw.prepare('DELETE FROM sweeps').run();
        insert.run(...row);
        // A sweep written after the edited row: traced all the same, and removed.
        const later = `00000000-0000-4000-8000-0000000000f${i}`;
        insert.run(later, '2026-03-20T10:05:00.000Z', 'node-2', 1, 0);
        const before = trace.events.length;
        await expect(consumer.sweep(), JSON.stringify(row)).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT', kind: 'internal' });
        expect(trace.events.slice(before).map((e) => [e.actor.personId, e.count])).toEqual([['node-2', 1]]);
        expect(raw.prepare('SELECT id FROM sweeps').all()).toEqual([{ id: row[0] }]);
      }
      raw.prepare('DELETE FROM sweeps').run();
      expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
    });
  });

  it('traces the sweeps behind more unreadable outbox rows than one page holds (SIG-6, AUD-1)', async () => {
    await withEditedOutbox('outbox-page', async ({ consumer, trace, raw, insert }) => {
      // 150 rows edited by hand, older than the good one: more than the 100 entries the consumer reads at a time.
      for (let i = 0; i < 150; i++) insert.run(`edited-${i}`, '2026-03-20T10:00:00.000Z', 'node', 1, 0);
      insert.run('00000000-0000-4000-8000-0000000000f1', '2026-03-20T10:05:00.000Z', 'node-2', 4, 0);
      await expect(consumer.sweep()).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
      expect(trace.events.map((e) => [e.actor.personId, e.count])).toEqual([['node-2', 4]]);
      expect(raw.prepare('SELECT count(*) AS n FROM sweeps').get()).toEqual({ n: 150 });
    });
  });

  it('refuses malformed options with a TypeError', async () => {
    await expect(SqliteConsumptionStore.open({ path: '' })).rejects.toThrow(TypeError);
    await expect(SqliteConsumptionStore.open({ path: join(dir, 'x.sqlite'), synchronous: 'off' as never })).rejects.toThrow(TypeError);
  });

  it('leaves no image bytes in the file once a pending record is deleted (secure_delete)', async () => {
    const path = join(dir, 'secure.sqlite');
    const store = await SqliteConsumptionStore.open({ path });
    const marker = new TextEncoder().encode('IMAGE-MARKER-'.repeat(400));
    const recordId = '0f0e0d0c-0b0a-4908-8706-050403020100';
    await store.putPending({ recordId, digest: 'a'.repeat(64), bytes: marker, expiresAt: '2026-03-20T10:30:00.000Z' });
    await store.claim({ recordId, digest: 'a'.repeat(64), target: 'bordereau:x', requestId: 'r', consumer: 'c', claimedAt: '2026-03-20T10:00:00.000Z' });
    await store.complete({ recordId, requestId: 'r', at: '2026-03-20T10:00:01.000Z' });
    await store.close();
    const files = [path, `${path}-wal`].flatMap((p) => {
      try {
        return [readFileSync(p)];
      } catch {
        return [];
      }
    });
    expect(files.some((b) => b.includes(Buffer.from('IMAGE-MARKER-IMAGE-MARKER')))).toBe(false);
  });

  it('claims with its tombstone alone: the pending bytes are not written again (issue 19)', async () => {
    // A claim used to mark the pending row as well, rewriting its sealed bytes (several pages of the WAL) on every use.
    const path = join(dir, `claim-pages-${n++}.sqlite`);
    const store = await SqliteConsumptionStore.open({ path, synchronous: 'normal' });
    const marker = new TextEncoder().encode('SEALED-BYTES-'.repeat(2000));
    const recordId = '1f0e0d0c-0b0a-4908-8706-050403020100';
    try {
      await store.putPending({ recordId, digest: 'b'.repeat(64), bytes: marker, expiresAt: '2026-03-20T10:30:00.000Z' });
      const walBefore = readFileSync(`${path}-wal`).length;
      const claimed = await store.claim({
        recordId,
        digest: 'b'.repeat(64),
        target: 'bordereau:x',
        requestId: 'r',
        consumer: 'c',
        claimedAt: '2026-03-20T10:00:00.000Z',
      });
      expect(claimed.kind).toBe('claimed');
      // The frames the claim appended: the tombstones' table and indexes (4 pages, 16 KB), not the 26 KB record again (74 KB before).
      expect(readFileSync(`${path}-wal`).length - walBefore).toBeLessThan(marker.length);
      expect(await store.getPending(recordId)).toMatchObject({ bytes: marker });
    } finally {
      await store.close();
    }
  });

  it('sweeps the claims an earlier version left abandoned, which marked the pending row too, after the grace period only (SIG-6)', async () => {
    const path = join(dir, `earlier-claim-${n++}.sqlite`);
    const store = await SqliteConsumptionStore.open({ path });
    const f = await fixture();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10 + 61), keyHolder: null, claimGraceSeconds: 60 });
    try {
      await store.putPending({ recordId: 'old-claim', digest: 'c'.repeat(64), bytes: new Uint8Array(8), expiresAt: at(10 + 3600).toISOString() });
      await store.putPending({ recordId: 'recent-claim', digest: 'd'.repeat(64), bytes: new Uint8Array(8), expiresAt: at(10 + 3600).toISOString() });
      // What an earlier version's claim wrote: the tombstone, and `claimed_at` on the pending row.
      const raw = new Database(path);
      for (const [id, digest, claimedAt] of [
        ['old-claim', 'c', at(10)],
        ['recent-claim', 'd', at(10 + 30)],
      ] as const) {
        raw
          .prepare('INSERT INTO tombstones (record_id, digest, target, request_id, consumer, claimed_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(id, digest.repeat(64), 'bordereau:x', 'r', 'c', claimedAt.toISOString());
        raw.prepare('UPDATE pending SET claimed_at = ? WHERE record_id = ?').run(claimedAt.toISOString(), id);
      }
      raw.close();
      expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 1 });
      expect(await store.getPending('old-claim')).toBeNull();
      expect(await store.getPending('recent-claim')).not.toBeNull();
    } finally {
      await store.close();
    }
  });
});

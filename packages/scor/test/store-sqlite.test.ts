import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { canMountSmallDisk, fillDisk, withSmallDisk } from '@s3404/tooling/test-kit';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { lotRecord, lotStoreContract, pendingTrace } from './lot-store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 's3404-scor-sqlite-'));
const smallDisk = await canMountSmallDisk();
let n = 0;
const fresh = (name = 'store'): string => join(dir, `${name}-${n++}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

lotStoreContract({
  name: 'sqlite',
  open: () => SqliteLotStore.open({ path: fresh() }),
  // Opening in a missing directory already fails (tested below); a closed store stands for a lost file handle.
  broken: async () => {
    const store = await SqliteLotStore.open({ path: fresh('closed') });
    await store.close();
    return store;
  },
});

/** Runs `fn` on a second, raw connection to the file (what another process or an operator would do). */
function raw<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('sqlite lot store specifics (SCOR-3)', () => {
  it('refuses malformed options with a TypeError', async () => {
    await expect(SqliteLotStore.open({ path: '' })).rejects.toThrow(TypeError);
    await expect(SqliteLotStore.open(null as never)).rejects.toThrow(TypeError);
    await expect(SqliteLotStore.open({ path: 42 as never })).rejects.toThrow(TypeError);
    await expect(SqliteLotStore.open({ path: fresh(), synchronous: 'off' as never })).rejects.toThrow(TypeError);
    await expect(SqliteLotStore.open({ path: fresh(), busyTimeoutMs: -1 })).rejects.toThrow(TypeError);
    await expect(SqliteLotStore.open({ path: fresh(), busyTimeoutMs: 1.5 })).rejects.toThrow(TypeError);
  });

  it('reports a file SQLite cannot open (a directory that does not exist) as ERR_LOT_STORE_MISCONFIGURED: no retry opens it (issue 19)', async () => {
    const error = await SqliteLotStore.open({ path: join(dir, 'no-such-dir', 'lots.sqlite') }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_LOT_STORE_MISCONFIGURED',
      kind: 'internal',
      params: { detail: expect.stringContaining('sqlite open: SQLITE_CANTOPEN') },
    });
    expect((error as Error).cause).toBeDefined();
  });

  it('creates the schema it documents: STRICT tables, indexes, WAL journal', async () => {
    const path = fresh();
    const store = await SqliteLotStore.open({ path, synchronous: 'normal', busyTimeoutMs: 500 });
    await store.close();
    raw(path, (db) => {
      const tables = db
        .prepare<[], { name: string; strict: number }>(
          "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all();
      expect(tables).toEqual([
        { name: 'container_chunks', strict: 1 },
        { name: 'containers', strict: 1 },
        { name: 'lots', strict: 1 },
      ]);
      const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
      expect(indexes.map((i) => i.name)).toEqual(['lots_due', 'lots_finess_b2', 'lots_state_due', 'lots_untraced']);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    });
    // Reopening an existing file is idempotent.
    await (await SqliteLotStore.open({ path })).close();
  });

  it('finds the lots holding undelivered trace events through the partial index, not by reading every record', async () => {
    const path = fresh();
    const store = await SqliteLotStore.open({ path });
    const pending = pendingTrace('1.0');
    for (let i = 1; i <= 300; i++) await store.create(lotRecord(1000 + i, i % 150 === 0 ? { untraced: [pending] } : {}), new Uint8Array([1]));
    expect((await store.list({ untraced: true })).map((r) => r.lotId)).toEqual(['LOT-001150', 'LOT-001300']);
    await store.close();
    raw(path, (db) => {
      db.exec('ANALYZE');
      // The store's query for `untraced: true`, its predicate word for word.
      const plan = db
        .prepare<[], { detail: string }>(
          `EXPLAIN QUERY PLAN SELECT lot_id, version, record FROM lots WHERE instr(record, '"untraced":') > 0 ORDER BY due_at IS NULL, due_at, lot_id LIMIT 1000`,
        )
        .all();
      expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING (COVERING )?INDEX lots_untraced/);
    });
  });

  it('leaves no container bytes in the file once purged (secure_delete)', async () => {
    const path = fresh('secure');
    const store = await SqliteLotStore.open({ path });
    const marker = Buffer.from('PJ-MARKER-'.repeat(20_000)); // 200 kB: overflow pages
    const needle = Buffer.from('PJ-MARKER-PJ-MARKER-PJ-MARKER');
    const filesHold = (): boolean =>
      [path, `${path}-wal`].some((p) => {
        try {
          return readFileSync(p).includes(needle);
        } catch {
          return false;
        }
      });
    const checkpoint = (): void => raw(path, (db) => void db.pragma('wal_checkpoint(TRUNCATE)'));
    const r1 = lotRecord(1);
    await store.create(r1, new Uint8Array(marker));
    checkpoint();
    expect(filesHold()).toBe(true); // the test can see the bytes at all
    const r2 = { ...r1, version: 2, state: 'purged' as const, purgedAt: r1.createdAt };
    expect(await store.update(r2, { dropContainer: true })).toBe(true);
    checkpoint();
    expect(filesHold()).toBe(false);
    expect(await store.container(r1.lotId)).toBeNull();
    expect(await store.get(r1.lotId)).toEqual(r2);
    await store.close();
    expect(filesHold()).toBe(false);
  });

  it('does not drop the container when the compare-and-set fails', async () => {
    const store = await SqliteLotStore.open({ path: fresh() });
    const r1 = lotRecord(2);
    await store.create(r1, new Uint8Array([1, 2, 3]));
    expect(await store.update({ ...r1, version: 3, state: 'purged' }, { dropContainer: true })).toBe(false);
    expect(await store.container(r1.lotId)).toEqual(new Uint8Array([1, 2, 3]));
    await store.close();
  });

  it('shares one file between two handles: each sees the other, a stale handle loses the compare-and-set', async () => {
    const path = fresh();
    const a = await SqliteLotStore.open({ path });
    const b = await SqliteLotStore.open({ path });
    const r1 = lotRecord(3);
    await a.create(r1, new Uint8Array([9]));
    await expect(b.create(r1, new Uint8Array([9]))).rejects.toMatchObject({ code: 'ERR_LOT_EXISTS' });
    const seen = (await b.get(r1.lotId))!;
    expect(await a.update({ ...r1, version: 2, attempts: 1 })).toBe(true);
    expect(await b.update({ ...seen, version: 2, attempts: 7 })).toBe(false);
    expect((await b.get(r1.lotId))?.attempts).toBe(1);
    await a.close();
    await b.close();
  });

  it('reports a lock held past busyTimeoutMs as ERR_LOT_STORE_UNAVAILABLE', async () => {
    const path = fresh();
    const store = await SqliteLotStore.open({ path, busyTimeoutMs: 50 });
    await store.create(lotRecord(4), new Uint8Array([1]));
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      await expect(store.update({ ...lotRecord(4), version: 2 })).rejects.toMatchObject({
        code: 'ERR_LOT_STORE_UNAVAILABLE',
        params: { detail: 'sqlite update: SQLITE_BUSY' },
      });
      // Readers are not blocked by a writer (WAL).
      expect((await store.get('LOT-000004'))?.version).toBe(1);
      other.exec('ROLLBACK');
      expect(await store.update({ ...lotRecord(4), version: 2 })).toBe(true);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('reports a row that no longer reads as a lot as ERR_LOT_STORE_CORRUPT', async () => {
    const path = fresh();
    const store = await SqliteLotStore.open({ path });
    for (const i of [5, 6, 7, 8]) await store.create(lotRecord(i), new Uint8Array([i]));
    raw(path, (db) => {
      const set = db.prepare<[string, string]>('UPDATE lots SET record = ? WHERE lot_id = ?');
      set.run('{"lotId": "LOT-000005", "untraced": broken', 'LOT-000005');
      set.run(JSON.stringify({ ...lotRecord(6), state: 'lost' }), 'LOT-000006');
      set.run(JSON.stringify(lotRecord(99)), 'LOT-000007');
    });
    for (const [id, detail] of [
      ['LOT-000005', 'not JSON'],
      ['LOT-000006', 'state'],
      ['LOT-000007', 'does not match'],
    ] as const) {
      await expect(store.get(id)).rejects.toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT', params: { detail: expect.stringContaining(detail) } });
    }
    await expect(store.list()).rejects.toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT' });
    // Asked to, list skips what no longer reads and names it: one damaged row does not hide the others.
    const unreadable: [string, string][] = [];
    const listed = await store.list({ onUnreadable: (lotId, e) => unreadable.push([lotId, e.code]) });
    expect(listed.map((r) => r.lotId)).toEqual(['LOT-000008']);
    expect(unreadable.sort()).toEqual([
      ['LOT-000005', 'ERR_LOT_STORE_CORRUPT'],
      ['LOT-000006', 'ERR_LOT_STORE_CORRUPT'],
      ['LOT-000007', 'ERR_LOT_STORE_CORRUPT'],
    ]);
    // Rows that still read are untouched.
    expect(await store.get('LOT-000008')).toEqual(lotRecord(8));
    // Asking for the lots holding undelivered trace events reads no JSON in SQL: a row that is not JSON fails nothing.
    const named: string[] = [];
    expect(await store.list({ untraced: true, onUnreadable: (lotId) => named.push(lotId) })).toEqual([]);
    expect(named).toEqual(['LOT-000005']);
    await store.close();
  });

  it('refuses an invalid record with a TypeError and writes nothing', async () => {
    const store = await SqliteLotStore.open({ path: fresh() });
    await expect(store.create({ ...lotRecord(9), finess: 'nope' }, new Uint8Array([1]))).rejects.toThrow(TypeError);
    await expect(store.create(lotRecord(9), 'bytes' as never)).rejects.toThrow(TypeError);
    expect(await store.get('LOT-000009')).toBeNull();
    await store.create(lotRecord(9), new Uint8Array([1]));
    await expect(store.update({ ...lotRecord(9), version: 2, dueAt: 'soon' })).rejects.toThrow(TypeError);
    expect((await store.get('LOT-000009'))?.version).toBe(1);
    await store.close();
  });

  it('filters due dates at the edges of the ISO range and orders ids as JS does', async () => {
    const store = await SqliteLotStore.open({ path: fresh() });
    await store.create(lotRecord(10, { lotId: 'lot-b', dueAt: '0000-01-01T00:00:00.000Z' }), new Uint8Array([1]));
    await store.create(lotRecord(11, { lotId: 'LOT-Z', dueAt: '9999-12-31T23:59:59.999Z' }), new Uint8Array([1]));
    await store.create(lotRecord(12, { lotId: 'LOT-a', dueAt: null }), new Uint8Array([1]));
    await store.create(lotRecord(13, { lotId: 'LOT-B', dueAt: null }), new Uint8Array([1]));
    const ids = async (q: Parameters<SqliteLotStore['list']>[0]): Promise<string[]> => (await store.list(q)).map((r) => r.lotId);
    expect(await ids({})).toEqual(['lot-b', 'LOT-Z', 'LOT-B', 'LOT-a']);
    expect(['LOT-a', 'LOT-B'].sort()).toEqual(['LOT-B', 'LOT-a']);
    expect(await ids({ dueBefore: '+275760-09-13T00:00:00.000Z' })).toEqual(['lot-b', 'LOT-Z']);
    expect(await ids({ dueBefore: '-000001-01-01T00:00:00.000Z' })).toEqual([]);
    expect(await ids({ dueBefore: '2026-03-02' })).toEqual(['lot-b']);
    await store.close();
  });

  it.skipIf(!smallDisk)(
    'on a real full disk (a tmpfs, ENOSPC): a lot created from bytes or from a file, or a transition, is written whole or refused ERR_LOT_STORE_UNAVAILABLE; with room, the same calls succeed',
    async () => {
      const file = join(dir, 'container.zip');
      const big = new Uint8Array(3 * 1024 * 1024 + 17);
      for (let i = 0; i < big.length; i++) big[i] = (i * 2_654_435_761) >>> 24;
      writeFileSync(file, big);
      const bigRecord = lotRecord(900, {
        container: { ...lotRecord(900).container, bytes: big.length, sha256: createHash('sha256').update(big).digest('hex') },
      });
      await withSmallDisk(join(dir, 'full-disk'), '32m', async (disk) => {
        const store = await SqliteLotStore.open({ path: join(disk, 'lots.sqlite') });
        try {
          const makeRoom = await fillDisk(disk, { chunk: 256 * 1024, room: 1 });
          const container = (n: number): Uint8Array => Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7 + n) & 0xff);
          const created: number[] = [];
          const refused = new Set<string>();
          for (let n = 0; n < 40; n++) {
            try {
              await store.create(lotRecord(n), container(n));
              created.push(n);
            } catch (e) {
              refused.add((e as { code?: string }).code ?? String(e));
            }
          }
          const fromFile = await store.createFromFile(bigRecord, file).then(
            () => 'written',
            (e: { code?: string }) => e.code,
          );
          expect(fromFile).toBe('ERR_LOT_STORE_UNAVAILABLE');
          expect(await store.get(bigRecord.lotId)).toBeNull();
          expect(created.length).toBeGreaterThan(0);
          expect([...refused]).toEqual(['ERR_LOT_STORE_UNAVAILABLE']);
          for (let n = 0; n < 40; n++) {
            if (created.includes(n)) expect(await store.container(lotRecord(n).lotId)).toEqual(container(n));
            else expect(await store.get(lotRecord(n).lotId)).toBeNull();
          }
          const first = lotRecord(created[0]!);
          const moved = await store.update({ ...first, version: 2, state: 'sent' }).then(
            (ok) => (ok ? 'written' : 'conflict'),
            (e: { code?: string }) => e.code,
          );
          expect(['written', 'ERR_LOT_STORE_UNAVAILABLE']).toContain(moved);
          expect(await store.get(first.lotId)).toMatchObject(moved === 'written' ? { version: 2, state: 'sent' } : { version: 1, state: 'built' });
          // Room again: the refused lots and the big one are written whole.
          makeRoom();
          for (let n = 0; n < 40; n++) if (!created.includes(n)) await store.create(lotRecord(n), container(n));
          await store.createFromFile(bigRecord, file);
          expect(Buffer.from((await store.container(bigRecord.lotId))!).equals(big)).toBe(true);
          expect((await store.list()).length).toBe(41);
          const current = (await store.get(first.lotId))!;
          expect(await store.update({ ...current, version: current.version + 1, state: 'arl-positive' })).toBe(true);
          expect(await store.get(first.lotId)).toMatchObject({ version: current.version + 1, state: 'arl-positive' });
        } finally {
          await store.close();
        }
      });
    },
  );
});

describe('a sqlite lot store whose file is damaged (issue 19)', () => {
  it('is ERR_LOT_STORE_CORRUPT (kind internal: restore the file), never ERR_LOT_STORE_UNAVAILABLE ("retry later")', async () => {
    const path = fresh('damaged');
    const store = await SqliteLotStore.open({ path });
    // Containers of several pages each, so that the tables' pages lie past the first (the header and the schema).
    for (let i = 0; i < 4; i++) await store.create(lotRecord(500 + i), new Uint8Array(20_000).fill(i + 1));
    const record = lotRecord(500);
    await store.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(8192);
    bytes.fill(0xa5, 4096);
    writeFileSync(path, bytes);
    const reopened = await SqliteLotStore.open({ path });
    try {
      const read = await reopened.get(record.lotId).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(read, String(read)).toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT', kind: 'internal' });
      expect(String((read as Error).message)).toMatch(/SQLITE_CORRUPT/);
    } finally {
      await reopened.close();
    }
  });
});

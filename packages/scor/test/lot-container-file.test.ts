import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import {
  createLotManager,
  type Arl,
  type LotChunkTransmission,
  type LotRecord,
  type LotTransmission,
  type PackedLotFile,
  type Transport,
  type TransportReceipt,
} from '@s3404/scor';
import { FileDropTransport, packLotFile } from '@s3404/scor/file';
import { MemoryLotStore } from '@s3404/scor/memory';
import { PostgresLotStore } from '@s3404/scor/postgres';
import { SqliteLotStore } from '@s3404/scor/sqlite';
import { lotFixture, type LotFixture } from './fixtures/lot.js';
import { withTemp } from './fixtures/tools.js';
import { lotRecord } from './lot-store-contract.js';

/** Issue 19: a lot container taken from its file and sent back chunk by chunk, never whole in memory (SCOR-3, X-2). */

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const now = (): Date => new Date(T0);
const MiB = 1024 * 1024;
const hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** A record describing `container`, and the file holding it. */
function containerFile(dir: string, n: number, container: Uint8Array): { record: LotRecord; path: string } {
  const path = join(dir, `container-${n}.zip`);
  writeFileSync(path, container);
  const base = lotRecord(n);
  return { path, record: { ...base, container: { ...base.container, bytes: container.length, sha256: hex(container) } } };
}

const collect = async (chunks: AsyncIterable<Uint8Array>): Promise<{ sizes: number[]; all: Buffer }> => {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return { sizes: parts.map((p) => p.length), all: Buffer.concat(parts) };
};

/**
 * A lot store with file methods, opened in a test's folder, and how to reach behind its back: alter
 * one stored chunk, count the chunk rows a lot has left.
 */
interface FileStoreBackend {
  readonly name: string;
  open(dir: string): Promise<SqliteLotStore | PostgresLotStore>;
  alterChunk(dir: string, lotId: string, seq: number): Promise<void>;
  chunkRows(dir: string, lotId: string): Promise<number>;
}

const pgUrl = process.env['S3404_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgAdmin = new pg.Pool({ connectionString: pgUrl, max: 2 });
const pgPrefixes = new Map<string, string>();
let pgCounter = 0;
afterAll(async () => {
  for (const tablePrefix of pgPrefixes.values()) await (await PostgresLotStore.open({ pool: pgAdmin, tablePrefix, createTables: false })).dropTables();
  await pgAdmin.end();
});

const backends: FileStoreBackend[] = [
  {
    name: 'SqliteLotStore',
    open: (dir) => SqliteLotStore.open({ path: join(dir, 'lots.sqlite') }),
    async alterChunk(dir, lotId, seq) {
      const db = new Database(join(dir, 'lots.sqlite'));
      db.prepare("UPDATE container_chunks SET bytes = x'00' WHERE lot_id = ? AND seq = ?").run(lotId, seq);
      db.close();
    },
    async chunkRows(dir, lotId) {
      const db = new Database(join(dir, 'lots.sqlite'));
      const n = (db.prepare('SELECT count(*) AS n FROM container_chunks WHERE lot_id = ?').get(lotId) as { n: number }).n;
      db.close();
      return n;
    },
  },
  {
    name: 'PostgresLotStore',
    async open(dir) {
      // One table prefix per test folder: the tests do not see each other's lots.
      let tablePrefix = pgPrefixes.get(dir);
      if (tablePrefix === undefined) {
        tablePrefix = `t_scorf_${process.pid}_${pgCounter++}_`;
        pgPrefixes.set(dir, tablePrefix);
      }
      return PostgresLotStore.open({ connectionString: pgUrl, tablePrefix });
    },
    async alterChunk(dir, lotId, seq) {
      await pgAdmin.query(`UPDATE ${pgPrefixes.get(dir)}lot_container_chunks SET bytes = '\\x00' WHERE lot_id = $1 AND seq = $2`, [lotId, seq]);
    },
    async chunkRows(dir, lotId) {
      const { rows } = await pgAdmin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${pgPrefixes.get(dir)}lot_container_chunks WHERE lot_id = $1`, [
        lotId,
      ]);
      return rows[0]!.n;
    },
  },
];

describe.each(backends)('$name: createFromFile and containerChunks (SCOR-3, issue 19)', (backend) => {
  it('stores a container from its file in 1 MiB chunks and gives it back whole or chunk by chunk', async () => {
    await withTemp(async (dir) => {
      const store = await backend.open(dir);
      try {
        const container = bytes(2 * MiB + 12_345, 3);
        const { record, path } = containerFile(dir, 1, container);
        await store.createFromFile(record, path);
        expect(await store.get(record.lotId)).toEqual(record);
        expect(Buffer.from((await store.container(record.lotId))!).equals(container)).toBe(true);
        const { sizes, all } = await collect((await store.containerChunks(record.lotId))!);
        expect(sizes).toEqual([MiB, MiB, 12_345]);
        expect(all.equals(container)).toBe(true);
        // The store keeps its own copy: the file may go.
        writeFileSync(path, 'gone');
        expect(hex((await store.container(record.lotId))!)).toBe(record.container.sha256);
        // A container stored as bytes comes as one chunk; unknown lots are null.
        const small = bytes(5000, 9);
        const other = { ...lotRecord(2), container: { ...lotRecord(2).container, bytes: small.length, sha256: hex(small) } };
        await store.create(other, small);
        expect((await collect((await store.containerChunks(other.lotId))!)).all.equals(small)).toBe(true);
        expect(await store.containerChunks('LOT-unknown')).toBeNull();
        await expect(store.createFromFile(record, path)).rejects.toMatchObject({ code: 'ERR_LOT_EXISTS' });
      } finally {
        await store.close();
      }
    });
  });

  it('refuses a file that is not the container the record describes, and stores nothing', async () => {
    await withTemp(async (dir) => {
      const store = await backend.open(dir);
      try {
        const container = bytes(MiB + 10, 4);
        const { record, path } = containerFile(dir, 3, container);
        // Same length, one byte changed in the second chunk: only the SHA-256 tells.
        const changed = container.slice();
        changed[MiB + 5] = changed[MiB + 5]! ^ 1;
        writeFileSync(path, changed);
        const error = await store.createFromFile(record, path).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'ERR_LOT_CONTAINER_CHANGED', kind: 'input', params: { lotId: record.lotId, bytes: MiB + 10, read: MiB + 10 } });
        expect((error as Error).message).toContain('ne correspond plus');
        // Longer than the record says.
        writeFileSync(path, Buffer.concat([container, Buffer.from('x')]));
        await expect(store.createFromFile(record, path)).rejects.toMatchObject({ code: 'ERR_LOT_CONTAINER_CHANGED', params: { read: MiB + 11 } });
        // Not there, or not a file.
        await expect(store.createFromFile(record, join(dir, 'missing.zip'))).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE' });
        await expect(store.createFromFile(record, dir)).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE' });
        // A FIFO with no writer: refused at once (ENOTFILE), never an open that waits for ever.
        const fifo = join(dir, 'lot.fifo');
        execFileSync('mkfifo', [fifo]);
        const t0 = performance.now();
        await expect(store.createFromFile(record, fifo)).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE', params: { reason: 'ENOTFILE' } });
        expectWithinBound(performance.now() - t0, 2_000, 'refusing a FIFO with no writer', { clock: 'wall' });
        await expect(store.createFromFile(record, '')).rejects.toThrow(TypeError);
        // The transaction rolled back: neither the lot nor any chunk is there, and the id is still free.
        expect(await store.get(record.lotId)).toBeNull();
        expect(await store.container(record.lotId)).toBeNull();
        writeFileSync(path, container);
        await store.createFromFile(record, path);
        expect(hex((await store.container(record.lotId))!)).toBe(record.container.sha256);
      } finally {
        await store.close();
      }
    });
  });

  it('throws ERR_LOT_STORE_CORRUPT from the iteration, before its end, when a stored chunk was altered', async () => {
    await withTemp(async (dir) => {
      const store = await backend.open(dir);
      try {
        const { record, path } = containerFile(dir, 4, bytes(MiB + 100, 5));
        await store.createFromFile(record, path);
        await backend.alterChunk(dir, record.lotId, 1);
        const seen: number[] = [];
        const reading = (async () => {
          for await (const c of (await store.containerChunks(record.lotId))!) seen.push(c.length);
        })();
        await expect(reading).rejects.toMatchObject({ code: 'ERR_LOT_STORE_CORRUPT' });
        expect(seen).toEqual([MiB, 1]);
      } finally {
        await store.close();
      }
    });
  });

  it('purges the chunks with the lot', async () => {
    await withTemp(async (dir) => {
      const store = await backend.open(dir);
      const marker = Buffer.from('PJ-MARKER-'.repeat(150_000)); // 1.5 MB: two chunks
      const { record, path } = containerFile(dir, 5, marker);
      await store.createFromFile(record, path);
      expect(await backend.chunkRows(dir, record.lotId)).toBe(2);
      // A stale compare-and-set drops nothing.
      expect(await store.update({ ...record, version: 3, state: 'purged' }, { dropContainer: true })).toBe(false);
      expect(await backend.chunkRows(dir, record.lotId)).toBe(2);
      const next = { ...record, version: 2, state: 'purged' as const };
      expect(await store.update(next, { dropContainer: true })).toBe(true);
      expect(await backend.chunkRows(dir, record.lotId)).toBe(0);
      expect(await store.container(record.lotId)).toBeNull();
      expect(await store.containerChunks(record.lotId)).toBeNull();
      await store.close();
      if (backend.name !== 'SqliteLotStore') return;
      // SQLite's secure_delete: no byte of them is left in the file either.
      const file = join(dir, 'lots.sqlite');
      const needle = Buffer.from('PJ-MARKER-PJ-MARKER-PJ-MARKER');
      for (const p of [file, `${file}-wal`]) if (existsSync(p)) expect(readFileSync(p).includes(needle), p).toBe(false);
    });
  });
});

/** A file-drop transport that counts which of its two methods the lifecycle calls. */
class CountingTransport implements Transport {
  readonly id = 'counting';
  readonly calls: string[] = [];
  readonly chunkSizes: number[] = [];
  constructor(readonly inner: FileDropTransport) {}
  async send(lot: LotTransmission): Promise<TransportReceipt> {
    this.calls.push('send');
    return this.inner.send(lot);
  }
  async sendChunks(lot: LotChunkTransmission): Promise<TransportReceipt> {
    this.calls.push('sendChunks');
    const sizes = this.chunkSizes;
    const chunks = {
      async *[Symbol.asyncIterator]() {
        for await (const c of lot.chunks) {
          sizes.push(c.length);
          yield c;
        }
      },
    };
    return this.inner.sendChunks({ ...lot, chunks });
  }
}

describe.each(backends)('LotManager.register with a lot packed to a file, on $name (SCOR-3, issue 19)', (backend) => {
  let fx: LotFixture;
  beforeAll(async () => {
    fx = await lotFixture(2);
  });
  const b2Arl = (lot: PackedLotFile): Arl => ({
    kind: 'b2',
    finess: lot.finess,
    b2LotNumber: lot.b2LotNumber,
    positive: true,
    receivedAt: new Date(T0).toISOString(),
  });

  it('registers it from its file and sends it chunk by chunk: the dropped file is the packed one', async () => {
    await withTemp(async (dir) => {
      const lot = await packLotFile(fx.description, { files: (f) => fx.files.get(f), dir: join(dir, 'scor'), now });
      const store = await backend.open(dir);
      try {
        const transport = new CountingTransport(new FileDropTransport({ dir: join(dir, 'outbox') }));
        const lots = createLotManager({ store, transport, now });
        const sent = await lots.register(lot, { b2Arl: b2Arl(lot) });
        expect(sent).toMatchObject({ state: 'sent', attempts: 1, container: { bytes: lot.container.length, sha256: lot.container.sha256 } });
        expect(transport.calls).toEqual(['sendChunks']);
        const dropped = join(dir, 'outbox', sent.transmissionRef!);
        expect(readFileSync(dropped).equals(readFileSync(lot.container.path))).toBe(true);
        expect(Math.max(...transport.chunkSizes)).toBeLessThanOrEqual(MiB);
        expect(readdirSync(join(dir, 'outbox', lot.lotId, 'attempt-1'))).toEqual([lot.container.fileName]);
      } finally {
        await store.close();
      }
    });
  });

  it('registers nothing when the file changed after packing', async () => {
    await withTemp(async (dir) => {
      const lot = await packLotFile(fx.description, { files: (f) => fx.files.get(f), dir: join(dir, 'scor'), now });
      const changed = readFileSync(lot.container.path);
      changed[changed.length - 30] = changed[changed.length - 30]! ^ 1;
      writeFileSync(lot.container.path, changed);
      const store = await backend.open(dir);
      try {
        const lots = createLotManager({ store, transport: new FileDropTransport({ dir: join(dir, 'outbox') }), now });
        await expect(lots.register(lot, { b2Arl: b2Arl(lot) })).rejects.toMatchObject({ code: 'ERR_LOT_CONTAINER_CHANGED' });
        expect(await store.get(lot.lotId)).toBeNull();
        expect(existsSync(join(dir, 'outbox'))).toBe(false);
      } finally {
        await store.close();
      }
    });
  });

  it('fails the attempt, and drops no file, when the stored container no longer matches its SHA-256', async () => {
    await withTemp(async (dir) => {
      const lot = await packLotFile(fx.description, { files: (f) => fx.files.get(f), dir: join(dir, 'scor'), now });
      const store = await backend.open(dir);
      try {
        const lots = createLotManager({ store, transport: new FileDropTransport({ dir: join(dir, 'outbox') }), now });
        await lots.register(lot);
        await backend.alterChunk(dir, lot.lotId, 0);
        const [after] = await lots.recordArl(b2Arl(lot));
        expect(after).toMatchObject({ state: 'retrying', attempts: 1, transmittedAt: null });
        expect(after!.history.at(-1)?.reason).toContain(lot.lotId);
        // No file, and no folder of the failed attempt: the drop folder shows whole lots only.
        expect(readdirSync(join(dir, 'outbox'))).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });

  it('refuses a container file for a store that cannot take one (TypeError), and still takes a PackedLot there', async () => {
    await withTemp(async (dir) => {
      const lot = await packLotFile(fx.description, { files: (f) => fx.files.get(f), dir: join(dir, 'scor'), now });
      const store = new MemoryLotStore();
      const lots = createLotManager({ store, transport: new FileDropTransport({ dir: join(dir, 'outbox') }), now });
      await expect(lots.register(lot)).rejects.toThrow(TypeError);
      await expect(lots.register({ ...lot, container: { ...lot.container, length: -1 } })).rejects.toThrow(TypeError);
      expect(await store.get(lot.lotId)).toBeNull();
      const { path, length, ...container } = lot.container;
      const record = await lots.register({ ...lot, container: { ...container, bytes: new Uint8Array(readFileSync(path)) } }, { b2Arl: b2Arl(lot) });
      expect(record).toMatchObject({ state: 'sent', container: { bytes: length } });
    });
  });
});

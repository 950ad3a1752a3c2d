import { afterAll, describe, expect, it } from 'vitest';
import type { LotRecord, LotStore } from '@s3404/scor';

/** What a lot-store test file gives the shared contract (SCOR-3). */
export interface LotStoreUnderTest {
  readonly name: string;
  /** A fresh, empty store (its own table prefix or file). */
  open(): Promise<LotStore>;
  /** A store whose backend is unreachable, for ERR_LOT_STORE_UNAVAILABLE. */
  broken?(): Promise<LotStore>;
}

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

/** A valid lot record; `n` makes its identity. */
export function lotRecord(n: number, overrides: Partial<LotRecord> = {}): LotRecord {
  return {
    lotId: `LOT-${String(n).padStart(6, '0')}`,
    finess: n % 2 === 0 ? '750300360' : '130786049',
    b2LotNumber: String(100 + (n % 7)),
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

/** A trace event a lot keeps until delivered (`LotRecord.untraced`), `minutes` after the contract's start. */
export function pendingTrace(key: string, minutes = 0): NonNullable<LotRecord['untraced']>[number] {
  return {
    key,
    action: 'lot.purged',
    outcome: 'success',
    at: at(minutes),
    actor: { personId: 'service', role: 'service', terminalId: 's3404-scor' },
    reason: 'arl-positive → purged',
  };
}

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** The behaviour every lot store must have (SCOR-3). */
export function lotStoreContract(sut: LotStoreUnderTest): void {
  describe(`${sut.name}: lot store contract (SCOR-3)`, () => {
    const stores: LotStore[] = [];
    const open = async (): Promise<LotStore> => {
      const s = await sut.open();
      stores.push(s);
      return s;
    };
    afterAll(async () => {
      for (const s of stores) await s.close();
    });

    it('creates, reads back the same record and container, refuses a second create', async () => {
      const store = await open();
      const record = lotRecord(1);
      const container = bytes(100_000, 3);
      await store.create(record, container);
      expect(await store.get(record.lotId)).toEqual(record);
      expect(await store.container(record.lotId)).toEqual(container);
      await expect(store.create(lotRecord(1, { invoices: 9 }), container)).rejects.toMatchObject({ code: 'ERR_LOT_EXISTS' });
      expect((await store.get(record.lotId))?.invoices).toBe(3);
      expect(await store.get('LOT-unknown')).toBeNull();
      expect(await store.container('LOT-unknown')).toBeNull();
    });

    it('keeps a 12 MB container byte for byte', async () => {
      const store = await open();
      const big = bytes(12 * 1024 * 1024, 7);
      await store.create(lotRecord(2), big);
      const back = await store.container('LOT-000002');
      expect(back?.length).toBe(big.length);
      expect(Buffer.from(back!).equals(Buffer.from(big))).toBe(true);
    });

    it('updates by compare-and-set on the version, and drops the container on purge', async () => {
      const store = await open();
      const r1 = lotRecord(3);
      await store.create(r1, bytes(10, 1));
      const r2: LotRecord = {
        ...r1,
        version: 2,
        state: 'awaiting-b2-arl',
        updatedAt: at(1),
        history: [...r1.history, { from: 'built', to: 'awaiting-b2-arl', at: at(1) }],
      };
      expect(await store.update(r2)).toBe(true);
      expect(await store.get(r1.lotId)).toEqual(r2);
      // stale: decided on version 1 again
      expect(await store.update({ ...r1, version: 2, state: 'ready' })).toBe(false);
      // skipping a version
      expect(await store.update({ ...r2, version: 4, state: 'ready' })).toBe(false);
      expect((await store.get(r1.lotId))?.state).toBe('awaiting-b2-arl');
      expect(await store.update({ ...r2, lotId: 'LOT-nope', version: 3 })).toBe(false);
      const r3: LotRecord = { ...r2, version: 3, state: 'purged', purgedAt: at(2) };
      expect(await store.update(r3, { dropContainer: true })).toBe(true);
      expect(await store.container(r1.lotId)).toBeNull();
      expect((await store.get(r1.lotId))?.state).toBe('purged');
    });

    it('lets exactly one of 16 concurrent updates of the same version win', async () => {
      const store = await open();
      const r1 = lotRecord(4);
      await store.create(r1, bytes(10, 1));
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => store.update({ ...r1, version: 2, attempts: i + 1 })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true) + 1;
      expect((await store.get(r1.lotId))?.attempts).toBe(winner);
    });

    it('lists by state, FINESS, B2 lot and due date, ordered by due date then id, with a limit', async () => {
      const store = await open();
      const records = [
        lotRecord(10, { state: 'sent', dueAt: at(30) }),
        lotRecord(11, { state: 'retrying', dueAt: at(10) }),
        lotRecord(12, { state: 'sent', dueAt: at(10) }),
        lotRecord(13, { state: 'ready', dueAt: null }),
        lotRecord(14, { state: 'arl-positive', dueAt: at(60 * 24 * 90) }),
      ];
      for (const r of records) await store.create(r, bytes(4, r.lotId.length));
      const ids = (rs: LotRecord[]): string[] => rs.map((r) => r.lotId);
      expect(ids(await store.list())).toEqual(['LOT-000011', 'LOT-000012', 'LOT-000010', 'LOT-000014', 'LOT-000013']);
      expect(ids(await store.list({ states: ['sent', 'retrying'] }))).toEqual(['LOT-000011', 'LOT-000012', 'LOT-000010']);
      expect(ids(await store.list({ dueBefore: at(10) }))).toEqual(['LOT-000011', 'LOT-000012']);
      expect(ids(await store.list({ dueBefore: at(29) }))).toEqual(['LOT-000011', 'LOT-000012']);
      expect(ids(await store.list({ finess: '750300360' }))).toEqual(['LOT-000012', 'LOT-000010', 'LOT-000014']);
      expect(ids(await store.list({ b2LotNumber: lotRecord(12).b2LotNumber }))).toEqual(['LOT-000012']);
      expect(ids(await store.list({ states: ['sent'], limit: 1 }))).toEqual(['LOT-000012']);
      expect(await store.list({ states: [] })).toEqual([]);
      await expect(store.list({ limit: 0 })).rejects.toThrow(TypeError);
      await expect(store.list({ limit: 10_001 })).rejects.toThrow(TypeError);
      await expect(store.list({ dueBefore: 'tomorrow' })).rejects.toThrow(TypeError);
    });

    it('lists the lots that hold trace events not yet delivered, and keeps those events as given', async () => {
      const store = await open();
      await store.create(lotRecord(20, { state: 'sent', dueAt: at(5) }), bytes(4, 1));
      await store.create(
        lotRecord(21, { state: 'purged', untraced: [pendingTrace('2.0', 3), { ...pendingTrace('2.1', 4), code: 'E', count: 2 }] }),
        bytes(4, 2),
      );
      await store.create(lotRecord(22, { state: 'ready', dueAt: at(1), untraced: [pendingTrace('1.0', 1)] }), bytes(4, 3));
      const ids = (rs: LotRecord[]): string[] => rs.map((r) => r.lotId);
      expect(ids(await store.list({ untraced: true }))).toEqual(['LOT-000022', 'LOT-000021']);
      expect(ids(await store.list({ untraced: true, states: ['purged'] }))).toEqual(['LOT-000021']);
      expect((await store.get('LOT-000021'))?.untraced).toEqual([pendingTrace('2.0', 3), { ...pendingTrace('2.1', 4), code: 'E', count: 2 }]);
      // Delivered: the field goes, and the lot leaves the query.
      const { untraced: _, ...rest } = (await store.get('LOT-000022'))!;
      expect(await store.update({ ...rest, version: 2 })).toBe(true);
      expect(ids(await store.list({ untraced: true }))).toEqual(['LOT-000021']);
      expect(ids(await store.list({ untraced: false }))).toEqual(['LOT-000022', 'LOT-000020', 'LOT-000021']);
    });

    it('counts the lots of each state, following their updates', async () => {
      const store = await open();
      expect(await store.countByState!()).toEqual({});
      const records = [
        lotRecord(20, { state: 'sent' }),
        lotRecord(21, { state: 'sent' }),
        lotRecord(22, { state: 'retrying' }),
        lotRecord(23, { state: 'ready' }),
      ];
      for (const r of records) await store.create(r, bytes(4, 1));
      expect(await store.countByState!()).toEqual({ sent: 2, retrying: 1, ready: 1 });
      expect(await store.update({ ...records[0]!, version: 2, state: 'arl-positive', updatedAt: at(1) })).toBe(true);
      expect(await store.update({ ...records[2]!, version: 2, state: 'purged', purgedAt: at(2), updatedAt: at(2) }, { dropContainer: true })).toBe(true);
      expect(await store.countByState!()).toEqual({ sent: 1, 'arl-positive': 1, purged: 1, ready: 1 });
    });

    it('hands out copies: changing a returned record or container changes nothing stored', async () => {
      const store = await open();
      const r = lotRecord(20);
      const c = bytes(16, 5);
      await store.create(r, c);
      c[0] = 99;
      const got = (await store.get(r.lotId))!;
      (got.history as unknown as unknown[]).push({ from: 'built', to: 'ready', at: at(3) });
      (await store.container(r.lotId))![1] = 42;
      expect(await store.get(r.lotId)).toEqual(r);
      expect(await store.container(r.lotId)).toEqual(bytes(16, 5));
    });

    it('closes idempotently', async () => {
      const store = await sut.open();
      await store.close();
      await store.close();
    });

    if (sut.broken !== undefined) {
      it('reports an unreachable backend as ERR_LOT_STORE_UNAVAILABLE', async () => {
        const store = await sut.broken!();
        stores.push(store);
        await expect(store.get('LOT-1')).rejects.toMatchObject({ code: 'ERR_LOT_STORE_UNAVAILABLE' });
        await expect(store.create(lotRecord(30), bytes(4, 1))).rejects.toMatchObject({ code: 'ERR_LOT_STORE_UNAVAILABLE' });
        await expect(store.list()).rejects.toMatchObject({ code: 'ERR_LOT_STORE_UNAVAILABLE' });
      });
    }
  });
}

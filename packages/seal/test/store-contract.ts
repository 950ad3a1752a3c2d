import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBordereauId, RecordingTraceSink } from '@s3404/core';
import { createCapture, createConsumer, type ConsumptionStore, type SealedRecord } from '@s3404/seal';
import { at, fixture, makePng, seededRandom, sinkFailingOn, type Fixture } from './helpers.js';
import { shredContract } from './store-contract-shred.js';

/** What a store test file gives the shared contract. */
export interface StoreUnderTest {
  readonly name: string;
  /** A fresh, empty store (its own table prefix, key prefix or file). */
  open(): Promise<ConsumptionStore>;
  /** A store whose backend is unreachable, for ERR_STORE_UNAVAILABLE. */
  broken?(): Promise<ConsumptionStore>;
}

/** Seals `count` insured records, each for its own bordereau (content {@link Fixture.contentHash}), at T0+5 s. */
export async function sealMany(f: Fixture, count: number, seed = 7): Promise<SealedRecord[]> {
  const random = seededRandom(seed);
  return sealFor(
    f,
    Array.from({ length: count }, () => ({ bordereauId: createBordereauId({ random }), contentHash: f.contentHash })),
  );
}

/** Seals one insured record per bordereau given, for that content (SIG-4), at T0+5 s. */
export async function sealFor(f: Fixture, bordereaux: readonly { bordereauId: string; contentHash: string }[]): Promise<SealedRecord[]> {
  const out: SealedRecord[] = [];
  const image = makePng(120, 40);
  for (const [i, { bordereauId, contentHash }] of bordereaux.entries()) {
    const ctx = await f.sealer.openContext({
      scope: { kind: 'bordereau', bordereauId, contentHash },
      role: 'insured',
      signer: { id: `patient-${i}`, name: 'Jeanne Martin' },
      terminalId: 'tablette-3',
    });
    out.push(await f.sealer.seal(createCapture(ctx, { image, capturedAt: at(5) })));
  }
  return out;
}

export const bordereauOf = (s: SealedRecord): string => (s.record.scope as { bordereauId: string }).bordereauId;
/** The consume target of a bordereau record: its bordereau and the content it was signed for (SIG-4). */
export const targetOf = (s: SealedRecord): { bordereauId: string; contentHash: string } => {
  const scope = s.record.scope as { bordereauId: string; contentHash: string };
  return { bordereauId: scope.bordereauId, contentHash: scope.contentHash };
};

/**
 * The behaviour every consumption store must have (SIG-4, SIG-5, SIG-6),
 * exercised through the public consumer.
 */
export function storeContract(sut: StoreUnderTest): void {
  shredContract(sut);
  describe(`${sut.name}: single use through createConsumer (SIG-4…SIG-6)`, () => {
    let f: Fixture;
    let records: SealedRecord[];
    const stores: ConsumptionStore[] = [];
    const clock = { now: at(10) };
    const open = async (): Promise<ConsumptionStore> => {
      const s = await sut.open();
      stores.push(s);
      return s;
    };
    const consumerOn = (store: ConsumptionStore, trace = new RecordingTraceSink()) => ({
      trace,
      consumer: createConsumer({
        store,
        trustAnchors: [f.pki.ca.certificate],
        now: () => clock.now,
        ttlSeconds: 600,
        claimGraceSeconds: 60,
        trace,
        consumerId: 'test-node',
      }),
    });

    beforeAll(async () => {
      f = await fixture();
      records = await sealMany(f, 13);
    });
    afterAll(async () => {
      for (const s of stores) await s.close();
    });

    it('deposits, consumes once by id, deletes the image and keeps a tombstone without it', async () => {
      clock.now = at(10);
      const store = await open();
      const { consumer, trace } = consumerOn(store);
      const r = records[0]!;
      const entry = await consumer.deposit(r);
      expect(entry.expiresAt).toBe(new Date(Date.parse(r.signingTime) + 600_000).toISOString());
      expect(await store.countPending()).toBe(1);
      // The store holds ciphertext only (crypto-shredding, SIG-6): not the record, not its image.
      const held = (await store.getPending(r.recordId))!.bytes;
      expect(new TextDecoder().decode(held.subarray(0, 4))).toBe('S3PE');
      expect(Buffer.from(held).includes(Buffer.from(r.bytes.subarray(0, 64)))).toBe(false);
      expect(Buffer.from(held).includes(Buffer.from(r.record.image.data.slice(0, 48)))).toBe(false);
      expect(entry.handle).toMatch(/^s3404-pending\.1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
      const used = await consumer.consume({ recordId: r.recordId }, { target: targetOf(r), requestId: 'req-1' });
      expect(used.status).toBe('consumed');
      if (used.status !== 'consumed') return;
      expect(used.resumed).toBe(false);
      expect(used.record.image.data.length).toBeGreaterThan(10);
      expect(used.target).toBe(`bordereau:${bordereauOf(r)}`);
      expect(await store.countPending()).toBe(0);
      expect(await store.getPending(r.recordId)).toBeNull();
      const t = await store.findTombstone({ recordId: r.recordId });
      expect(t).toEqual({
        recordId: r.recordId,
        digest: r.digest,
        target: `bordereau:${bordereauOf(r)}`,
        requestId: 'req-1',
        consumer: 'test-node',
        claimedAt: at(10).toISOString(),
        completedAt: at(10).toISOString(),
      });
      expect(await store.findTombstone({ digest: r.digest })).toEqual(t);
      expect(trace.events.map((e) => e.action)).toEqual(['signature.consumed']);
    });

    it('refuses a second use by another request, by id or by the bytes, and traces it', async () => {
      const store = await open();
      const { consumer, trace } = consumerOn(store);
      const r = records[1]!;
      await consumer.deposit(r);
      const target = targetOf(r);
      await consumer.consume({ recordId: r.recordId }, { target, requestId: 'first' });
      await expect(consumer.consume({ recordId: r.recordId }, { target, requestId: 'second' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
      // The pending entry is gone: the copy of the bytes is refused by its tombstone.
      await expect(consumer.consume({ bytes: r.bytes }, { target, requestId: 'third' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
      const refused = trace.events.filter((e) => e.outcome === 'refused');
      expect(refused.map((e) => [e.action, e.code, e.subject.recordId])).toEqual([
        ['signature.refused', 'ERR_RECORD_REPLAYED', r.recordId],
        ['signature.refused', 'ERR_RECORD_REPLAYED', r.recordId],
      ]);
    });

    it('gives a retry with the same request id the same outcome, without the image', async () => {
      const store = await open();
      const { consumer } = consumerOn(store);
      const r = records[2]!;
      const target = targetOf(r);
      const first = await consumer.consume({ bytes: r.bytes }, { target, requestId: 'idem-1' });
      const again = await consumer.consume({ bytes: r.bytes }, { target, requestId: 'idem-1' });
      expect(again).toEqual({
        status: 'already-consumed',
        recordId: r.recordId,
        digest: r.digest,
        target: first.target,
        requestId: 'idem-1',
        claimedAt: first.claimedAt,
        completedAt: first.completedAt,
      });
      expect(again).not.toHaveProperty('record');
    });

    it('refuses another bordereau before claiming, so the record stays usable for its own', async () => {
      const store = await open();
      const { consumer, trace } = consumerOn(store);
      const r = records[3]!;
      await consumer.deposit(r);
      await expect(consumer.consume({ recordId: r.recordId }, { target: targetOf(records[4]!), requestId: 'x' })).rejects.toMatchObject({
        code: 'ERR_RECORD_WRONG_BORDEREAU',
      });
      expect(trace.events.at(-1)).toMatchObject({ action: 'signature.refused', code: 'ERR_RECORD_WRONG_BORDEREAU', subject: { recordId: r.recordId } });
      expect(await store.findTombstone({ recordId: r.recordId })).toBeNull();
      expect((await consumer.consume({ recordId: r.recordId }, { target: targetOf(r), requestId: 'x' })).status).toBe('consumed');
    });

    it('refuses an expired record, by id or by bytes, and the sweeper deletes it', async () => {
      const store = await open();
      const { consumer, trace } = consumerOn(store);
      const r = records[5]!;
      clock.now = at(10);
      await consumer.deposit(r);
      clock.now = at(5 + 600 + 1);
      const target = targetOf(r);
      await expect(consumer.consume({ recordId: r.recordId }, { target, requestId: 'late' })).rejects.toMatchObject({ code: 'ERR_RECORD_EXPIRED' });
      await expect(consumer.consume({ bytes: r.bytes }, { target, requestId: 'late' })).rejects.toMatchObject({ code: 'ERR_RECORD_EXPIRED' });
      expect(await store.countPending()).toBe(1);
      expect(await consumer.sweep()).toEqual({ expired: 1, abandoned: 0 });
      expect(await store.countPending()).toBe(0);
      expect(trace.events.at(-1)).toMatchObject({ action: 'signature.expired', count: 1 });
      await expect(consumer.consume({ recordId: r.recordId }, { target, requestId: 'late' })).rejects.toMatchObject({ code: 'ERR_RECORD_NOT_FOUND' });
      await expect(consumer.deposit(r)).rejects.toMatchObject({ code: 'ERR_RECORD_EXPIRED' });
      clock.now = at(10);
    });

    it('keeps each sweep in its outbox until traced: the next sweep of any consumer traces what a dead one deleted (SIG-6, AUD-1)', async () => {
      const store = await open();
      expect(typeof store.untracedSweeps).toBe('function');
      const outbox = store as Required<ConsumptionStore>;
      const fresh = await sealMany(f, 3, 31);
      clock.now = at(10);
      // Node A deposits and sweeps, its trace sink down: the deletions stand, their counts wait in the store.
      const downSink = sinkFailingOn('signature.expired', true);
      const a = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => clock.now, ttlSeconds: 600, trace: downSink, consumerId: 'node-a' });
      for (const r of fresh.slice(0, 2)) await a.deposit(r);
      clock.now = at(5 + 600 + 1);
      await expect(a.sweep()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
      expect(await store.countPending()).toBe(0);
      const [waiting, ...more] = await outbox.untracedSweeps({ limit: 10 });
      expect(more).toEqual([]);
      expect(waiting).toMatchObject({ at: at(5 + 600 + 1).toISOString(), consumer: 'node-a', expired: 2, abandoned: 0 });
      // Node A is gone (its memory with it). Node B's next sweep deletes nothing and traces A's sweep, as A's.
      const { consumer: b, trace } = consumerOn(store);
      clock.now = at(5 + 600 + 61);
      expect(await b.sweep()).toEqual({ expired: 0, abandoned: 0 });
      expect(trace.events).toHaveLength(1);
      const [event] = trace.events;
      expect(event).toMatchObject({ action: 'signature.expired', count: 2, actor: { personId: 'node-a', role: 'service', terminalId: 'node-a' } });
      // Its id is a UUIDv7 timed at A's sweep, the same whoever delivers it.
      expect(event!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(event!.id!.replace(/-/g, '').slice(0, 12), 16)).toBe(at(5 + 600 + 1).getTime());
      expect(await outbox.untracedSweeps({ limit: 10 })).toEqual([]);
      expect(await b.sweep()).toEqual({ expired: 0, abandoned: 0 });
      expect(trace.events).toHaveLength(1);
      // Traced, then its removal lost (a process killed in between): delivered again under the same id.
      clock.now = at(10);
      await b.deposit(fresh[2]!);
      clock.now = at(5 + 600 + 1);
      const cut = new Proxy(store, {
        get(target, key) {
          if (key === 'sweepTraced') return () => Promise.reject(Object.assign(new Error('connection reset'), { code: 'ERR_STORE_UNAVAILABLE' }));
          const v: unknown = Reflect.get(target, key);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      const { consumer: c, trace: cTrace } = consumerOn(cut);
      await expect(c.sweep()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
      expect(cTrace.events.map((e) => [e.action, e.count])).toEqual([['signature.expired', 1]]);
      expect(await b.sweep()).toEqual({ expired: 0, abandoned: 0 });
      expect(trace.events.at(-1)!.id).toBe(cTrace.events[0]!.id);
      expect(await outbox.untracedSweeps({ limit: 10 })).toEqual([]);
      // A sweep that deletes nothing writes nothing; the outbox gives the oldest first, `limit` at most.
      await store.sweep({ expiredAt: at(0), claimedBefore: at(0), outbox: { id: '00000000-0000-4000-8000-000000000001', at: at(0), consumer: 'x' } });
      expect(await outbox.untracedSweeps({ limit: 10 })).toEqual([]);
      const later = await sealMany(f, 2, 47);
      clock.now = at(10);
      for (const r of later) await b.deposit(r);
      const ids = ['00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000a1'];
      await store.sweep({ expiredAt: at(5 + 600 + 1), claimedBefore: at(0), outbox: { id: ids[0]!, at: at(700), consumer: 'y' } });
      await b.deposit((await sealMany(f, 1, 53))[0]!);
      await store.sweep({ expiredAt: at(5 + 600 + 1), claimedBefore: at(0), outbox: { id: ids[1]!, at: at(800), consumer: 'z' } });
      expect((await outbox.untracedSweeps({ limit: 10 })).map((x) => [x.id, x.expired, x.consumer])).toEqual([
        [ids[0], 2, 'y'],
        [ids[1], 1, 'z'],
      ]);
      expect((await outbox.untracedSweeps({ limit: 1 })).map((x) => x.id)).toEqual([ids[0]]);
      await outbox.sweepTraced(ids[0]!);
      await outbox.sweepTraced(ids[0]!);
      expect((await outbox.untracedSweeps({ limit: 10 })).map((x) => x.id)).toEqual([ids[1]]);
      await outbox.sweepTraced(ids[1]!);
      clock.now = at(10);
    });

    it('keeps a failed apply claimed: another request is refused, the same request resumes', async () => {
      const store = await open();
      const { consumer, trace } = consumerOn(store);
      const r = records[6]!;
      await consumer.deposit(r);
      const target = targetOf(r);
      const boom = new Error('disk full');
      // A failure after the claim says the use is claimed but not complete, and how to finish it (issue 14 #5).
      await expect(consumer.consume({ recordId: r.recordId }, { target, requestId: 'apply-1', apply: () => Promise.reject(boom) })).rejects.toMatchObject({
        code: 'ERR_CONSUME_INCOMPLETE',
        kind: 'unavailable',
        params: { requestId: 'apply-1', recordId: r.recordId },
        cause: boom,
      });
      expect(await store.countPending()).toBe(1);
      expect((await store.findTombstone({ recordId: r.recordId }))?.completedAt).toBeUndefined();
      await expect(consumer.consume({ recordId: r.recordId }, { target, requestId: 'apply-2' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
      const resumed = await consumer.consume({ recordId: r.recordId }, { target, requestId: 'apply-1', apply: (v) => v.recordId });
      expect(resumed).toMatchObject({ status: 'consumed', resumed: true, applied: r.recordId });
      expect(await store.countPending()).toBe(0);
      expect(trace.events.map((e) => e.action)).toEqual(['signature.consumed', 'signature.refused', 'signature.consumed', 'signature.applied']);
      // The resumed use traces `signature.consumed` again under the same id (a trace that keeps ids writes it once);
      // each event of the use has its own, timed at the claim; a refusal has none (each is an event of its own).
      const [consumed, refused, again, applied] = trace.events;
      expect(again!.id).toBe(consumed!.id);
      // None claims to be a first delivery: a retry may resume the use while its first try runs (the trace looks ids up).
      expect([consumed!.firstDelivery, again!.firstDelivery, applied!.firstDelivery]).toEqual([undefined, undefined, undefined]);
      expect(consumed!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(applied!.id).not.toBe(consumed!.id);
      expect(refused!.id).toBeUndefined();
      const claimedAt = (await store.findTombstone({ recordId: r.recordId }))!.claimedAt;
      expect(Number.parseInt(consumed!.id!.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(claimedAt));
    });

    it('sweeps a record whose use was claimed and never completed (crash) after the grace period', async () => {
      const store = await open();
      const { consumer } = consumerOn(store);
      const r = records[7]!;
      await consumer.deposit(r);
      const target = targetOf(r);
      await expect(
        consumer.consume(
          { recordId: r.recordId },
          {
            target,
            requestId: 'crash',
            apply: () => {
              throw new Error('killed');
            },
          },
        ),
      ).rejects.toMatchObject({ code: 'ERR_CONSUME_INCOMPLETE', cause: { message: 'killed' } });
      clock.now = at(10 + 30);
      expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
      clock.now = at(10 + 61);
      expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 1 });
      expect(await store.countPending()).toBe(0);
      await expect(consumer.consume({ recordId: r.recordId }, { target, requestId: 'crash' })).rejects.toMatchObject({ code: 'ERR_RECORD_EXPIRED' });
      await expect(consumer.consume({ recordId: r.recordId }, { target, requestId: 'other' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
      await expect(consumer.consume({ bytes: r.bytes }, { target, requestId: 'other' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
      clock.now = at(10);
    });

    it('refuses a duplicate deposit and a deposit of a used record', async () => {
      const store = await open();
      const { consumer } = consumerOn(store);
      const r = records[8]!;
      await consumer.deposit(r);
      await expect(consumer.deposit(r)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
      await consumer.consume({ recordId: r.recordId }, { target: targetOf(r), requestId: 'd' });
      await expect(consumer.deposit(r)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
      expect(await store.countPending()).toBe(0);
    });

    it('finishes a deposit whose answer was lost after the store wrote it, when the same record is deposited again', async () => {
      const store = await open();
      // The connection cut after the write: the store holds the record, the consumer got an error.
      let lose = true;
      const lossy = new Proxy(store, {
        get(target, name, receiver) {
          if (name !== 'putPending') {
            const value: unknown = Reflect.get(target, name, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          }
          return async (entry: Parameters<ConsumptionStore['putPending']>[0]) => {
            await target.putPending(entry);
            if (lose) {
              lose = false;
              throw new Error('Connection terminated unexpectedly');
            }
          };
        },
      });
      const { consumer } = consumerOn(lossy);
      const r = records[12]!;
      await expect(consumer.deposit(r)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
      expect(await store.countPending()).toBe(1);
      const { handle } = await consumer.deposit(r);
      expect(await store.countPending()).toBe(1);
      expect(await consumer.consume({ handle }, { target: targetOf(r), requestId: 'lost-ack' })).toMatchObject({ status: 'consumed' });
      expect(await store.countPending()).toBe(0);
    });

    it('lets exactly one of 32 concurrent consumers win', async () => {
      const store = await open();
      const { consumer } = consumerOn(store);
      const r = records[9]!;
      await consumer.deposit(r);
      const target = targetOf(r);
      const results = await Promise.allSettled(
        Array.from({ length: 32 }, (_, i) => consumer.consume(i % 2 === 0 ? { recordId: r.recordId } : { bytes: r.bytes }, { target, requestId: `race-${i}` })),
      );
      const won = results.filter((x) => x.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const codes = new Set(results.flatMap((x) => (x.status === 'rejected' ? [(x.reason as { code: string }).code] : [])));
      expect([...codes].every((c) => c === 'ERR_RECORD_REPLAYED' || c === 'ERR_RECORD_NOT_FOUND')).toBe(true);
      expect(await store.countPending()).toBe(0);
    });

    it('purges tombstones only once they can no longer stop a replay', async () => {
      const store = await open();
      const { consumer } = consumerOn(store);
      const r = records[10]!;
      clock.now = at(10);
      await consumer.consume({ bytes: r.bytes }, { target: targetOf(r), requestId: 'p' });
      await expect(consumer.purgeTombstones({ before: at(11) })).rejects.toMatchObject({ code: 'ERR_RETENTION_TOO_SHORT' });
      clock.now = at(10 + 600 + 300 + 2);
      expect(await consumer.purgeTombstones({ before: at(11) })).toBe(1);
      expect(await store.findTombstone({ recordId: r.recordId })).toBeNull();
      // Even without its tombstone, the old record cannot come back: it has expired.
      await expect(consumer.consume({ bytes: r.bytes }, { target: targetOf(r), requestId: 'p2' })).rejects.toMatchObject({
        code: 'ERR_RECORD_EXPIRED',
      });
      clock.now = at(10);
    });

    it('keeps the store contract: a missing item is null, close() is idempotent', async () => {
      const store = await open();
      const unknown = '0f0e0d0c-0b0a-4908-8706-0000000000ff';
      expect(await store.getPending(unknown)).toBeNull();
      expect(await store.findTombstone({ recordId: unknown })).toBeNull();
      expect(await store.findTombstone({ digest: 'f'.repeat(64) })).toBeNull();
      expect(await store.complete({ recordId: unknown, requestId: 'nobody', at: at(10).toISOString() })).toBeNull();
      await store.close();
      await store.close();
    });

    it('reports its own backend failure as ERR_STORE_UNAVAILABLE (kind unavailable) with the cause', async () => {
      if (sut.broken === undefined) return;
      const store = await sut.broken();
      stores.push(store);
      const r = records[11]!;
      const failures = [
        await store.getPending(r.recordId).then(
          () => null,
          (e: unknown) => e,
        ),
        await store.findTombstone({ recordId: r.recordId, digest: r.digest }).then(
          () => null,
          (e: unknown) => e,
        ),
        await store.putPending({ recordId: r.recordId, digest: r.digest, bytes: r.bytes, expiresAt: at(600).toISOString() }).then(
          () => null,
          (e: unknown) => e,
        ),
      ];
      for (const e of failures) {
        expect(e).toMatchObject({ name: 'SealError', code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
        expect((e as Error).cause).toBeDefined();
      }
    });

    it('reports an unreachable backend as ERR_STORE_UNAVAILABLE, with nothing consumed', async () => {
      if (sut.broken === undefined) return;
      const store = await sut.broken();
      stores.push(store);
      const { consumer } = consumerOn(store);
      const r = records[11]!;
      await expect(consumer.consume({ bytes: r.bytes }, { target: targetOf(r), requestId: 'down' })).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
      });
      await expect(consumer.deposit(r)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    });
  });
}

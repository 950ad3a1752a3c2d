import { describe, expect, it } from 'vitest';
import { RecordingTraceSink, type TraceEvent } from '@s3404/core';
import { createConsumer, type ConsumptionStore } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { at, fixture, sealInsured, sinkFailingOn } from './helpers.js';

/** A vendor's store without the sweep outbox: the SDK's memory store with `untracedSweeps` and `sweepTraced` hidden. */
function withoutOutbox(store: MemoryConsumptionStore): ConsumptionStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'untracedSweeps' || key === 'sweepTraced') return undefined;
      const v: unknown = Reflect.get(target, key);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('a sweep whose trace cannot be written (SIG-6, AUD-1)', () => {
  it.each([
    ['a store with the sweep outbox (every store of the SDK)', (s: MemoryConsumptionStore): ConsumptionStore => s],
    ['a vendor store without it (the count kept in the consumer’s memory)', withoutOutbox],
  ])('%s: deletes what expired, throws the sink’s error, and the next sweep traces them once', async (_name, wrap) => {
    const f = await fixture();
    const trace = sinkFailingOn('signature.expired');
    const { recorded } = trace;
    const clock = { now: at(10) };
    const memory = new MemoryConsumptionStore();
    const store = wrap(memory);
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => clock.now, ttlSeconds: 600, trace, consumerId: 'node-1' });
    for (let i = 0; i < 3; i++) await consumer.deposit(await sealInsured(f));
    clock.now = at(10 + 700);
    trace.down = true;
    await expect(consumer.sweep()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    expect(await store.countPending()).toBe(0);
    // Still down: the count waits, it is not lost nor counted twice.
    await expect(consumer.sweep()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    trace.down = false;
    // Nothing more expired, yet the sweep traces the 3 deleted while the sink was down.
    expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
    expect(recorded.events.filter((e) => e.action === 'signature.expired').map((e) => e.count)).toEqual([3]);
    expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
    expect(recorded.events.filter((e) => e.action === 'signature.expired')).toHaveLength(1);
    // The outbox is used only when the store has both of its methods: a vendor store's sweeps leave nothing in it.
    expect(await memory.untracedSweeps({ limit: 10 })).toEqual([]);
  });

  it('a store whose sweepTraced removes nothing gets each of its outbox entries traced once per sweep, and the sweep ends', async () => {
    const f = await fixture();
    const memory = new MemoryConsumptionStore();
    const forgetful = new Proxy(memory, {
      get(target, key) {
        if (key === 'sweepTraced') return async () => undefined;
        const v: unknown = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const trace = sinkFailingOn('signature.expired');
    const clock = { now: at(10) };
    const consumer = createConsumer({
      store: forgetful,
      trustAnchors: [f.pki.ca.certificate],
      now: () => clock.now,
      ttlSeconds: 600,
      trace,
      consumerId: 'node-1',
    });
    const sealed = await sealInsured(f);
    // 150 sweeps waiting in the outbox (more than one page of 100).
    for (let i = 0; i < 150; i++) {
      await memory.putPending({
        recordId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        digest: sealed.digest,
        bytes: new Uint8Array(1),
        expiresAt: at(0).toISOString(),
      });
      const id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
      await memory.sweep({ expiredAt: at(1), claimedBefore: at(0), outbox: { id, at: at(1 + i), consumer: 'node-0' } });
    }
    expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
    const ids = trace.recorded.events.map((e) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(100);
    expect(ids.length).toBeLessThanOrEqual(150);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('an outbox entry that can never be traced is skipped and reported, and no longer holds the trace of the later sweeps', async () => {
    const f = await fixture();
    const memory = new MemoryConsumptionStore();
    const unreadable = { id: '00000000-0000-4000-8000-0000000000bd', at: 'not a time', consumer: 'node-0', expired: 1, abandoned: 0 };
    // A row edited behind the store's back, listed first: the SDK's stores list what they hold, readable or not.
    const store = new Proxy(memory, {
      get(target, key) {
        if (key === 'untracedSweeps') return async (o: { limit: number }) => [unreadable, ...(await target.untracedSweeps(o))];
        if (key === 'sweepTraced') return async (id: string) => (id === unreadable.id ? undefined : target.sweepTraced(id));
        const v: unknown = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    // A sink that refuses for good the event of one consumer (say its id reads as personal data), and is up otherwise.
    const recorded = new RecordingTraceSink();
    const trace = {
      down: false,
      record(e: TraceEvent) {
        if (trace.down) throw Object.assign(new Error('audit store unavailable'), { code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable' });
        if (e.actor.personId === 'node-refused') throw Object.assign(new Error('refused'), { code: 'ERR_AUDIT_EVENT_INVALID', kind: 'input' });
        recorded.record(e);
      },
    };
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(700), ttlSeconds: 600, trace, consumerId: 'node-1' });
    const sealed = await sealInsured(f);
    const sweepOf = async (i: number, consumer: string) => {
      const recordId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      await memory.putPending({ recordId, digest: sealed.digest, bytes: new Uint8Array(1), expiresAt: at(0).toISOString() });
      await memory.sweep({
        expiredAt: at(1),
        claimedBefore: at(0),
        outbox: { id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, at: at(1 + i), consumer },
      });
    };
    await sweepOf(1, 'node-a');
    await sweepOf(2, 'node-refused');
    await sweepOf(3, 'node-b');
    // The sink down: the first traceable entry stops the sweep, in order, nothing skipped past it.
    trace.down = true;
    await expect(consumer.sweep()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    expect(await memory.untracedSweeps({ limit: 10 })).toHaveLength(3);
    trace.down = false;
    // Up again: both readable sweeps the sink takes are traced and removed; the unreadable entry is reported.
    await expect(consumer.sweep()).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
    expect(recorded.events.map((e) => [e.actor.personId, e.count])).toEqual([
      ['node-a', 1],
      ['node-b', 1],
    ]);
    // What the sink refused stays in the outbox for an operator, reported at every sweep, never traced twice.
    expect((await memory.untracedSweeps({ limit: 10 })).map((s) => s.consumer)).toEqual(['node-refused']);
    await expect(consumer.sweep()).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
    expect(recorded.events).toHaveLength(2);
    await memory.sweepTraced('00000000-0000-4000-9000-000000000002');
    // Repaired (an operator removed both): the sweep is quiet again.
    const repaired = createConsumer({ store: memory, trustAnchors: [f.pki.ca.certificate], now: () => at(700), ttlSeconds: 600, trace, consumerId: 'node-1' });
    expect(await repaired.sweep()).toEqual({ expired: 0, abandoned: 0 });
  });
});

import { describe, expect, it } from 'vitest';
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
});

import { describe, expect, it } from 'vitest';
import { createConsumer } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { at, fixture, sealInsured, sinkFailingOn } from './helpers.js';

describe('a sweep whose trace cannot be written (SIG-6, AUD-1)', () => {
  it('deletes what expired, throws the sink’s error, and the next sweep’s event counts them: none goes untraced', async () => {
    const f = await fixture();
    const trace = sinkFailingOn('signature.expired');
    const { recorded } = trace;
    const clock = { now: at(10) };
    const store = new MemoryConsumptionStore();
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
  });
});

import { describe, expect, it } from 'vitest';
import { createConsumer } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { at, fixture, sealInsured, sinkFailingOn } from './helpers.js';

describe('an apply whose trace cannot be written (SIG-5, AUD-1)', () => {
  it('leaves the use unfinished, and the same request finishes it and traces signature.applied: no apply goes untraced', async () => {
    const f = await fixture();
    const trace = sinkFailingOn('signature.applied');
    const { recorded } = trace;
    const store = new MemoryConsumptionStore();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), trace, consumerId: 'node-1' });
    const sealed = await sealInsured(f);
    await consumer.deposit(sealed);
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    let applies = 0;
    const apply = async (): Promise<string> => `drawn-${++applies}`;
    trace.down = true;
    await expect(consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'req-1', apply })).rejects.toMatchObject({
      code: 'ERR_CONSUME_INCOMPLETE',
      params: { recordId: sealed.recordId, requestId: 'req-1', detail: 'ERR_AUDIT_STORE_UNAVAILABLE' },
    });
    expect(applies).toBe(1);
    // Not completed: the image waits for the request that can finish the use (or the sweep after the grace).
    expect((await store.findTombstone({ recordId: sealed.recordId }))?.completedAt).toBeUndefined();
    expect(await store.countPending()).toBe(1);
    // Another request still cannot use it.
    await expect(consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'req-2', apply })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
    trace.down = false;
    const done = await consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'req-1', apply });
    expect(done).toMatchObject({ status: 'consumed', resumed: true, applied: 'drawn-2' });
    expect(await store.countPending()).toBe(0);
    expect(recorded.events.filter((e) => e.action === 'signature.applied').map((e) => e.subject.recordId)).toEqual([sealed.recordId]);
    // Finished: the same request again is answered from the tombstone, nothing applied nor traced again.
    expect(await consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'req-1', apply })).toMatchObject({ status: 'already-consumed' });
    expect(applies).toBe(2);
    expect(recorded.events.filter((e) => e.action === 'signature.applied')).toHaveLength(1);
  });
});

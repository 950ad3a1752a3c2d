import { describe, expect, it } from 'vitest';
import { RecordingTraceSink, type TraceEvent } from '@s3404/core';
import { createConsumer, type SealTraceAction } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { at, fixture, sealInsured } from './helpers.js';

describe('a sweep whose trace cannot be written (SIG-6, AUD-1)', () => {
  it('deletes what expired, throws the sink’s error, and the next sweep’s event counts them: none goes untraced', async () => {
    const f = await fixture();
    const recorded = new RecordingTraceSink<SealTraceAction>();
    const state = { down: false };
    const trace = {
      record: async (e: TraceEvent<SealTraceAction>) => {
        // As the audit log answers while its store is unreachable.
        if (state.down && e.action === 'signature.expired')
          throw Object.assign(new Error('audit store unavailable'), { code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable' });
        recorded.record(e);
      },
    };
    const clock = { now: at(10) };
    const store = new MemoryConsumptionStore();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => clock.now, ttlSeconds: 600, trace, consumerId: 'node-1' });
    for (let i = 0; i < 3; i++) await consumer.deposit(await sealInsured(f));
    clock.now = at(10 + 700);
    state.down = true;
    await expect(consumer.sweep()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    expect(await store.countPending()).toBe(0);
    // Still down: the count waits, it is not lost nor counted twice.
    await expect(consumer.sweep()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    state.down = false;
    // Nothing more expired, yet the sweep traces the 3 deleted while the sink was down.
    expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
    expect(recorded.events.filter((e) => e.action === 'signature.expired').map((e) => e.count)).toEqual([3]);
    expect(await consumer.sweep()).toEqual({ expired: 0, abandoned: 0 });
    expect(recorded.events.filter((e) => e.action === 'signature.expired')).toHaveLength(1);
  });
});

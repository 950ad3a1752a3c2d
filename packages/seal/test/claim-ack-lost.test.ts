import { describe, expect, it } from 'vitest';
import { createConsumer, type Tombstone } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { at, fixture, sealInsured } from './helpers.js';

/** A store whose claim is written, then its answer lost (the connection cut after `COMMIT`), or lost before anything is written. */
class LossyStore extends MemoryConsumptionStore {
  lose: 'after' | 'before' | null = null;
  override async claim(t: Tombstone) {
    const lose = this.lose;
    this.lose = null;
    if (lose === 'before') throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const outcome = await super.claim(t);
    if (lose === 'after') throw new Error('Connection terminated unexpectedly');
    return outcome;
  }
}

describe('a claim whose answer is lost (SIG-5)', () => {
  it('is never reported as "nothing was consumed": the caller is told to call again with the same request id, which finishes the use', async () => {
    const f = await fixture();
    const store = new LossyStore();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    for (const lose of ['after', 'before'] as const) {
      const sealed = await sealInsured(f);
      await consumer.deposit(sealed);
      store.lose = lose;
      const error = await consumer.consume({ recordId: sealed.recordId }, { target, requestId: `req-${lose}` }).catch((e: unknown) => e);
      // Whether the claim was written or not, only the same request id is safe to call with again.
      expect(error).toMatchObject({
        code: 'ERR_CONSUME_INCOMPLETE',
        kind: 'unavailable',
        params: { recordId: sealed.recordId, requestId: `req-${lose}`, detail: 'ERR_STORE_UNAVAILABLE' },
      });
      expect((error as Error).message).not.toMatch(/rien n'a été consommé/);
      expect((await store.findTombstone({ recordId: sealed.recordId })) !== null).toBe(lose === 'after');
      // The same request id finishes the use either way: resumed when the claim had been written.
      expect(await consumer.consume({ recordId: sealed.recordId }, { target, requestId: `req-${lose}` })).toMatchObject({
        status: 'consumed',
        resumed: lose === 'after',
      });
      expect(await store.countPending()).toBe(0);
    }
  });
});

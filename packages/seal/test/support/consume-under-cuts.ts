import { expect } from 'vitest';
import type { Consumer, ConsumeTarget, ConsumptionStore } from '@s3404/seal';
import { type Fixture, sealInsured } from '../helpers.js';

/** Deposits `n` records of the insured person of `f`: their ids and handles, in order. */
export async function depositInsured(f: Fixture, consumer: Consumer, n: number): Promise<{ ids: string[]; handles: string[] }> {
  const ids: string[] = [];
  const handles: string[] = [];
  for (let i = 0; i < n; i++) {
    const sealed = await sealInsured(f);
    ids.push(sealed.recordId);
    handles.push((await consumer.deposit(sealed)).handle);
  }
  return { ids, handles };
}

/** The two refusals that say "call again with the same request id" (SIG-5). */
const RETRY = new Set(['ERR_STORE_UNAVAILABLE', 'ERR_CONSUME_INCOMPLETE']);

/**
 * Consumes each record as request `req-<i>`, all at once, as a careful caller
 * does while the store's connections are being cut: on `ERR_STORE_UNAVAILABLE`
 * or `ERR_CONSUME_INCOMPLETE`, again with the same request id; any other
 * refusal, or a call still running after 15 s, fails. The codes met on the way
 * and how often; how many times each record's `apply` ran.
 */
export async function consumeEachRetrying(
  consumer: Consumer,
  records: { ids: readonly string[]; handles: readonly string[] },
  target: ConsumeTarget,
): Promise<{ failures: Map<string, number>; applied: number[] }> {
  const failures = new Map<string, number>();
  const applied = records.handles.map(() => 0);
  await Promise.all(
    records.handles.map(async (handle, i) => {
      for (let tries = 0; ; tries++) {
        try {
          const used = await Promise.race([
            consumer.consume({ handle }, { target, requestId: `req-${i}`, apply: () => (applied[i] = applied[i]! + 1) }),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`consume ${i} still running after 15 s (try ${tries})`)), 15_000)),
          ]);
          expect(used).toMatchObject({ status: 'consumed', recordId: records.ids[i], requestId: `req-${i}` });
          return;
        } catch (e) {
          const code = (e as { code?: string }).code ?? String(e);
          failures.set(code, (failures.get(code) ?? 0) + 1);
          if (!RETRY.has(code) || tries > 300) throw e;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    }),
  );
  return { failures, applied };
}

/**
 * What consuming under cuts must leave: only retry refusals met, and some
 * (unless `refusalsSeen` is false);
 * each record applied, its one tombstone completed and bound to its own
 * request, no image left; another request refused.
 */
export async function expectEachUsedOnce(
  store: ConsumptionStore,
  consumer: Consumer,
  records: { ids: readonly string[]; handles: readonly string[] },
  target: ConsumeTarget,
  outcome: { failures: Map<string, number>; applied: number[] },
  options: { readonly refusalsSeen: boolean } = { refusalsSeen: true },
): Promise<void> {
  expect([...outcome.failures.keys()].filter((c) => !RETRY.has(c))).toEqual([]);
  // A cut a client reconnects through before its next command refuses nothing: only where cuts must be met.
  if (options.refusalsSeen) expect(outcome.failures.get('ERR_STORE_UNAVAILABLE')).toBeGreaterThan(0);
  // `apply` may run again when a completion was cut: the retry finishes the same request's use.
  expect(outcome.applied.every((n) => n >= 1)).toBe(true);
  for (const [i, id] of records.ids.entries()) {
    expect(await store.findTombstone({ recordId: id }), id).toMatchObject({ recordId: id, requestId: `req-${i}`, completedAt: expect.any(String) });
    expect(await store.getPending(id)).toBeNull();
  }
  await expect(consumer.consume({ handle: records.handles[0]! }, { target, requestId: 'another' })).rejects.toMatchObject({
    code: expect.stringMatching(/^ERR_RECORD_/),
  });
}

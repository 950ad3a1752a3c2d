import { describe, expect, it } from 'vitest';
import { fromTraceEvent, verifyLog, type AuditEvent, type AuditStore } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { uuidV7Of, type TraceEvent, type TraceSubject } from '@s3404/core';
import { clock, collect, draft, memoryLog, seededRandom } from './helpers.js';

/**
 * A vendor's store that passes no `held` to `build` (AUD-2, the argument is
 * optional): the log cannot ask it for the ids callers gave. The log then
 * looks for an id it built itself where it built it: a retry by the same log
 * (the lot outbox's next tick, the seal consumer's redelivery, a retry after
 * a write whose answer was lost and could not be read back) is answered with
 * the stored event and writes nothing. The store is the judge: an event that
 * is not there as built is written again. Another log over the same store (another
 * process) cannot know: it writes the event again, and the chain stays intact.
 */

type Fault = 'after-write-unreadable' | 'before-write' | 'read-fails';

/** A memory store seen through a vendor's `AuditStore` that never passes `held`, its reads counted, failing once as told. */
function vendorStore(inner = new MemoryAuditStore()) {
  let next: Fault | null = null;
  let unreadable = false;
  const counts = { reads: 0 };
  const lost = (): Error => Object.assign(new Error('connection terminated unexpectedly'), { code: 'ECONNRESET' });
  const store: AuditStore = {
    async append(build) {
      const fault = next === 'read-fails' ? null : next;
      if (fault !== null) next = null;
      if (fault === 'before-write') throw lost();
      await inner.append((head) => build(head));
      if (fault === 'after-write-unreadable') {
        unreadable = true;
        throw lost();
      }
    },
    async *read(options) {
      counts.reads++;
      if (unreadable || next === 'read-fails') {
        unreadable = false;
        next = null;
        throw lost();
      }
      yield* inner.read(options);
    },
    lines: () => inner.lines(),
    head: () => inner.head(),
    purge: (n) => inner.purge(n),
    close: () => inner.close(),
  };
  return { store, inner, counts, fail: (fault: Fault) => (next = fault) };
}

const ids = async (store: AuditStore): Promise<string[]> => {
  const out: string[] = [];
  for await (const e of store.read()) out.push(e.id);
  return out;
};

const verified = async (store: AuditStore) => verifyLog(await collect(store.lines()));

/** An id made at `ms`, as the SDK's emitters make them (`uuidV7Of`). */
const made = (n: number, ms: number): string => uuidV7Of(ms, new Uint8Array(16).fill(n));

describe('a vendor store without `held` (AUD-2): an event delivered again', () => {
  it('by the same log: answered with its event and written once, dated again or with its first time after the skew', async () => {
    const c = clock();
    const { store, inner } = vendorStore();
    const log = memoryLog({ store, now: c.now, random: seededRandom(61) });
    const at = c.now().toISOString();
    const id = made(1, c.now().getTime());
    const first = await log.append({ ...draft(1), time: at, id });
    c.advance(60);
    expect(await log.append({ ...draft(1), id })).toEqual(first);
    // Ten minutes of other events later, the lot outbox delivers it again with its first time (`TraceEvent.at`).
    c.advance(600);
    const other = await log.append(draft(2));
    const { action, actor, subject, outcome } = draft(1);
    const trace: TraceEvent = { action, actor, subject: subject as TraceSubject, outcome, at, id };
    expect(await log.append(fromTraceEvent(trace))).toEqual(first);
    expect(await ids(inner)).toEqual([id, other.id]);
    expect(await verified(inner)).toMatchObject({ ok: true, lastSeq: 2 });
  });

  it('by the same log under another action: refused ERR_AUDIT_ID_REUSED, nothing written', async () => {
    const c = clock();
    const { store, inner } = vendorStore();
    const log = memoryLog({ store, now: c.now, random: seededRandom(62) });
    const id = made(1, c.now().getTime());
    const first = await log.append({ ...draft(1), id });
    await expect(log.append({ ...draft(1), outcome: 'failure', id })).rejects.toMatchObject({
      code: 'ERR_AUDIT_ID_REUSED',
      kind: 'input',
      params: { id, seq: first.seq },
    });
    await expect(log.appendMany([draft(3), { ...draft(2), id }])).rejects.toMatchObject({ code: 'ERR_AUDIT_ID_REUSED', params: { id, index: 1 } });
    expect(await ids(inner)).toEqual([id]);
  });

  it('appendMany by the same log: the ids it traced answered, the others written once, in one group commit too', async () => {
    const c = clock();
    const { store, inner } = vendorStore();
    const log = memoryLog({ store, now: c.now, random: seededRandom(63) });
    const t = c.now().getTime();
    const lot = [1, 2, 3].map((n) => ({ ...draft(n), id: made(n, t) }));
    const [first, again] = await Promise.all([log.appendMany(lot), log.append(lot[1]!)]);
    expect(again).toEqual(first[1]);
    c.advance(30);
    const redelivered = await log.appendMany([...lot, { ...draft(4), id: made(4, t) }]);
    expect(redelivered.slice(0, 3)).toEqual(first);
    expect(redelivered[3]).toMatchObject({ seq: 4 });
    expect(await ids(inner)).toEqual([1, 2, 3, 4].map((n) => made(n, t)));
    expect(await verified(inner)).toMatchObject({ ok: true, lastSeq: 4 });
  });

  it('after a write whose answer was lost and could not be read back: the retry finds it and writes nothing; a write that never landed is written once', async () => {
    for (const fault of ['after-write-unreadable', 'before-write'] as const) {
      const c = clock();
      const { store, inner, fail } = vendorStore();
      const log = memoryLog({ store, now: c.now, random: seededRandom(64) });
      const id = made(5, c.now().getTime());
      fail(fault);
      await expect(log.append({ ...draft(5), id }), fault).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE', cause: { code: 'ECONNRESET' } });
      c.advance(1);
      expect(await log.append({ ...draft(5), id }), fault).toMatchObject({ id, seq: 1 });
      expect(await log.append({ ...draft(5), id }), fault).toMatchObject({ id, seq: 1 });
      expect(await ids(inner), fault).toEqual([id]);
    }
  });

  it('the store is the judge: an event no longer there is written again; a look-up that fails writes nothing and rejects ERR_AUDIT_STORE_UNAVAILABLE', async () => {
    const c = clock();
    const { store, inner, fail } = vendorStore();
    const log = memoryLog({ store, now: c.now, random: seededRandom(65) });
    const id = made(6, c.now().getTime());
    const first = await log.append({ ...draft(6), id });
    await log.append(draft(7));
    fail('read-fails');
    await expect(log.append({ ...draft(6), id })).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE', cause: { code: 'ECONNRESET' } });
    expect(inner.size).toBe(2);
    expect(await log.append({ ...draft(6), id })).toEqual(first);
    // Purged from the store (a vendor's retention): no longer held, delivered again it is a new event.
    await inner.purge(1);
    const again = await log.append({ ...draft(6), id });
    expect(again).toMatchObject({ id, seq: 3 });
    expect(await log.append({ ...draft(6), id })).toEqual(again);
    expect(inner.size).toBe(2);
  });

  it('by another log over the same store (another process): written again — the documented limit; the chain verifies', async () => {
    const c = clock();
    const { store, inner } = vendorStore();
    const one = memoryLog({ store, now: c.now, random: seededRandom(66) });
    const two = memoryLog({ store, now: c.now, random: seededRandom(67) });
    const id = made(8, c.now().getTime());
    const first = await one.append({ ...draft(8), id });
    c.advance(5);
    const second: AuditEvent = await two.append({ ...draft(8), id });
    expect(second).toMatchObject({ id, seq: 2 });
    expect(second.hash).not.toBe(first.hash);
    // Each log answers its own retry with the event it wrote.
    expect(await one.append({ ...draft(8), id })).toEqual(first);
    expect(await two.append({ ...draft(8), id })).toEqual(second);
    expect(await ids(inner)).toEqual([id, id]);
    expect(await verified(inner)).toMatchObject({ ok: true, lastSeq: 2 });
  });

  it('reads the store only for an id the log built before; a store that passes `held` is never read for ids', async () => {
    const c = clock();
    const vendor = vendorStore();
    const log = memoryLog({ store: vendor.store, now: c.now, random: seededRandom(68) });
    const t = c.now().getTime();
    await log.appendMany([1, 2, 3].map((n) => ({ ...draft(n), id: made(n, t) })));
    await log.append({ ...draft(4), id: made(4, t) });
    await log.append(draft(5));
    expect(vendor.counts.reads).toBe(0);
    // A lot delivered again: one read for its three events, stored one after the other.
    await log.appendMany([1, 2, 3].map((n) => ({ ...draft(n), id: made(n, t) })));
    expect(vendor.counts.reads).toBe(1);
    // The SDK's store, its `held` passed on: the log never reads it for ids.
    const inner = new MemoryAuditStore();
    let reads = 0;
    const passing: AuditStore = {
      append: (build) => inner.append(build),
      read: (options) => {
        reads++;
        return inner.read(options);
      },
      lines: () => inner.lines(),
      head: () => inner.head(),
      purge: (n) => inner.purge(n),
      close: () => inner.close(),
    };
    const sdk = memoryLog({ store: passing, now: c.now, random: seededRandom(69) });
    const e = await sdk.append({ ...draft(1), id: made(1, t) });
    expect(await sdk.append({ ...draft(1), id: made(1, t) })).toEqual(e);
    expect(reads).toBe(0);
    expect(inner.size).toBe(1);
  });
});

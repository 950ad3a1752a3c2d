import { describe, expect, it } from 'vitest';
import { verifyLog, type AuditEvent, type AuditStore } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { clock, collect, draft, memoryLog, seededRandom, signer, verifier } from './helpers.js';

/**
 * A store write whose answer is lost (AUD-2, issue 19): the store reports a
 * failure though the events were written — a COMMIT whose answer the
 * network dropped, a disk that wrote and then failed its flush. The log
 * reads back what it built: what is there was written, and is reported so;
 * what is not there, or cannot be read, is reported failed. Any store, the
 * vendor's own too.
 */

type Fault = 'after-write' | 'before-write' | 'after-write-unreadable';

/** A memory store whose next append fails as `fault` says, once. */
function lossyStore(): { store: AuditStore; fail(fault: Fault): void; inner: MemoryAuditStore } {
  const inner = new MemoryAuditStore();
  let next: Fault | null = null;
  let unreadable = false;
  const lost = (): Error => Object.assign(new Error('connection terminated unexpectedly'), { code: 'ECONNRESET' });
  const store: AuditStore = {
    async append(build) {
      const fault = next;
      next = null;
      if (fault === 'before-write') throw lost();
      await inner.append(build);
      if (fault === null) return;
      unreadable = fault === 'after-write-unreadable';
      throw lost();
    },
    async *read(options) {
      if (unreadable) {
        unreadable = false;
        throw lost();
      }
      yield* inner.read(options);
    },
    lines: () => inner.lines(),
    head: () => inner.head(),
    purge: (n) => inner.purge(n),
    close: () => inner.close(),
  };
  return { store, inner, fail: (fault) => (next = fault) };
}

const ids = async (store: AuditStore): Promise<string[]> => {
  const out: string[] = [];
  for await (const e of store.read()) out.push(e.id);
  return out;
};

describe('a store write whose answer is lost (AUD-2)', () => {
  it('written then failed: append, appendMany and a checkpoint are reported written, once; the chain goes on', async () => {
    const c = clock();
    const { store, fail, inner } = lossyStore();
    const log = memoryLog({ store, signer: await signer(), now: c.now, random: seededRandom(21) });
    fail('after-write');
    const [one, many] = await Promise.all([log.append(draft(1)), log.appendMany([draft(2), draft(3)])]);
    expect([one.seq, ...many.map((e) => e.seq)]).toEqual([1, 2, 3]);
    fail('after-write');
    const cp = (await log.checkpoint()) as AuditEvent;
    expect(cp).toMatchObject({ seq: 4, action: 'audit.checkpoint' });
    c.advance(1);
    const five = await log.append(draft(5));
    expect(await ids(inner)).toEqual([one.id, ...many.map((e) => e.id), cp.id, five.id]);
    await log.checkpoint();
    expect(await verifyLog(await collect(inner.lines()), { verifier: await verifier() })).toMatchObject({ ok: true, lastSeq: 6 });
  });

  it('failed before the write, or written but unreadable: reported failed, as the store said, and a retry writes it once', async () => {
    for (const fault of ['before-write', 'after-write-unreadable'] as const) {
      const c = clock();
      const { store, fail, inner } = lossyStore();
      const log = memoryLog({ store, now: c.now, random: seededRandom(22) });
      const first = await log.append(draft(1));
      fail(fault);
      await expect(log.append(draft(2)), fault).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE', cause: { code: 'ECONNRESET' } });
      // Written but not confirmed, and no id given: its retry is a second event.
      const retried = await log.append(draft(2));
      const stored = await ids(inner);
      expect(stored, fault).toEqual(fault === 'before-write' ? [first.id, retried.id] : [first.id, stored[1], retried.id]);
      expect(await verifyLog(await collect(inner.lines()))).toMatchObject({ ok: true });
    }
  });

  it('written but unreadable, the draft carrying its id: the retry answers the stored event and writes nothing', async () => {
    const c = clock();
    const { store, fail, inner } = lossyStore();
    const log = memoryLog({ store, now: c.now, random: seededRandom(23) });
    const id = '0192f1a0-0000-7000-8000-00000000000a';
    fail('after-write-unreadable');
    await expect(log.append({ ...draft(1), id })).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    c.advance(1);
    const retried = await log.append({ ...draft(1), id });
    expect(retried).toMatchObject({ id, seq: 1 });
    expect(await ids(inner)).toEqual([id]);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { createConsumer, MemoryKeyHolder, SealError, type HeldKey, type PendingEntry } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { UnfinishedDeposits } from '../src/internal/unfinished-deposits.js';
import { at, fixture, sealInsured } from './helpers.js';

/** A store whose `putPending` is written, then its answer lost (the connection cut after `COMMIT`), or lost before anything is written. */
class LossyStore extends MemoryConsumptionStore {
  lose: 'after' | 'before' | null = null;
  override async putPending(entry: PendingEntry) {
    const lose = this.lose;
    this.lose = null;
    if (lose === 'before') throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    await super.putPending(entry);
    if (lose === 'after') throw new Error('Connection terminated unexpectedly');
  }
}

/** A key holder that fails once, on its next `put`. */
class FlakyHolder extends MemoryKeyHolder {
  fail = false;
  override async put(recordId: string, key: Uint8Array, expiresAt: Date, atTime: Date) {
    if (this.fail) {
      this.fail = false;
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    }
    await super.put(recordId, key, expiresAt, atTime);
  }
}

/** A key holder several consumers share, as a `RedisKeyHolder` is (in this process's memory, for the test). */
class SharedHolder extends MemoryKeyHolder {
  readonly shared = true;
}

/** A shared holder that can put a key only where none is held, as `RedisKeyHolder` does (its script, here in memory). */
class KeyFirstHolder extends SharedHolder {
  readonly expiries = new Map<string, Date>();
  #turn: Promise<unknown> = Promise.resolve();
  override async put(recordId: string, key: Uint8Array, expiresAt: Date, atTime: Date) {
    this.expiries.set(recordId, expiresAt);
    await super.put(recordId, key, expiresAt, atTime);
  }
  putIfAbsent(recordId: string, key: Uint8Array, expiresAt: Date, atTime: Date): Promise<HeldKey | null> {
    // One at a time, as the script runs on the server: nothing comes between the look-up and the put.
    const next = this.#turn.then(async () => {
      const held = await this.get(recordId, atTime);
      if (held === null) await this.put(recordId, key, expiresAt, atTime);
      return held === null ? null : { key: held, expiresAt: this.expiries.get(recordId)! };
    });
    this.#turn = next.catch(() => undefined);
    return next;
  }
}

/** A store whose next `putPending` writes, then answers only once `release` is called: a first try still running. */
class SlowAnswerStore extends MemoryConsumptionStore {
  #gate: Promise<void> | undefined;
  #before = false;
  release: () => void = () => undefined;
  /** The next `putPending` waits for `release`: after writing (a slow answer), or before (a slow request). */
  holdNext(when: 'after' | 'before' = 'after'): void {
    this.#before = when === 'before';
    this.#gate = new Promise((resolve) => (this.release = resolve));
  }
  override async putPending(entry: PendingEntry) {
    const gate = this.#gate;
    this.#gate = undefined;
    if (this.#before) await gate;
    await super.putPending(entry);
    await gate;
  }
}

describe('a deposit whose answer is lost (SIG-6)', () => {
  it('is finished by depositing the same record again: the record can be used, by its handle and by its id', async () => {
    const f = await fixture();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    for (const keyHolder of [undefined, null] as const) {
      for (const lose of ['after', 'before'] as const) {
        const store = new LossyStore();
        const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), ...(keyHolder === null ? { keyHolder } : {}) });
        const sealed = await sealInsured(f);
        store.lose = lose;
        await expect(consumer.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', kind: 'unavailable' });
        expect(await store.countPending()).toBe(lose === 'after' ? 1 : 0);
        // The caller does what the error says: tries again. Written or not, the record is now usable.
        const again = await consumer.deposit(sealed);
        expect(again.recordId).toBe(sealed.recordId);
        expect(await store.countPending()).toBe(1);
        const input = keyHolder === null ? { handle: again.handle } : { recordId: sealed.recordId };
        expect(await consumer.consume(input, { target, requestId: `req-${lose}` })).toMatchObject({ status: 'consumed' });
        expect(await store.countPending()).toBe(0);
        // Used: depositing it again is a duplicate, as ever.
        await expect(consumer.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
      }
    }
  });

  it('is finished the same way when the key holder failed after the store had written', async () => {
    const f = await fixture();
    const store = new MemoryConsumptionStore();
    const keyHolder = new FlakyHolder();
    const consumer = createConsumer({ store, keyHolder, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const sealed = await sealInsured(f);
    keyHolder.fail = true;
    await expect(consumer.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await consumer.deposit(sealed);
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    expect(await consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
  });

  it('is finished the same way when the key holder was refused for good after the store had written (ERR_STORE_MISCONFIGURED, issue 19)', async () => {
    // A Redis holder whose ACL lacks SET, a store whose ACL has EVAL: the record is written, its key refused. Once the
    // right is granted, depositing again in this process finishes it (the key was kept), instead of ERR_RECORD_DUPLICATE.
    const f = await fixture();
    const store = new MemoryConsumptionStore();
    class RefusedHolder extends MemoryKeyHolder {
      refuse = true;
      override async put(recordId: string, key: Uint8Array, expiresAt: Date, atTime: Date) {
        if (this.refuse) throw new SealError('ERR_STORE_MISCONFIGURED', { params: { detail: 'redis key holder put: NOPERM' } });
        await super.put(recordId, key, expiresAt, atTime);
      }
    }
    const keyHolder = new RefusedHolder();
    const consumer = createConsumer({ store, keyHolder, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const sealed = await sealInsured(f);
    await expect(consumer.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_STORE_MISCONFIGURED', kind: 'internal' });
    expect(await store.countPending()).toBe(1);
    keyHolder.refuse = false;
    await consumer.deposit(sealed);
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    expect(await consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
  });

  it('never takes over a record another deposit made: a second deposit of a pending record stays a duplicate, the first handle keeps working', async () => {
    const f = await fixture();
    const store = new LossyStore();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const first = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
    const second = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
    const sealed = await sealInsured(f);
    const deposited = await first.deposit(sealed);
    // Another instance whose own attempt was lost before it wrote: its retry finds a record it did not write.
    store.lose = 'before';
    await expect(second.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await expect(second.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    await expect(first.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    expect(await second.consume({ handle: deposited.handle }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
  });

  it('keeps the keys of unfinished deposits only while their records could be deposited, and a bounded number of them', () => {
    const held = new UnfinishedDeposits(3);
    const key = (n: number) => new Uint8Array(32).fill(n);
    const keys = [1, 2, 3, 4].map(key);
    for (const [i, k] of keys.entries()) {
      held.remember(`r${i}`, 'd', k, 1_000 * (i + 1));
      k.fill(0); // the caller wipes its own: what is kept is a copy
    }
    expect(held.size).toBe(3);
    expect(held.take('r0', 'd', 0)).toBeUndefined(); // the oldest went first, past the bound
    expect(held.take('r1', 'other digest', 0)).toBeUndefined(); // another record under the same id: not this one's key
    expect(held.take('r1', 'd', 0)).toBeUndefined(); // …and forgotten
    expect(held.take('r3', 'd', 3_999)).toEqual(key(4));
    held.prune(3_000); // r2 expired at 3,000
    expect(held.size).toBe(0);
  });

  it('is finished by another consumer sharing the store and the key holder: the same deposit, its handle given again', async () => {
    // A load balancer sends the retry to another instance: the first finished, its answer never reached the tablet.
    const f = await fixture();
    const store = new MemoryConsumptionStore();
    const keyHolder = new SharedHolder();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const make = (ttlSeconds: number) => createConsumer({ store, keyHolder, trustAnchors: [f.pki.ca.certificate], now: () => at(10), ttlSeconds });
    // Instances configured apart: the answer given again is the deposit as stored (its expiry), not what this one would write.
    const [first, second] = [make(600), make(300)];
    const sealed = await sealInsured(f);
    const deposited = await first.deposit(sealed);
    const again = await second.deposit(sealed);
    expect(again).toEqual(deposited);
    // The bytes alone (a terminal's retry of `s3404 record deposit`), verified, give the same deposit.
    expect(await second.deposit({ bytes: sealed.bytes })).toEqual(deposited);
    expect(await store.countPending()).toBe(1);
    expect(await second.consume({ handle: again.handle }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
    // Used: its key is gone with it, and depositing it again is a duplicate, through either consumer.
    await expect(second.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    await expect(first.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
  });

  it('gives the held key only to a caller showing the record itself: other bytes under its id and digest, or no shared key, stay a duplicate', async () => {
    const f = await fixture();
    const store = new MemoryConsumptionStore();
    const keyHolder = new SharedHolder();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const make = (holder: MemoryKeyHolder | null) => createConsumer({ store, keyHolder: holder, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const sealed = await sealInsured(f);
    const deposited = await make(keyHolder).deposit(sealed);
    // Someone who knows the record's id and digest (a trace, a tombstone) but not its bytes.
    for (const bytes of [sealed.bytes.slice(0, -1), Uint8Array.from(sealed.bytes, (b, i) => (i === sealed.bytes.length - 1 ? b ^ 1 : b)), new Uint8Array(0)]) {
      await expect(make(keyHolder).deposit({ ...sealed, bytes })).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    }
    // Another key holder (a restarted one, another fleet's), or none: nobody else has the key.
    await expect(make(new SharedHolder()).deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    await expect(make(null).deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    // A holder of one consumer (the default) keeps the rule of the conformance vectors: a pending record deposited
    // again is a duplicate, even with its key held.
    const own = new MemoryKeyHolder();
    const single = createConsumer({ store: new MemoryConsumptionStore(), keyHolder: own, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    await single.deposit(sealed);
    await expect(single.deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    // A key holder whose key for it is no key (a vendor holder's damaged entry): a duplicate, nothing thrown from inside.
    const broken = new SharedHolder();
    await broken.put(sealed.recordId, new Uint8Array(7), at(600), at(10));
    await expect(make(broken).deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    expect(await make(keyHolder).consume({ handle: deposited.handle }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
  });

  it('with a holder that puts the key first, is finished on another instance even when the first died between its write and its answer', async () => {
    const f = await fixture();
    const store = new LossyStore();
    const keyHolder = new KeyFirstHolder();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const instance = () => createConsumer({ store, keyHolder, trustAnchors: [f.pki.ca.certificate], now: () => at(10), ttlSeconds: 600 });
    const sealed = await sealInsured(f);
    // Instance A writes the record, then its connection is cut: A answers ERR_STORE_UNAVAILABLE and dies,
    // its memory of the try with it. With the key put after the write, the key was never held.
    store.lose = 'after';
    await expect(instance().deposit(sealed)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(await store.countPending()).toBe(1);
    expect(keyHolder.size).toBe(1);
    // The tablet's retry reaches instance B: the deposit A made, with the one key held.
    const again = await instance().deposit(sealed);
    expect(again).toMatchObject({ recordId: sealed.recordId, digest: sealed.digest });
    expect(await instance().deposit({ bytes: sealed.bytes })).toEqual(again);
    expect(await store.countPending()).toBe(1);
    expect(await instance().consume({ recordId: sealed.recordId }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
    expect(keyHolder.size).toBe(0);
    // Used: a late retry is a duplicate, and the key it put is not left behind.
    await expect(instance().deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    expect(keyHolder.size).toBe(0);
  });

  it('with a holder that puts the key first, gives two instances depositing one record at once the same deposit', async () => {
    const f = await fixture();
    const store = new SlowAnswerStore();
    const keyHolder = new KeyFirstHolder();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const instance = () => createConsumer({ store, keyHolder, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const sealed = await sealInsured(f);
    // A has written the record and not answered yet (a slow network): the tablet gives up and retries on B.
    store.holdNext();
    const first = instance().deposit(sealed);
    await vi.waitUntil(async () => (await store.countPending()) === 1);
    const second = await instance().deposit(sealed);
    store.release();
    expect(await first).toEqual(second);
    expect(await instance().consume({ handle: second.handle }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
    // Five instances at the same instant: one writes, all give its answer.
    const next = await sealInsured(f);
    const all = await Promise.all(Array.from({ length: 5 }, () => instance().deposit(next)));
    for (const d of all) expect(d).toEqual(all[0]);
    expect(await instance().consume({ recordId: next.recordId }, { target, requestId: 'r2' })).toMatchObject({ status: 'consumed' });
  });

  it('with a holder that puts the key first, never gives or removes the held key for other bytes under the record id', async () => {
    const f = await fixture();
    const store = new MemoryConsumptionStore();
    const keyHolder = new KeyFirstHolder();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const instance = (holder: MemoryKeyHolder = keyHolder) =>
      createConsumer({ store, keyHolder: holder, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const sealed = await sealInsured(f);
    const deposited = await instance().deposit(sealed);
    for (const bytes of [sealed.bytes.slice(0, -1), Uint8Array.from(sealed.bytes, (b, i) => (i === 40 ? b ^ 1 : b)), new Uint8Array(0)]) {
      await expect(instance().deposit({ ...sealed, bytes })).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
      expect(keyHolder.size).toBe(1);
    }
    // Other bytes whose deposit put the key first, then lost the race to write: the record written under
    // that key is the pending one, and the key stays for it.
    const slow = new SlowAnswerStore();
    const racing = () => createConsumer({ store: slow, keyHolder, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
    const next = await sealInsured(f);
    slow.holdNext('before');
    const forged = racing().deposit({ ...next, bytes: Uint8Array.from(next.bytes, (b, i) => (i === 40 ? b ^ 1 : b)) });
    await vi.waitUntil(async () => (await keyHolder.get(next.recordId, at(10))) !== null);
    const genuine = await racing().deposit(next);
    slow.release();
    await expect(forged).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    expect(await racing().consume({ recordId: next.recordId }, { target, requestId: 'n' })).toMatchObject({ status: 'consumed', recordId: genuine.recordId });
    // The other way round: this deposit put the key, other bytes were written under it first. Its key opens the
    // pending entry, yet it is not this deposit: a duplicate, never a handle to someone else's bytes.
    const third = await sealInsured(f);
    slow.holdNext('before');
    const first = racing().deposit(third);
    await vi.waitUntil(async () => (await keyHolder.get(third.recordId, at(10))) !== null);
    await racing().deposit({ ...third, bytes: Uint8Array.from(third.bytes, (b, i) => (i === 40 ? b ^ 1 : b)) });
    slow.release();
    await expect(first).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    // A damaged entry of the holder (no AES-256 key): a duplicate, the record still pending.
    const broken = new KeyFirstHolder();
    await broken.put(sealed.recordId, new Uint8Array(7), at(600), at(10));
    await expect(instance(broken).deposit(sealed)).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
    expect(await instance().consume({ handle: deposited.handle }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
  });

  it('with a holder that puts the key first, writes a record no longer-lived than the key another instance put', async () => {
    // Instance A (records live 5 minutes) puts the key, then fails before writing; B (10 minutes) writes under A's key.
    const f = await fixture();
    const store = new LossyStore();
    const keyHolder = new KeyFirstHolder();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const instance = (ttlSeconds: number) => createConsumer({ store, keyHolder, trustAnchors: [f.pki.ca.certificate], now: () => at(10), ttlSeconds });
    const sealed = await sealInsured(f);
    store.lose = 'before';
    await expect(instance(300).deposit(sealed)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    const keyExpiry = keyHolder.expiries.get(sealed.recordId)!;
    expect(keyExpiry.getTime()).toBe(Date.parse(sealed.signingTime) + 300_000);
    const written = await instance(600).deposit(sealed);
    // The record expires with its key, not 5 minutes after it (unusable then, ERR_RECORD_KEY_MISSING, for 5 minutes).
    expect(written.expiresAt).toBe(keyExpiry.toISOString());
    expect((await store.getPending(sealed.recordId))?.expiresAt).toBe(keyExpiry.toISOString());
    expect(keyHolder.expiries.get(sealed.recordId)).toEqual(keyExpiry);
    expect(await instance(600).consume({ recordId: sealed.recordId }, { target, requestId: 'r' })).toMatchObject({ status: 'consumed' });
  });

  it('with a holder that puts the key first, keeps the key an instance of an earlier version put for the record it wrote first (a rolling upgrade)', async () => {
    // B (this version) puts its key, then waits on a slow store; A (an earlier version: no putIfAbsent, its key put
    // after its write) writes the record and puts its own key over B's. B's write is then a duplicate whose key opens
    // nothing: B takes back its key only if it is still held, so A's record keeps A's key.
    const f = await fixture();
    const target = { bordereauId: f.bordereauId, contentHash: f.contentHash };
    const sealed = await sealInsured(f);
    const holders = {
      current: new KeyFirstHolder(),
      // A vendor holder of this version without the optional method: the race is lost, as documented.
      withoutDeleteIfHeld: Object.assign(new KeyFirstHolder(), { deleteIfHeld: undefined }),
    };
    const outcomes: Record<string, string> = {};
    for (const [name, keyHolder] of Object.entries(holders)) {
      const store = new SlowAnswerStore();
      const earlier = {
        shared: true as const,
        put: keyHolder.put.bind(keyHolder),
        get: keyHolder.get.bind(keyHolder),
        delete: keyHolder.delete.bind(keyHolder),
        sweep: keyHolder.sweep.bind(keyHolder),
        close: keyHolder.close.bind(keyHolder),
      };
      const instance = (holder: typeof earlier) => createConsumer({ store, keyHolder: holder, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
      store.holdNext('before');
      const b = instance(keyHolder).deposit(sealed);
      await vi.waitUntil(() => keyHolder.size === 1);
      const a = await instance(earlier).deposit(sealed);
      store.release();
      await expect(b).rejects.toMatchObject({ code: 'ERR_RECORD_DUPLICATE' });
      outcomes[name] = await instance(keyHolder)
        .consume({ recordId: a.recordId }, { target, requestId: 'r' })
        .then(
          (r) => r.status,
          (e: { code?: string }) => String(e.code),
        );
    }
    expect(outcomes).toEqual({ current: 'consumed', withoutDeleteIfHeld: 'ERR_RECORD_KEY_MISSING' });
  });
});

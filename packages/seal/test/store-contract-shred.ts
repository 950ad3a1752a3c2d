import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingTraceSink } from '@s3404/core';
import { createConsumer, MemoryKeyHolder, type ConsumptionStore, type RecordKeyHolder, type SealedRecord } from '@s3404/seal';
import { at, fixture, type Fixture } from './helpers.js';
import { bordereauOf, sealMany, targetOf, type StoreUnderTest } from './store-contract.js';

/**
 * Crypto-shredding of pending records on every store (SIG-6, issue 15),
 * through the public consumer: what the store holds never opens without the
 * record's key, and every bad key is a coded, traced refusal with nothing
 * decrypted and nothing consumed.
 */
export function shredContract(sut: StoreUnderTest): void {
  describe(`${sut.name}: pending records are crypto-shredded (SIG-6)`, () => {
    let f: Fixture;
    let records: SealedRecord[];
    const stores: ConsumptionStore[] = [];
    const clock = { now: at(10) };
    const open = async (): Promise<ConsumptionStore> => {
      const s = await sut.open();
      stores.push(s);
      return s;
    };
    const consumerOn = (store: ConsumptionStore, keyHolder: RecordKeyHolder | null | undefined, trace = new RecordingTraceSink()) => ({
      trace,
      consumer: createConsumer({
        store,
        trustAnchors: [f.pki.ca.certificate],
        now: () => clock.now,
        ttlSeconds: 600,
        claimGraceSeconds: 60,
        trace,
        consumerId: 'test-node',
        ...(keyHolder === undefined ? {} : { keyHolder }),
      }),
    });
    const target = (r: SealedRecord) => targetOf(r);
    const handleKey = (handle: string): string => handle.slice(handle.lastIndexOf('.') + 1);

    beforeAll(async () => {
      f = await fixture();
      records = await sealMany(f, 10, 23);
    });
    afterAll(async () => {
      for (const s of stores) await s.close();
    });

    it('uses a record by its handle with no key holder at all, then the handle is dead', async () => {
      clock.now = at(10);
      const store = await open();
      const { consumer, trace } = consumerOn(store, null);
      const r = records[0]!;
      const deposit = await consumer.deposit(r);
      expect(deposit).toMatchObject({ recordId: r.recordId, digest: r.digest, target: `bordereau:${bordereauOf(r)}` });
      // Without a holder, the record id alone cannot open it.
      await expect(consumer.consume({ recordId: r.recordId }, { target: target(r), requestId: 'no-key' })).rejects.toMatchObject({
        code: 'ERR_RECORD_KEY_MISSING',
        kind: 'verdict',
      });
      expect(trace.events.at(-1)).toMatchObject({ action: 'signature.refused', code: 'ERR_RECORD_KEY_MISSING', subject: { recordId: r.recordId } });
      expect(await store.findTombstone({ recordId: r.recordId })).toBeNull();
      const used = await consumer.consume({ handle: deposit.handle }, { target: target(r), requestId: 'h-1' });
      expect(used).toMatchObject({ status: 'consumed', recordId: r.recordId });
      expect(await store.countPending()).toBe(0);
      // The same handle again: the same request gets its outcome, any other is a replay.
      expect((await consumer.consume({ handle: deposit.handle }, { target: target(r), requestId: 'h-1' })).status).toBe('already-consumed');
      await expect(consumer.consume({ handle: deposit.handle }, { target: target(r), requestId: 'h-2' })).rejects.toMatchObject({
        code: 'ERR_RECORD_REPLAYED',
      });
    });

    it('destroys the held key with the use, and a restarted holder leaves records unusable, traced', async () => {
      clock.now = at(10);
      const store = await open();
      const holder = new MemoryKeyHolder();
      const { consumer } = consumerOn(store, holder);
      const [a, b] = [records[1]!, records[2]!];
      await consumer.deposit(a);
      await consumer.deposit(b);
      expect(holder.size).toBe(2);
      await consumer.consume({ recordId: a.recordId }, { target: target(a), requestId: 'a' });
      expect(holder.size).toBe(1);
      // The process restarts: a new holder, the same store. B's ciphertext is there, its key is not.
      await holder.close();
      const restarted = consumerOn(store, new MemoryKeyHolder());
      await expect(restarted.consumer.consume({ recordId: b.recordId }, { target: target(b), requestId: 'b' })).rejects.toMatchObject({
        code: 'ERR_RECORD_KEY_MISSING',
      });
      expect(restarted.trace.events.at(-1)).toMatchObject({ action: 'signature.refused', code: 'ERR_RECORD_KEY_MISSING', subject: { recordId: b.recordId } });
      expect(await store.findTombstone({ recordId: b.recordId })).toBeNull();
      // Unusable, then deleted at expiry by the sweeper.
      clock.now = at(10 + 600);
      expect(await restarted.consumer.sweep()).toMatchObject({ expired: 1 });
      expect(await store.countPending()).toBe(0);
      clock.now = at(10);
    });

    it('wipes the key of an abandoned use with its ciphertext, at the end of the claim grace, not at the record expiry', async () => {
      clock.now = at(10);
      const store = await open();
      const holder = new MemoryKeyHolder();
      const { consumer } = consumerOn(store, holder);
      const r = records[2]!;
      await consumer.deposit(r);
      await expect(
        consumer.consume({ recordId: r.recordId }, { target: target(r), requestId: 'crash', apply: () => Promise.reject(new Error('boom')) }),
      ).rejects.toMatchObject({ code: 'ERR_CONSUME_INCOMPLETE' });
      expect(holder.size).toBe(1); // within the grace the same request can still finish
      clock.now = at(10 + 61); // grace 60 s, TTL 600 s
      expect(await consumer.sweep()).toMatchObject({ abandoned: 1 });
      expect(holder.size).toBe(0);
      expect(await store.countPending()).toBe(0);
      clock.now = at(10);
    });

    it('refuses a wrong key, another record’s ciphertext, an edited target and a truncated ciphertext: nothing decrypted, nothing consumed', async () => {
      clock.now = at(10);
      const store = await open();
      const { consumer, trace } = consumerOn(store, null);
      const [a, b, c, d] = [records[3]!, records[4]!, records[5]!, records[6]!];
      const ha = await consumer.deposit(a);
      const hb = await consumer.deposit(b);
      // B's key with A's id.
      const crossed = `s3404-pending.1.${a.recordId}.${handleKey(hb.handle)}`;
      await expect(consumer.consume({ handle: crossed }, { target: target(a), requestId: 'x' })).rejects.toMatchObject({ code: 'ERR_RECORD_KEY_MISMATCH' });
      expect(trace.events.at(-1)).toMatchObject({ action: 'signature.refused', code: 'ERR_RECORD_KEY_MISMATCH', subject: { recordId: a.recordId } });
      // B's ciphertext stored under C's id (a store row moved), opened with B's key.
      const bCipher = (await store.getPending(b.recordId))!.bytes;
      await store.putPending({ recordId: c.recordId, digest: c.digest, bytes: bCipher, expiresAt: at(600).toISOString() });
      await expect(
        consumer.consume({ handle: `s3404-pending.1.${c.recordId}.${handleKey(hb.handle)}` }, { target: target(c), requestId: 'x' }),
      ).rejects.toMatchObject({ code: 'ERR_RECORD_KEY_MISMATCH' });
      // D deposited, then its envelope's clear target edited to another bordereau, in a copy of the store.
      const hd = await consumer.deposit(d);
      const dCipher = Uint8Array.from((await store.getPending(d.recordId))!.bytes);
      const firstIdChar = 7 + 'bordereau:'.length;
      dCipher[firstIdChar] = dCipher[firstIdChar] === 0x30 ? 0x31 : 0x30;
      const copy = await open();
      const onCopy = consumerOn(copy, null).consumer;
      await copy.putPending({ recordId: d.recordId, digest: d.digest, bytes: dCipher, expiresAt: at(600).toISOString() });
      await expect(onCopy.consume({ handle: hd.handle }, { target: target(d), requestId: 'x' })).rejects.toMatchObject({ code: 'ERR_RECORD_KEY_MISMATCH' });
      // A truncated ciphertext under its own id, with its own key, in the copy.
      const e = records[7]!;
      const he = await consumer.deposit(e);
      const full = (await store.getPending(e.recordId))!.bytes;
      await copy.putPending({ recordId: e.recordId, digest: e.digest, bytes: full.subarray(0, full.length - 1), expiresAt: at(600).toISOString() });
      await expect(onCopy.consume({ handle: he.handle }, { target: target(e), requestId: 'x' })).rejects.toMatchObject({ code: 'ERR_RECORD_KEY_MISMATCH' });
      const g = records[8]!;
      await copy.putPending({ recordId: g.recordId, digest: g.digest, bytes: full.subarray(0, 30), expiresAt: at(600).toISOString() });
      await expect(
        onCopy.consume({ handle: `s3404-pending.1.${g.recordId}.${handleKey(he.handle)}` }, { target: target(g), requestId: 'x' }),
      ).rejects.toMatchObject({
        code: 'ERR_RECORD_KEY_MISMATCH',
      });
      for (const s of [store, copy]) for (const r of [a, c, d, e, g]) expect(await s.findTombstone({ recordId: r.recordId })).toBeNull();
      // The right handles still work on the real store: the refusals consumed nothing.
      expect((await consumer.consume({ handle: ha.handle }, { target: target(a), requestId: 'ok-a' })).status).toBe('consumed');
      expect((await consumer.consume({ handle: hb.handle }, { target: target(b), requestId: 'ok-b' })).status).toBe('consumed');
      expect((await consumer.consume({ handle: hd.handle }, { target: target(d), requestId: 'ok-d' })).status).toBe('consumed');
      expect((await consumer.consume({ handle: he.handle }, { target: target(e), requestId: 'ok-e' })).status).toBe('consumed');
    });
    it('refuses a malformed handle with ERR_RECORD_KEY_INVALID (kind input), traced', async () => {
      const store = await open();
      const { consumer, trace } = consumerOn(store, null);
      const r = records[9]!;
      const bad = [
        '',
        'nope',
        `s3404-pending.1.${r.recordId}`,
        `s3404-pending.1.${r.recordId}.${'A'.repeat(42)}`,
        `s3404-pending.1.${r.recordId}.${'A'.repeat(44)}`,
        `s3404-pending.1.${r.recordId}.${'A'.repeat(42)}+`,
        `s3404-pending.1.${r.recordId.toUpperCase()}.${'A'.repeat(43)}`,
        `s3404-pending.2.${r.recordId}.${'A'.repeat(43)}`,
      ];
      for (const handle of bad) {
        await expect(consumer.consume({ handle }, { target: target(r), requestId: 'bad' })).rejects.toMatchObject({
          code: 'ERR_RECORD_KEY_INVALID',
          kind: 'input',
        });
        expect(trace.events.at(-1)).toMatchObject({ action: 'signature.refused', code: 'ERR_RECORD_KEY_INVALID' });
      }
      await expect(consumer.consume({ handle: 42 as unknown as string }, { target: target(r), requestId: 'bad' })).rejects.toMatchObject({
        code: 'ERR_RECORD_KEY_INVALID',
      });
    });

    it('deposits bytes alone after verifying them, and refuses bytes that are not a record', async () => {
      clock.now = at(10);
      const store = await open();
      const { consumer } = consumerOn(store, null);
      const r = records[9]!;
      const forged = Uint8Array.from(r.bytes);
      forged[forged.length - 5]! ^= 0x01;
      await expect(consumer.deposit({ bytes: forged })).rejects.toMatchObject({ name: 'SealError' });
      expect(await store.countPending()).toBe(0);
      const deposit = await consumer.deposit({ bytes: r.bytes });
      expect(deposit).toMatchObject({ recordId: r.recordId, digest: r.digest, target: `bordereau:${bordereauOf(r)}` });
      expect((await consumer.consume({ handle: deposit.handle }, { target: target(r), requestId: 'bytes' })).status).toBe('consumed');
    });

    it('with verify: false reads bytes without judging the seal: garbage refused at the deposit, a forged seal refused at the use', async () => {
      clock.now = at(10);
      const store = await open();
      const { consumer, trace } = consumerOn(store, null);
      const r = records[8]!;
      await expect(consumer.deposit({ bytes: new TextEncoder().encode('not a record') }, { verify: false })).rejects.toMatchObject({
        code: 'ERR_SEAL_MALFORMED',
      });
      // The signature value's last byte flipped: the structure and the record read fine.
      const forged = Uint8Array.from(r.bytes);
      forged[forged.length - 1]! ^= 0x01;
      const deposit = await consumer.deposit({ bytes: forged }, { verify: false });
      expect(deposit.recordId).toBe(r.recordId);
      const refused = await consumer.consume({ handle: deposit.handle }, { target: target(r), requestId: 'forged' }).then(
        () => null,
        (e: { code?: string }) => e.code,
      );
      expect(refused).toMatch(/^ERR_SEAL_/);
      expect(trace.events.at(-1)).toMatchObject({ action: 'signature.refused', code: refused });
      expect(await store.findTombstone({ recordId: r.recordId })).toBeNull();
    });
  });
}

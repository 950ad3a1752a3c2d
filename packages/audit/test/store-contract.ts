import { describe, expect, it } from 'vitest';
import { verifyLog, type AuditStore } from '@s3404/audit';
import { clock, collect, draft, memoryLog, pki, sealPurgeEvidence, seededRandom, signer, T0, verifier } from './helpers.js';

/**
 * The behaviours every AuditStore must have (AUD-2, AUD-3), run against
 * each implementation. `open` gives a fresh, empty store; `reopen` a second
 * handle on the same data (another process would see the same).
 */
export function storeContract(
  name: string,
  make: () => Promise<{ open(): Promise<AuditStore>; reopen(): Promise<AuditStore>; cleanup(): Promise<void> }>,
): void {
  describe(`${name} audit store contract`, () => {
    it('appends, reads back in order and verifies', async () => {
      const s = await make();
      try {
        const store = await s.open();
        const log = memoryLog({ store });
        await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(draft(i))));
        const seqs: number[] = [];
        for await (const e of store.read()) seqs.push(e.seq);
        expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        const part: number[] = [];
        for await (const e of store.read({ fromSeq: 50, toSeq: 59 })) part.push(e.seq);
        expect(part).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
        expect(await verifyLog(await collect(store.lines()))).toMatchObject({ ok: true, lastSeq: 200 });
        await log.close();
      } finally {
        await s.cleanup();
      }
    });

    it('an event whose caller gave its id is written once, however often and through whichever handle it is given again (AUD-2)', async () => {
      const s = await make();
      try {
        const c = clock();
        const a = memoryLog({ store: await s.open(), now: c.now, random: seededRandom(31) });
        const b = memoryLog({ store: await s.reopen(), now: c.now, random: seededRandom(32) });
        const id = (n: number): string => `0192f1a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
        const first = await a.append({ ...draft(1), id: id(1) });
        expect(first.id).toBe(id(1));
        // Given again, through another handle: the stored event, nothing written.
        c.advance(400); // later than the skew: only an event already there may be answered with that time
        expect(await b.append({ ...draft(1), id: id(1) })).toEqual(first);
        const many = await b.appendMany([{ ...draft(2), id: id(2) }, { ...draft(1), id: id(1) }, draft(4), { ...draft(2), id: id(2) }]);
        expect(many[1]).toEqual(first);
        expect(many[3]).toEqual(many[0]);
        expect(many.map((e) => e.seq)).toEqual([2, 1, 3, 2]);
        // Given by two handles at once: one event.
        const [x, y] = await Promise.all([a.append({ ...draft(6), id: id(6) }), b.append({ ...draft(6), id: id(6) })]);
        expect(x).toEqual(y);
        await expect(a.append({ ...draft(7), id: 'not-a-uuid' })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
        await expect(a.append({ ...draft(7), id: '0192f1a0-0000-4000-8000-000000000007' })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
        const check = await s.reopen();
        const ids: string[] = [];
        for await (const e of check.read()) ids.push(e.id);
        expect(ids).toEqual([id(1), id(2), many[2]!.id, id(6)]);
        expect(await verifyLog(await collect(check.lines()))).toMatchObject({ ok: true, lastSeq: 4 });
        await a.close();
        await b.close();
      } finally {
        await s.cleanup();
      }
    });

    it('a second handle continues the same chain (head, checkpoints) and both handles interleave safely', async () => {
      const s = await make();
      try {
        const sign = await signer();
        const c = clock();
        const a = memoryLog({ store: await s.open(), signer: sign, now: c.now });
        for (let i = 0; i < 10; i++) await a.append(draft(i));
        await a.checkpoint();
        const b = memoryLog({ store: await s.reopen(), signer: sign, now: c.now });
        const third = await s.reopen();
        const head = await third.head();
        await third.close();
        expect(head.seq).toBe(11);
        expect(head.checkpoint?.seq).toBe(11);
        await Promise.all([...Array.from({ length: 50 }, (_, i) => a.append(draft(i))), ...Array.from({ length: 50 }, (_, i) => b.append(draft(i + 50)))]);
        await b.checkpoint();
        await a.append(draft(1));
        const report = await a.verify({ verifier: await verifier() });
        expect(report).toMatchObject({ ok: true, lastSeq: 113, checkpoints: 2, signatures: { status: 'valid' } });
        await a.close();
        await b.close();
      } finally {
        await s.cleanup();
      }
    });

    it('keeps a checkpoint’s RFC 3161 token with its line, beside checkpoints written before time-stamping (AUD-2)', async () => {
      const s = await make();
      try {
        const sign = await signer();
        const p = await pki();
        const { createDevelopmentTsa, createTimeStampVerifier } = await import('@s3404/seal');
        const tsa = await createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.tsa.privateKey, now: () => T0 });
        const c = clock();
        const old = memoryLog({ store: await s.open(), signer: sign, now: c.now });
        for (let i = 0; i < 5; i++) await old.append(draft(i));
        await old.checkpoint();
        const stamped = memoryLog({ store: await s.reopen(), signer: sign, now: c.now, timestamper: tsa.stamper });
        for (let i = 5; i < 10; i++) await stamped.append(draft(i));
        const cp = (await stamped.checkpoint())!;
        expect(cp.checkpoint?.timestamp).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
        const third = await s.reopen();
        const read: { seq: number; timestamp: string | undefined }[] = [];
        for await (const e of third.read()) if (e.action === 'audit.checkpoint') read.push({ seq: e.seq, timestamp: e.checkpoint?.timestamp });
        expect(read).toEqual([
          { seq: 6, timestamp: undefined },
          { seq: 12, timestamp: cp.checkpoint!.timestamp },
        ]);
        const report = await verifyLog(await collect(third.lines()), {
          verifier: await verifier(),
          timeStampVerifier: createTimeStampVerifier({ trust: [p.ca.certificate] }),
          now: c.now,
        });
        expect(report).toMatchObject({ ok: true, lastSeq: 12, checkpoints: 2 });
        expect(report.checkpointTimes.map((t) => [t.seq, t.source.kind])).toEqual([
          [6, 'signer-clock'],
          [12, 'tsa'],
        ]);
        await third.close();
        await old.close();
        await stamped.close();
      } finally {
        await s.cleanup();
      }
    });

    it('purges only up to a given sequence and the remainder verifies from its anchoring checkpoint', async () => {
      const s = await make();
      try {
        const store = await s.open();
        const c = clock();
        const log = memoryLog({ store, signer: await signer(), now: c.now });
        for (let i = 0; i < 20; i++) await log.append(draft(i));
        const cp = (await log.checkpoint())!;
        for (let i = 0; i < 5; i++) await log.append(draft(i));
        // Without the purge's sealed evidence, a trace starting at a checkpoint is a cut head.
        await sealPurgeEvidence(log, c, { firstSeq: 1, lastSeq: cp.seq - 1 });
        expect(await store.purge(cp.seq - 1)).toBe(20);
        const first = (await store.read()[Symbol.asyncIterator]().next()).value;
        expect(first?.seq).toBe(cp.seq);
        expect(await log.verify({ verifier: await verifier() })).toMatchObject({
          ok: true,
          start: 'checkpoint',
          firstSeq: 21,
          // The evidence: the daily checkpoint of its new day, the purge event, the checkpoint that seals it.
          lastSeq: 29,
          purge: { seq: 28, firstSeq: 1, lastSeq: 20, retentionMonths: 24, sealedBy: 29 },
        });
        await log.append(draft(9));
        expect((await log.verify()).lastSeq).toBe(30);
        await log.close();
      } finally {
        await s.cleanup();
      }
    });

    it('writes nothing when the batch cannot be built (a failing signer)', async () => {
      const s = await make();
      try {
        const store = await s.open();
        const log = memoryLog({ store, signer: { subject: 'CN=HSM', sign: () => Promise.reject(new Error('HSM down')) } });
        await log.append(draft(0));
        await expect(log.checkpoint()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
        await log.append(draft(1));
        expect(await log.verify()).toMatchObject({ ok: true, lastSeq: 2, checkpoints: 0 });
        await log.close();
      } finally {
        await s.cleanup();
      }
    });
  });
}

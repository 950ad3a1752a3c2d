import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentHash, createBordereauId, parseBordereau } from '@s3404/form';
import { readSignatureSlots, renderBordereauPdf, verifyBordereauPdf } from '@s3404/form/pdf';
import { accountingDayScope, createCapture, createConsumer, type SealedRecord } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { applyAccountingDayEach } from '@s3404/seal/apply';
import { at, FINESS, fixture, makePng, seededRandom, T0, type Fixture } from './helpers.js';

// Issue 19: the journée comptable on a day too large for memory — a few PDFs at a time, staged, then committed.
const EXAMPLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/data/mco-chirurgie-pth.json'), 'utf8')) as Record<string, any>;
const exampleOf = (id: string) => {
  const b = structuredClone(EXAMPLE);
  b.id = id;
  b.establishment.finess = FINESS;
  return parseBordereau(b);
};
const hashOf = (id: string): string => contentHash(exampleOf(id));

describe('applyAccountingDayEach: one signature on every bordereau of the day, a few PDFs in memory at a time (SIG-10)', () => {
  let f: Fixture;
  let ids: string[];
  let pdfs: Uint8Array[];
  beforeAll(async () => {
    f = await fixture();
    ids = [401, 402, 403].map((s) => createBordereauId({ random: seededRandom(s) }));
    pdfs = await Promise.all(ids.map(async (id) => (await renderBordereauPdf(exampleOf(id), { now: () => T0 })).bytes));
  });
  const sealDay = async (set: string[]): Promise<SealedRecord> => {
    const ctx = await f.sealer.openContext({
      scope: accountingDayScope({ finess: FINESS, day: '2026-03-20', bordereaux: set.map((id) => ({ bordereauId: id, contentHash: hashOf(id) })) }),
      role: 'director',
      signer: { id: 'dir-1', name: 'M. Durand' },
      terminalId: 'poste-direction',
    });
    return f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(5) }));
  };
  const consumerOn = (store: MemoryConsumptionStore) => createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });

  it('stages every signed PDF before the claim, commits after it, and the record cannot be used again', async () => {
    const store = new MemoryConsumptionStore();
    const consumer = consumerOn(store);
    const day = await sealDay(ids);
    await consumer.deposit(day);
    const files: Uint8Array[] = pdfs.map((p) => p.slice());
    const staged = new Map<number, Uint8Array>();
    const log: string[] = [];
    const r = await applyAccountingDayEach(consumer, {
      input: { recordId: day.recordId },
      count: files.length,
      read: (i) => {
        log.push(`read ${i}`);
        return files[i]!;
      },
      stage: (i, pdf) => {
        log.push(`stage ${i}`);
        staged.set(i, pdf);
      },
      commit: () => {
        log.push('commit');
        for (const [i, pdf] of staged) files[i] = pdf;
      },
      day: '2026-03-20',
      finess: FINESS,
      requestId: 'day-each-1',
    });
    if (r.status !== 'applied') throw new Error('expected applied');
    expect(r.count).toBe(3);
    expect(r.bordereaux.map((b) => [b.bordereauId, b.contentHash])).toEqual(ids.map((id) => [id, hashOf(id)]));
    // Each PDF read to learn the day's set, then read again, signed and staged, each read once, in order, the next one
    // read while one is signed (issue 19); the commit comes last.
    expect(log).toEqual(['read 0', 'read 1', 'read 2', 'read 0', 'read 1', 'stage 0', 'read 2', 'stage 1', 'stage 2', 'commit']);
    for (const [i, pdf] of files.entries()) {
      expect(pdf).not.toEqual(pdfs[i]);
      const slots = await readSignatureSlots(pdf);
      expect(slots.slots.find((s) => s.id === 'director')?.signed).toBe(true);
      const verdict = await verifyBordereauPdf(pdf);
      expect(verdict.ok).toBe(true);
      expect(verdict.signatures).toEqual([expect.objectContaining({ slot: 'director', recordId: day.recordId })]);
    }
    expect(await store.countPending()).toBe(0);
    await expect(
      applyAccountingDayEach(consumer, {
        input: { bytes: day.bytes },
        count: 3,
        read: (i) => pdfs[i]!,
        stage: () => {},
        day: '2026-03-20',
        finess: FINESS,
        requestId: 'day-each-2',
      }),
    ).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
  });

  it('refuses a day that is not the signed set, or a stage that fails, with nothing consumed', async () => {
    const store = new MemoryConsumptionStore();
    const consumer = consumerOn(store);
    const day = await sealDay(ids);
    await consumer.deposit(day);
    const base = { input: { recordId: day.recordId }, day: '2026-03-20', finess: FINESS };
    let stagedCount = 0;
    await expect(
      applyAccountingDayEach(consumer, { ...base, count: 2, read: (i) => pdfs[i]!, stage: () => void stagedCount++, requestId: 'short' }),
    ).rejects.toMatchObject({ code: 'ERR_RECORD_DAY_SET_MISMATCH' });
    expect(stagedCount).toBe(0);
    await expect(
      applyAccountingDayEach(consumer, {
        ...base,
        count: 3,
        read: (i) => pdfs[i]!,
        stage: (i) => {
          if (i === 2) throw new Error('disk full');
        },
        requestId: 'stage-fails',
      }),
    ).rejects.toThrow('disk full');
    expect(await store.countPending()).toBe(1);
    // Still usable once, by a caller whose stage works.
    const r = await applyAccountingDayEach(consumer, { ...base, count: 3, read: (i) => pdfs[i]!, stage: () => {}, requestId: 'works' });
    expect(r.status).toBe('applied');
    await expect(applyAccountingDayEach(consumer, { ...base, count: 0, read: (i) => pdfs[i]!, stage: () => {}, requestId: 'x' })).rejects.toThrow(TypeError);
  });

  it('refuses a read that gives other bytes the second time — even the same bordereau and content, rendered again — with nothing consumed', async () => {
    const store = new MemoryConsumptionStore();
    const consumer = consumerOn(store);
    const day = await sealDay(ids);
    await consumer.deposit(day);
    // The same bordereau and content hash, other bytes (another rendering time): what was verified is not what would be signed.
    const again = (await renderBordereauPdf(exampleOf(ids[1]!), { now: () => at(1) })).bytes;
    expect(again).not.toEqual(pdfs[1]);
    for (const second of [again, pdfs[2]!]) {
      let reads = 0;
      const staged: number[] = [];
      await expect(
        applyAccountingDayEach(consumer, {
          input: { recordId: day.recordId },
          count: 3,
          read: (i) => (i === 1 && ++reads === 2 ? second : pdfs[i]!),
          stage: (i) => void staged.push(i),
          day: '2026-03-20',
          finess: FINESS,
          requestId: 'changed',
        }),
      ).rejects.toThrow(TypeError);
      expect(staged).toEqual([0]);
      expect(await store.countPending()).toBe(1);
    }
  });

  it('reads ahead and stages behind without ever running two stages at once, and a failure ahead or behind refuses the day with nothing consumed', async () => {
    const store = new MemoryConsumptionStore();
    const consumer = consumerOn(store);
    const day = await sealDay(ids);
    await consumer.deposit(day);
    const base = { input: { recordId: day.recordId }, count: 3, day: '2026-03-20', finess: FINESS };
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // A slow stage: the next PDF is signed meanwhile, but stage i+1 waits for stage i to end.
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const r = await applyAccountingDayEach(consumer, {
      ...base,
      read: async (i) => {
        await pause(5);
        return pdfs[i]!;
      },
      stage: async (i) => {
        most = Math.max(most, ++running);
        await pause(30);
        order.push(i);
        running--;
      },
      requestId: 'slow-stage',
    });
    expect(r.status).toBe('applied');
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2]);
    // A read that fails while the PDF before is verified, a stage that fails slowly while the next PDF is signed, a
    // PDF refused while the one before is being staged: the day is refused with its own error, every stage has ended,
    // nothing is consumed and no rejection is left unhandled (vitest fails a run on one).
    const day2 = await sealDay(ids);
    await consumer.deposit(day2);
    const base2 = { ...base, input: { recordId: day2.recordId } };
    await expect(
      applyAccountingDayEach(consumer, {
        ...base2,
        read: async (i) => {
          if (i === 2) throw new Error('read failed');
          return pdfs[i]!;
        },
        stage: () => {},
        requestId: 'read-fails',
      }),
    ).rejects.toThrow('read failed');
    let reads = 0;
    const ended: number[] = [];
    await expect(
      applyAccountingDayEach(consumer, {
        ...base2,
        read: (i) => (++reads > 3 && i === 1 ? pdfs[2]! : pdfs[i]!),
        stage: async (i) => {
          await pause(30);
          ended.push(i);
        },
        requestId: 'refused-while-staging',
      }),
    ).rejects.toThrow(TypeError);
    expect(ended).toEqual([0]);
    await expect(
      applyAccountingDayEach(consumer, {
        ...base2,
        read: (i) => pdfs[i]!,
        stage: async (i) => {
          await pause(20);
          if (i === 0) throw new Error('disk full');
        },
        requestId: 'stage-fails-slowly',
      }),
    ).rejects.toThrow('disk full');
    expect(await store.countPending()).toBe(1);
    const done = await applyAccountingDayEach(consumer, { ...base2, read: (i) => pdfs[i]!, stage: () => {}, requestId: 'works-2' });
    expect(done.status).toBe('applied');
    expect(await store.countPending()).toBe(0);
  });
});

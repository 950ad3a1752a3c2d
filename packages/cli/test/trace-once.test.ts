import { describe, expect, it } from 'vitest';
import { auditTraceSink, createAuditLog, verifyLog, type AuditStore } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { FileAuditStore } from '@s3404/audit/file';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLotManager } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import { createConsumer, MemoryKeyHolder, type Consumer } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { packedLot, sealedInsured } from './wired.js';

/**
 * Events delivered again reach the audit trace once (SCOR-3, SIG-5, AUD-2,
 * issue 19): an event the audit store wrote but whose answer was lost and
 * could not be read back is delivered again — by the lot outbox, or by the
 * same request resuming a use — with the same id, so the trace holds it
 * once.
 */

/** A memory audit store whose next append writes, then fails, and whose next read fails too (`lose()`). */
function lossyStore(): { store: AuditStore; inner: MemoryAuditStore; lose(): void } {
  const inner = new MemoryAuditStore();
  let lost = false;
  let unreadable = false;
  const failure = (): Error => Object.assign(new Error('connection terminated unexpectedly'), { code: 'ECONNRESET' });
  return {
    inner,
    lose: () => (lost = true),
    store: {
      async append(build) {
        await inner.append(build);
        if (!lost) return;
        lost = false;
        unreadable = true;
        throw failure();
      },
      async *read(options) {
        if (unreadable) {
          unreadable = false;
          throw failure();
        }
        yield* inner.read(options);
      },
      lines: () => inner.lines(),
      head: () => inner.head(),
      purge: (n) => inner.purge(n),
      close: () => inner.close(),
    },
  };
}

describe('an event delivered again reaches the audit trace once (SCOR-3, SIG-5, AUD-2)', () => {
  it('the audit append wrote but could not say so: register fails, the next tick delivers the same event, traced once', async () => {
    let t = Date.parse('2026-03-02T09:00:00.000Z');
    const now = (): Date => new Date(t);
    const { store, inner, lose } = lossyStore();
    const log = createAuditLog({ store, now });
    const packed = packedLot(43, 'once');
    const lots = createLotManager({
      store: new MemoryLotStore(),
      transport: { id: 'remote', send: async () => ({ reference: 'r-1' }) },
      now,
      trace: auditTraceSink(log),
    });
    lose();
    await expect(lots.register(packed)).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
    expect((await lots.get(packed.lotId)).untraced).toHaveLength(1);
    t += 10 * 60_000;
    expect(await lots.tick()).toMatchObject({ traced: [packed.lotId], errors: [] });
    expect((await lots.get(packed.lotId)).untraced).toBeUndefined();
    const actions: string[] = [];
    for await (const e of inner.read()) actions.push(e.action);
    expect(actions).toEqual(['lot.built']);
    await log.close();
    expect(
      await verifyLog(
        await (async () => {
          const parts: Uint8Array[] = [];
          for await (const p of inner.lines()) parts.push(p);
          return Buffer.concat(parts);
        })(),
      ),
    ).toMatchObject({ ok: true, lastSeq: 1 });
  });

  it('a process stalled between storing a lot event and its first delivery: another process’s tick delivers it meanwhile, traced once', async () => {
    let t = Date.parse('2026-03-02T09:00:00.000Z');
    const now = (): Date => new Date(t);
    const audit = new MemoryAuditStore();
    const lotStore = new MemoryLotStore();
    const transport = { id: 'remote', send: async () => ({ reference: 'r-1' }) };
    // The other process: its own audit log and lot manager on the same stores.
    const otherLots = createLotManager({ store: lotStore, transport, now, trace: auditTraceSink(createAuditLog({ store: audit, now })) });
    const log = createAuditLog({ store: audit, now });
    const sink = auditTraceSink(log);
    let stalled = false;
    const lots = createLotManager({
      store: lotStore,
      transport,
      now,
      trace: {
        // The first delivery waits (a pause of the process) while the other one's tick runs, a minute and more later.
        record: async (e) => {
          if (!stalled) {
            stalled = true;
            t += 61_000;
            expect(await otherLots.tick()).toMatchObject({ traced: [packedId], errors: [] });
          }
          return sink.record(e);
        },
      },
    });
    const packed = packedLot(44, 'stalled');
    const packedId = packed.lotId;
    await lots.register(packed);
    // The creation (delivered by the tick, then by the stalled process: written once) and the move to awaiting its ARL.
    const events: { action: string; id: string; time: string }[] = [];
    for await (const e of audit.read()) events.push({ action: e.action, id: e.id, time: e.time });
    expect(events.map((e) => e.time)).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T09:01:01.000Z']);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
    expect((await lots.get(packedId)).untraced).toBeUndefined();
    await log.close();
  });

  it('the audit append of signature.consumed wrote but could not say so: the use is incomplete, the same request finishes it, each event traced once', async () => {
    const { store, inner, lose } = lossyStore();
    const log = createAuditLog({ store });
    const { pki, sealed, target } = await sealedInsured({ contentHash: 'cd'.repeat(32), patient: 'patient-2', terminalId: 'tablette-2' });
    const consumer = createConsumer({ store: new MemoryConsumptionStore(), trustAnchors: [pki.ca.certificate], trace: auditTraceSink(log) });
    await consumer.deposit(sealed);
    lose();
    await expect(consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'use-1', apply: () => 'ok' })).rejects.toMatchObject({
      code: 'ERR_CONSUME_INCOMPLETE',
      params: { requestId: 'use-1' },
    });
    expect(await consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'use-1', apply: () => 'ok' })).toMatchObject({
      status: 'consumed',
      resumed: true,
    });
    const actions: string[] = [];
    for await (const e of inner.read()) if (e.subject.bordereauId === target.bordereauId) actions.push(e.action);
    expect(actions).toEqual(['signature.consumed', 'signature.applied']);
    await log.close();
  });

  it.each(['memory', 'file'] as const)(
    'a request retried while its first try still applies: both finish the use, signature.applied is traced once (%s store)',
    async (kind) => {
      const dir = mkdtempSync(join(tmpdir(), 's3404-trace-once-'));
      // The file store: one per instance, on one file, as two processes have (each finds recent ids through its index).
      const store = async (): Promise<AuditStore> => (kind === 'memory' ? memory : FileAuditStore.open({ path: join(dir, 'trace.jsonl'), sync: 'none' }));
      const memory = new MemoryAuditStore();
      const { pki, sealed, target } = await sealedInsured({ contentHash: 'ce'.repeat(32), patient: 'patient-3', terminalId: 'tablette-3' });
      const uses = new MemoryConsumptionStore();
      // Two instances behind a load balancer, each with its own audit log on the one trace store (a key holder shared
      // as the use store is: a record deposited on one instance is read on the other).
      const keyHolder = new MemoryKeyHolder();
      const instance = async (): Promise<Consumer> =>
        createConsumer({ store: uses, keyHolder, trustAnchors: [pki.ca.certificate], trace: auditTraceSink(createAuditLog({ store: await store() })) });
      const first = await instance();
      const retry = await instance();
      await first.deposit(sealed);
      // The first try is slow to draw: the client times out and the same request reaches the other instance, which
      // resumes the claimed use and finishes it while the first try is still drawing.
      let retried: Promise<unknown> | undefined;
      const slow = async (): Promise<string> => {
        retried = retry.consume({ recordId: sealed.recordId }, { target, requestId: 'use-3', apply: () => 'drawn by the retry' });
        await retried;
        return 'drawn by the first try';
      };
      const original = first.consume({ recordId: sealed.recordId }, { target, requestId: 'use-3', apply: slow });
      expect(await original).toMatchObject({ status: 'consumed', resumed: false });
      expect(await retried).toMatchObject({ status: 'consumed', resumed: true });
      const audit = await store();
      const traced: { action: string; id: string }[] = [];
      for await (const e of audit.read()) if (e.subject.recordId === sealed.recordId) traced.push({ action: e.action, id: e.id });
      expect(traced.map((e) => e.action)).toEqual(['signature.consumed', 'signature.applied']);
      expect(new Set(traced.map((e) => e.id)).size).toBe(2);
      expect((await verifyLog(audit.lines())).ok).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    },
  );
});

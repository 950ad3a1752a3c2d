import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditTraceSink, createAuditLog, verifyLog, type AuditStore } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createBordereauId } from '@s3404/core';
import { createLotManager, type PackedLot } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import { createCapture, createConsumer, createRoleAuthorizer, createSealer, MemoryContextRegistry } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { png } from './png.js';

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
    const bytes = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, 9, 2, 3]);
    const packed = {
      lotId: '750300360-043-once',
      finess: '750300360',
      b2LotNumber: '043',
      manifest: { totals: { invoices: 1, files: 1 } },
      manifestSha256: 'b'.repeat(64),
      container: { codec: 's3404-zip/1', fileName: 'LOT.zip', mediaType: 'application/zip', bytes, sha256: createHash('sha256').update(bytes).digest('hex') },
    } as unknown as PackedLot;
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

  it('the audit append of signature.consumed wrote but could not say so: the use is incomplete, the same request finishes it, each event traced once', async () => {
    const { store, inner, lose } = lossyStore();
    const log = createAuditLog({ store });
    const pki = await createDevelopmentPki();
    const sealer = await createSealer({
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      contexts: new MemoryContextRegistry(),
      authorizer: createRoleAuthorizer({ staff: [] }),
    });
    const target = { bordereauId: createBordereauId(), contentHash: 'cd'.repeat(32) };
    const ctx = await sealer.openContext({
      scope: { kind: 'bordereau', ...target },
      role: 'insured',
      signer: { id: 'patient-2', name: 'Jeanne Martin' },
      terminalId: 'tablette-2',
    });
    const sealed = await sealer.seal(createCapture(ctx, { image: png(300, 100), capturedAt: new Date() }));
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
});

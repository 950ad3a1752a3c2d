import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditTraceSink, createAuditLog } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createLotManager, type PackedLot } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import type { AuditLog } from '@s3404/audit';
import { createConsumer } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { packedLot, sealedInsured } from './wired.js';

/**
 * The lot lifecycle traced into the audit log, as `s3404` wires them (SCOR-3, AUD-1, issue 19): a transport whose
 * error is several lines long (an HTTP client quoting the frontal's page) made the trace append fail
 * (ERR_AUDIT_EVENT_INVALID: control characters), so `register` threw and the failed attempt was never recorded:
 * the lot stayed `sent` without a transmission.
 */
async function eventsOf(log: AuditLog, lotId: string) {
  const out = [];
  for await (const e of log.read()) if (e.subject.lotId === lotId) out.push(e);
  return out;
}

describe('outside text through the wired lifecycle and trace', () => {
  it('a multi-line transport error: the attempt is recorded as failed, traced, and the log verifies', async () => {
    const log = createAuditLog({ store: new MemoryAuditStore() });
    const now = (): Date => new Date('2026-03-02T09:00:00.000Z');
    // A lot as packLot gives it, its container standing for a zip (the lifecycle checks only its length and SHA-256).
    const bytes = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, 1, 2, 3]);
    const packed = {
      lotId: '750300360-042-wiring',
      finess: '750300360',
      b2LotNumber: '042',
      manifest: { totals: { invoices: 1, files: 1 } },
      manifestSha256: 'b'.repeat(64),
      container: { codec: 's3404-zip/1', fileName: 'LOT.zip', mediaType: 'application/zip', bytes, sha256: createHash('sha256').update(bytes).digest('hex') },
    } as unknown as PackedLot;
    const lots = createLotManager({
      store: new MemoryLotStore(),
      transport: { id: 'remote', send: () => Promise.reject(new Error('HTTP 503\r\n<html>\u001b[31mdown</html>')) },
      now,
      trace: auditTraceSink(log),
    });
    const b2Arl = { kind: 'b2' as const, finess: packed.finess, b2LotNumber: packed.b2LotNumber, positive: true, receivedAt: now().toISOString() };
    await expect(lots.register(packed, { b2Arl })).resolves.toMatchObject({ state: 'retrying', attempts: 1 });
    const failures = [];
    for await (const e of log.read()) if (e.action === 'lot.sent') failures.push(e);
    expect(failures).toMatchObject([{ outcome: 'failure', code: 'ERR_LOT_TRANSPORT_FAILED' }]);
    expect(failures[0]!.reason).toContain('HTTP 503\uFFFD\uFFFD<html>\uFFFD[31mdown</html>');
    expect((await log.verify()).ok).toBe(true);
  });

  it('an ARL whose own code is no error code (`05`, `rejet PJ`): recorded, traced with that code in the reason, the log verifies', async () => {
    const log = createAuditLog({ store: new MemoryAuditStore() });
    const clock = { now: new Date('2026-03-02T09:00:00.000Z') };
    const lots = createLotManager({
      store: new MemoryLotStore(),
      transport: { id: 'remote', send: async () => ({ reference: 'T-1' }) },
      now: () => clock.now,
      trace: auditTraceSink(log),
    });
    for (const [n, code] of [
      [1, '05'],
      [2, 'rejet PJ'],
    ] as const) {
      const packed = packedLot(n);
      const base = { finess: packed.finess, b2LotNumber: packed.b2LotNumber, receivedAt: clock.now.toISOString() };
      // A B2 ARL refusing the lot, with the frontal's own code.
      await expect(lots.register(packed, { b2Arl: { kind: 'b2', ...base, positive: false, code, reason: 'B2 rejeté' } })).resolves.toMatchObject({
        state: 'b2-rejected',
        b2Arl: { code },
      });
      // Then a positive one: the lot is sent, and an ARL PJ refuses it with such a code too.
      await lots.recordArl({ kind: 'b2', ...base, positive: true });
      expect((await lots.get(packed.lotId)).state).toBe('sent');
      await expect(lots.recordArl({ kind: 'pj', ...base, lotId: packed.lotId, positive: false, code, reason: 'PDF illisible' })).resolves.toMatchObject([
        { state: 'retrying', pjArl: { code } },
      ]);
      // Nothing left undelivered: every event is in the log, the ARL's code in the reason.
      expect((await lots.get(packed.lotId)).untraced).toBeUndefined();
      const refused = (await eventsOf(log, packed.lotId)).filter((e) => e.outcome === 'refused');
      expect(refused.map((e) => [e.action, e.code])).toEqual([
        ['lot.arl-received', undefined],
        ['lot.arl-received', undefined],
      ]);
      for (const e of refused) expect(e.reason).toContain(`« ${code} »`);
    }
    // A code shaped as one is kept as the event's code.
    const packed = packedLot(3);
    const base = { finess: packed.finess, b2LotNumber: packed.b2LotNumber, receivedAt: clock.now.toISOString() };
    await lots.register(packed, { b2Arl: { kind: 'b2', ...base, positive: false, code: 'R12' } });
    expect((await eventsOf(log, packed.lotId)).filter((e) => e.outcome === 'refused').map((e) => e.code)).toEqual(['R12']);
    expect((await log.verify()).ok).toBe(true);
  });

  it('an event the log refuses for good holds its own lot only: the tick delivers every other lot’s events', async () => {
    const log = createAuditLog({ store: new MemoryAuditStore() });
    const clock = { now: new Date('2026-03-02T09:00:00.000Z') };
    const store = new MemoryLotStore();
    const lots = createLotManager({
      store,
      transport: { id: 'remote', send: async () => ({ reference: 'T-1' }) },
      now: () => clock.now,
      trace: auditTraceSink(log),
    });
    const ids: string[] = [];
    for (const n of [4, 5, 6]) {
      const packed = packedLot(n);
      await lots.register(packed);
      ids.push(packed.lotId);
    }
    // Each lot left with an undelivered event (as a sink down at the time leaves them); the first one's was
    // edited by hand into one the log refuses (a role outside its catalogue).
    for (const [i, lotId] of ids.entries()) {
      const r = await lots.get(lotId);
      const pending = {
        key: `${r.version}.0`,
        action: 'lot.sent' as const,
        outcome: 'failure' as const,
        at: clock.now.toISOString(),
        actor: { personId: 'service', role: i === 0 ? 'robot' : 'service', terminalId: 's3404-scor' },
        code: 'ERR_LOT_TRANSPORT_FAILED',
      };
      expect(await store.update({ ...r, version: r.version + 1, untraced: [pending] })).toBe(true);
    }
    clock.now = new Date(clock.now.getTime() + 120_000);
    const report = await lots.tick();
    expect(report.errors).toEqual([{ lotId: ids[0], code: 'ERR_AUDIT_EVENT_INVALID' }]);
    expect(report.traced).toEqual(ids.slice(1));
    for (const lotId of ids.slice(1)) expect((await lots.get(lotId)).untraced).toBeUndefined();
    // The refused event stays with its lot, named at every tick, never dropped.
    expect((await lots.get(ids[0]!)).untraced).toHaveLength(1);
    expect((await lots.tick()).errors).toEqual([{ lotId: ids[0], code: 'ERR_AUDIT_EVENT_INVALID' }]);
    expect((await log.verify()).ok).toBe(true);
  });

  it('a vendor check refusing with a code of its own shape: the caller gets that error, and the refusal is traced with it in the reason', async () => {
    const log = createAuditLog({ store: new MemoryAuditStore() });
    const { pki, sealed, target } = await sealedInsured({ contentHash: 'ab'.repeat(32), patient: 'patient-1', terminalId: 'tablette-1' });
    const consumer = createConsumer({ store: new MemoryConsumptionStore(), trustAnchors: [pki.ca.certificate], trace: auditTraceSink(log) });
    await consumer.deposit(sealed);
    // A coded error as a vendor writes one: `ERR_` and its own words.
    const vendor = Object.assign(new Error('Tarif hors convention'), { code: 'ERR_tarif-hors-convention', kind: 'verdict' as const });
    await expect(consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'r-1', check: () => Promise.reject(vendor) })).rejects.toBe(vendor);
    const refused = [];
    for await (const e of log.read()) if (e.action === 'signature.refused') refused.push(e);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.code).toBeUndefined();
    expect(refused[0]!.reason).toContain('ERR_tarif-hors-convention');
    // A code of the SDK's shape stays the event's code.
    const own = Object.assign(new Error('Tarif'), { code: 'ERR_TARIF_HORS_CONVENTION', kind: 'verdict' as const });
    await expect(consumer.consume({ recordId: sealed.recordId }, { target, requestId: 'r-2', check: () => Promise.reject(own) })).rejects.toBe(own);
    const codes = [];
    for await (const e of log.read()) if (e.action === 'signature.refused') codes.push(e.code);
    expect(codes).toEqual([undefined, 'ERR_TARIF_HORS_CONVENTION']);
    expect((await log.verify()).ok).toBe(true);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditTraceSink, createAuditLog } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createLotManager, type PackedLot } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';

/**
 * The lot lifecycle traced into the audit log, as `s3404` wires them (SCOR-3, AUD-1, issue 19): a transport whose
 * error is several lines long (an HTTP client quoting the frontal's page) made the trace append fail
 * (ERR_AUDIT_EVENT_INVALID: control characters), so `register` threw and the failed attempt was never recorded:
 * the lot stayed `sent` without a transmission.
 */
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
});

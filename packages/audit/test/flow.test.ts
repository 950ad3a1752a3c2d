import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBordereauId } from '@s3404/core';
import { createCapture, createConsumer, createRoleAuthorizer, createSealer, MemoryContextRegistry } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { createLotManager, type PackedLot, type Transport } from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
import { auditTraceSink, fromTraceEvent, type AuditEvent } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { at, memoryLog, pki, seededRandom, signer, verifier } from './helpers.js';

/** The content hash the test bordereau is signed for (SIG-4): 64 lowercase hex digits. */
const CONTENT_HASH = '5e'.repeat(32);

/** A small valid grey PNG. */
function png(width = 64, height = 32): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0;
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

describe('the signing flow traces itself (AUD-1)', () => {
  it('context shown, sealed, consumed, replay refused, denial: each a chained event with its author, subject and outcome', async () => {
    const p = await pki();
    const store = new MemoryAuditStore();
    let now = at(0);
    const log = memoryLog({ store, signer: await signer(), now: () => now });
    const trace = auditTraceSink(log);
    const sealer = await createSealer({
      key: p.seal.privateKey,
      certificate: p.seal.certificate,
      contexts: new MemoryContextRegistry({ now: () => now }),
      authorizer: createRoleAuthorizer({ staff: [{ id: 'dir-1', roles: ['director'] }] }),
      trace,
      now: () => now,
      random: seededRandom(4),
    });
    const consumer = createConsumer({ store: new MemoryConsumptionStore(), trustAnchors: [p.ca.certificate], trace, now: () => now });
    const bordereauId = createBordereauId({ random: seededRandom(9) });
    const ctx = await sealer.openContext({
      scope: { kind: 'bordereau', bordereauId, contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'patient-77', name: 'Jeanne Martin' },
      terminalId: 'tablette-3',
    });
    now = at(5);
    const sealed = await sealer.seal(createCapture(ctx, { image: png(), capturedAt: at(4) }));
    await consumer.consume({ bytes: sealed.bytes }, { target: { bordereauId, contentHash: CONTENT_HASH }, requestId: 'req-1' });
    await expect(consumer.consume({ bytes: sealed.bytes }, { target: { bordereauId, contentHash: CONTENT_HASH }, requestId: 'req-2' })).rejects.toMatchObject({
      code: 'ERR_RECORD_REPLAYED',
    });
    await expect(
      sealer.openContext({
        scope: { kind: 'bordereau', bordereauId, contentHash: CONTENT_HASH },
        role: 'director',
        signer: { id: 'intrus', name: 'X' },
        terminalId: 'tablette-9',
      }),
    ).rejects.toMatchObject({ code: 'ERR_AUTH_DENIED' });
    const events = [];
    for await (const e of log.read()) events.push(e);
    expect(events.map((e) => [e.action, e.outcome, e.code ?? null])).toEqual([
      ['signature.context-shown', 'success', null],
      ['signature.sealed', 'success', null],
      ['signature.consumed', 'success', null],
      ['signature.refused', 'refused', 'ERR_RECORD_REPLAYED'],
      ['authorization.denied', 'refused', 'ERR_AUTH_DENIED'],
    ]);
    expect(events[1]).toMatchObject({
      actor: { personId: 'patient-77', role: 'insured', terminalId: 'tablette-3' },
      subject: { bordereauId, recordId: sealed.recordId },
    });
    expect(events[4]!.actor).toMatchObject({ personId: 'intrus', terminalId: 'tablette-9' });
    // No image, strokes, name or health data in the trace.
    const text = JSON.stringify(events);
    expect(text).not.toContain('Jeanne');
    expect(text).not.toContain('iVBOR');
    await log.checkpoint();
    expect(await log.verify({ verifier: await verifier() })).toMatchObject({ ok: true, events: 6, signatures: { status: 'valid' } });
  });

  it('maps every seal action onto the closed catalogue', () => {
    for (const action of [
      'signature.context-shown',
      'signature.sealed',
      'signature.refused',
      'signature.consumed',
      'signature.applied',
      'signature.expired',
      'authorization.denied',
    ] as const) {
      const d = fromTraceEvent({
        action,
        at: at(1).toISOString(),
        actor: { personId: 'service', role: 'service', terminalId: 's3404' },
        subject: { day: '2026-03-20', finess: '750300360' },
        outcome: 'success',
        count: 3,
      });
      expect(d).toMatchObject({ action, subject: { day: '2026-03-20', finess: '750300360' }, count: 3 });
    }
  });

  it('traces every transition of a SCOR lot into the chained log (AUD-1, SCOR-3)', async () => {
    let now = at(0);
    const log = memoryLog({ store: new MemoryAuditStore(), now: () => now });
    let fail = true;
    const transport: Transport = {
      id: 't',
      send: async () => {
        if (fail) throw new Error('frontal indisponible');
        return { reference: 'm1' };
      },
    };
    const lots = createLotManager({ store: new MemoryLotStore(), transport, trace: auditTraceSink(log), now: () => now });
    const lot = {
      lotId: '750300360-042-abcdef012345',
      finess: '750300360',
      b2LotNumber: '042',
      createdAt: at(0).toISOString(),
      manifest: { totals: { invoices: 2, files: 4, bytes: 10 } },
      manifestBytes: new Uint8Array(1),
      manifestSha256: 'a'.repeat(64),
      signature: undefined,
      container: {
        codec: 's3404-zip/1',
        fileName: 'x.zip',
        mediaType: 'application/zip',
        bytes: new Uint8Array([1, 2, 3]),
        sha256: '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81',
      }, // the true SHA-256 of its bytes: the lot manager checks it before sending
      warnings: [],
    } as unknown as PackedLot;
    await lots.register(lot, { b2Arl: { kind: 'b2', finess: '750300360', b2LotNumber: '042', positive: true, receivedAt: at(0).toISOString() } });
    now = at(3 * 3600);
    fail = false;
    await lots.tick();
    await lots.recordArl({ kind: 'pj', finess: '750300360', b2LotNumber: '042', positive: true, receivedAt: now.toISOString() });
    const events: AuditEvent[] = [];
    for await (const e of log.read()) events.push(e);
    expect(events.map((e) => [e.action, e.outcome, e.code ?? '', e.reason ?? ''])).toEqual([
      ['lot.built', 'success', '', '∅ → built'],
      ['lot.built', 'success', '', 'built → awaiting-b2-arl'],
      ['lot.arl-received', 'success', '', 'awaiting-b2-arl → ready'],
      ['lot.sent', 'failure', 'ERR_LOT_TRANSPORT_FAILED', 'ready → sent, tentative 1 : frontal indisponible'],
      ['lot.retried', 'success', '', 'sent → retrying'],
      ['lot.sent', 'success', '', 'retrying → sent, tentative 2 (m1)'],
      ['lot.arl-received', 'success', '', 'sent → arl-positive'],
    ]);
    for (const e of events)
      expect(e).toMatchObject({
        actor: { personId: 'service', role: 'service', terminalId: 's3404-scor' },
        subject: { finess: '750300360', lotId: lot.lotId },
      });
    expect((await log.verify()).ok).toBe(true);
    expect(
      fromTraceEvent({
        action: 'lot.purged',
        at: 'not a date',
        actor: { personId: 'u', role: 'staff', terminalId: 't' },
        subject: { finess: '750300360', lotId: 'L' },
        outcome: 'refused',
        code: 'ERR_LOT_RETENTION',
      }),
    ).toEqual({
      action: 'lot.purged',
      actor: { personId: 'u', role: 'staff', terminalId: 't' },
      subject: { finess: '750300360', lotId: 'L' },
      outcome: 'refused',
      code: 'ERR_LOT_RETENTION',
    });
  });
});

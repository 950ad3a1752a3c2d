import { describe, expect, it } from 'vitest';
import type { ContentSigner, ContentVerifier, SignContentOptions, TraceEvent } from '@s3404/core';
import { auditTraceSink, createAuditLog, exportEvents, fromTraceEvent, parsePeriod, verifyExport, verifyLog, type AuditEvent } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { at, collect, draft, memoryLog, T0 } from './helpers.js';

/** A ContentSigner that records what it was asked to sign. */
function recordingSigner(): ContentSigner & { calls: { content: string; options: SignContentOptions | undefined }[] } {
  const calls: { content: string; options: SignContentOptions | undefined }[] = [];
  return {
    subject: 'CN=Test seal',
    calls,
    async sign(content, options) {
      calls.push({ content: new TextDecoder().decode(content), options });
      return new TextEncoder().encode(`sig:${calls.length}`);
    },
  };
}

/** A ContentVerifier that accepts the recording signer's signatures, and records what it checked. */
function recordingVerifier(accept: boolean): ContentVerifier & { checked: string[] } {
  const checked: string[] = [];
  return {
    checked,
    async verify(content, signature) {
      checked.push(`${new TextDecoder().decode(signature)} over ${new TextDecoder().decode(content).split('\n')[0]}`);
      return accept
        ? { status: 'valid', signer: 'CN=Test seal', signedAt: T0.toISOString() }
        : { status: 'invalid', code: 'ERR_TEST_SIGNATURE', message: 'Bad signature.' };
    },
  };
}

describe('signing through core’s ContentSigner and ContentVerifier (AUD-2, AUD-4)', () => {
  it('asks for a detached signature of each checkpoint body and reports the checks as a SignatureCheck', async () => {
    const signer = recordingSigner();
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, signer });
    for (let i = 0; i < 3; i++) await log.append(draft(i));
    const cp = (await log.checkpoint())!;
    expect(signer.calls).toEqual([{ content: cp.checkpoint!.body, options: { detached: true } }]);
    expect(Buffer.from(cp.checkpoint!.signature, 'base64').toString()).toBe('sig:1');

    const good = recordingVerifier(true);
    const ok = await log.verify({ verifier: good });
    expect(ok).toMatchObject({
      ok: true,
      issues: [],
      signatures: { status: 'valid', signer: 'CN=Test seal', signedAt: T0.toISOString() },
      signers: ['CN=Test seal'],
    });
    expect(good.checked).toEqual(['sig:1 over s3404-audit-checkpoint/1']);

    const bad = await verifyLog(await collect(store.lines()), { verifier: recordingVerifier(false), locale: 'en' });
    expect(bad).toMatchObject({
      ok: false,
      signatures: { status: 'invalid', code: 'ERR_TEST_SIGNATURE', message: 'Bad signature.' },
      damage: { kind: 'modified', seq: 4, line: 4, code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE' },
    });
    expect(bad.issues).toEqual([
      { code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE', path: [3], message: 'Invalid checkpoint signature (sequence 4): ERR_TEST_SIGNATURE.' },
    ]);
    expect((await verifyLog(await collect(store.lines()))).signatures).toEqual({ status: 'unchecked' });
  });

  it('signs an export manifest detached and reports its signature: valid, invalid, unchecked or none', async () => {
    const signer = recordingSigner();
    const log = memoryLog({ now: () => at(60) });
    for (let i = 0; i < 3; i++) await log.append(draft(i));
    const out = await exportEvents(log.read(), { format: 'jsonl', ...parsePeriod('2026-03-20', '2026-03-20'), signer, now: () => at(120), exportId: 'exp-1' });
    expect(signer.calls).toEqual([{ content: new TextDecoder().decode(out.manifestBytes), options: { detached: true } }]);
    const files = { [out.fileName]: out.data };
    const valid = await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files, verifier: recordingVerifier(true) });
    expect(valid).toMatchObject({ ok: true, issues: [], signature: { status: 'valid', signer: 'CN=Test seal', signedAt: T0.toISOString() } });
    const invalid = await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files, verifier: recordingVerifier(false) });
    expect(invalid).toMatchObject({ ok: false, signature: { status: 'invalid', code: 'ERR_TEST_SIGNATURE' } });
    expect(invalid.issues).toEqual([{ code: 'ERR_TEST_SIGNATURE', path: ['signature'], message: 'Bad signature.' }]);
    expect((await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files })).signature).toEqual({ status: 'unchecked' });
    expect(await verifyExport({ manifestBytes: out.manifestBytes, files })).toMatchObject({ ok: true, signature: { status: 'none' } });
    // Issues point into the input: the manifest, a data file and its line.
    const damaged = out.data.slice();
    const at_ = damaged.indexOf(0x22 /* " */, 30) + 1;
    damaged[at_] = damaged[at_]! ^ 1;
    const report = await verifyExport({ manifestBytes: out.manifestBytes, files: { [out.fileName]: damaged }, locale: 'en' });
    expect(report.issues.map((i) => i.path)).toEqual([
      ['files', out.fileName],
      ['files', out.fileName, 0],
    ]);
    expect(report.issues[0]!.message).toBe(`The exported file does not match its manifest: ${out.fileName}: different SHA-256 digest.`);
    expect((await verifyExport({ manifestBytes: new TextEncoder().encode('{}'), files })).issues[0]).toMatchObject({
      code: 'ERR_AUDIT_MANIFEST_INVALID',
      path: ['manifestBytes'],
    });
  });
});

describe('core’s trace events (AUD-1, conventions §7)', () => {
  const event: TraceEvent = {
    action: 'lot.sent',
    at: '2026-03-20T10:00:00.000Z',
    actor: { personId: 'service', role: 'service', terminalId: 's3404-scor' },
    subject: { finess: '750300360', lotId: '750300360-042-abcdef012345', bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', day: '2026-03-20' },
    outcome: 'failure',
    code: 'ERR_LOT_TRANSPORT_FAILED',
    reason: 'x'.repeat(600),
    count: 2,
  };

  it('maps any event the same way: every subject key copied as it is, the time kept, the reason cut to 500', () => {
    expect(fromTraceEvent(event)).toEqual({
      action: 'lot.sent',
      actor: event.actor,
      subject: event.subject,
      outcome: 'failure',
      time: '2026-03-20T10:00:00.000Z',
      code: 'ERR_LOT_TRANSPORT_FAILED',
      reason: 'x'.repeat(500),
      count: 2,
    });
    expect(
      fromTraceEvent({ ...event, subject: { recordId: 'r-1', contextNonce: 'n-1', line: 2, lotId: undefined } as unknown as TraceEvent['subject'] }).subject,
    ).toEqual({ recordId: 'r-1', contextNonce: 'n-1', line: 2 });
  });

  it('writes a code not shaped as an error code (an ARL’s, a vendor’s) in the reason, so the log takes the event', () => {
    const { reason: _, ...withoutReason } = event;
    const odd = fromTraceEvent({ ...event, code: '05', reason: 'sent → arl-negative' });
    expect(odd.code).toBeUndefined();
    expect(odd.reason).toBe('sent → arl-negative code « 05 »');
    expect(fromTraceEvent({ ...withoutReason, code: 'ERR_tarif-hors-convention' }).reason).toBe('code « ERR_tarif-hors-convention »');
    expect(fromTraceEvent({ ...event, code: 'PJ05' }).code).toBe('PJ05');
  });

  it('auditTraceSink chains what it receives, and refuses what the closed catalogue does not hold', async () => {
    const log = memoryLog();
    const sink = auditTraceSink(log);
    await sink.record(event);
    await sink.record({ ...event, action: 'signature.sealed', subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', recordId: 'r-1' }, outcome: 'success' });
    await expect(sink.record({ ...event, action: 'lot.teleported' })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID', kind: 'input' });
    await expect(sink.record({ ...event, subject: { nir: '255081416802538' } as never })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
    await expect(sink.record({ ...event, actor: { ...event.actor, role: 'pirate' } })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
    const events: AuditEvent[] = [];
    for await (const e of log.read()) events.push(e);
    expect(events.map((e) => [e.seq, e.action, e.time])).toEqual([
      [1, 'lot.sent', '2026-03-20T10:00:00.000Z'],
      [2, 'signature.sealed', '2026-03-20T10:00:00.000Z'],
    ]);
    expect(events[0]!.subject).toEqual(event.subject);
    expect((await log.verify()).ok).toBe(true);
  });

  it("chains an event whose reason carries control characters (a transport's multi-line error), shown as U+FFFD: the action is not failed by its trace", async () => {
    const reason = 'frontal : HTTP 503\r\n<html>\u001b[31mindisponible\u0007</html>\u0085';
    expect(fromTraceEvent({ ...event, reason }).reason).toBe('frontal : HTTP 503\uFFFD\uFFFD<html>\uFFFD[31mindisponible\uFFFD</html>\uFFFD');
    const log = memoryLog();
    await auditTraceSink(log).record({ ...event, reason });
    const stored: AuditEvent[] = [];
    for await (const e of log.read()) stored.push(e);
    expect(stored[0]!.reason).toBe(fromTraceEvent({ ...event, reason }).reason);
    expect((await log.verify()).ok).toBe(true);
  });
});

describe('clocks (conventions §2)', () => {
  it('every now is a Clock: a Date, or a clock that gives no Date, is a TypeError', async () => {
    expect(() => createAuditLog({ store: new MemoryAuditStore(), now: T0 as never })).toThrow(TypeError);
    const broken = createAuditLog({ store: new MemoryAuditStore(), now: (() => 'today') as never });
    expect(() => broken.append(draft(0))).toThrow(TypeError);
    const period = parsePeriod('2026-03-20', '2026-03-20');
    await expect(exportEvents([], { format: 'csv', ...period, signer: recordingSigner(), now: T0 as never })).rejects.toThrow(TypeError);
    const out = await exportEvents([], { format: 'csv', ...period, signer: recordingSigner(), now: () => at(5), exportId: 'e' });
    expect(out.manifest.createdAt).toBe(at(5).toISOString());
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@s3404/core';
import { AuditEventSchema, verifyLog, AUDIT_ACTIONS, type AuditEvent } from '@s3404/audit';
import { AuditError } from '@s3404/audit/errors';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { clock, collect, draft, memoryLog, T0 } from './helpers.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

async function logOf(n: number) {
  const store = new MemoryAuditStore();
  const c = clock();
  const log = memoryLog({ store, now: c.now });
  for (let i = 0; i < n; i++) {
    c.advance(1);
    await log.append(draft(i));
  }
  return {
    log,
    store,
    lines: text(await collect(store.lines()))
      .split('\n')
      .slice(0, -1),
  };
}

const join = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');

describe('events and the hash chain (AUD-1, AUD-2)', () => {
  it('stores schema-valid events as canonical JSON (RFC 8785), ids UUIDv7 in order, each carrying the previous hash', async () => {
    const { lines } = await logOf(20);
    const events = lines.map((l) => AuditEventSchema.parse(JSON.parse(l)) as AuditEvent);
    events.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(lines[i]).toBe(canonicalJson(e));
      expect(e.prev).toBe(i === 0 ? '0'.repeat(64) : events[i - 1]!.hash);
      expect(e.id[14]).toBe('7');
    });
    expect([...events.map((e) => e.id)].sort()).toEqual(events.map((e) => e.id));
    // The hash is SHA-256(0x00 ‖ canonical JSON without `hash`), an RFC 9162 leaf hash.
    const { createHash } = await import('node:crypto');
    const { hash, ...rest } = events[3]!;
    expect(
      createHash('sha256')
        .update(Buffer.concat([Buffer.of(0), Buffer.from(canonicalJson(rest))]))
        .digest('hex'),
    ).toBe(hash);
  });

  it('verifies an intact log and reports its head', async () => {
    const { lines, log } = await logOf(50);
    const report = await verifyLog(join(lines));
    expect(report).toMatchObject({
      ok: true,
      events: 50,
      firstSeq: 1,
      lastSeq: 50,
      start: 'genesis',
      checkpoints: 0,
      signatures: { status: 'none' },
      unsealed: 50,
      damage: null,
      tornTail: null,
    });
    expect((await log.verify()).head).toBe(report.head);
  });

  it('names the first bad sequence and the kind: modified, deleted, inserted, reordered, truncated', async () => {
    const { lines } = await logOf(30);
    const damage = async (l: readonly string[] | string, expect_?: { seq: number; hash: string }) =>
      (await verifyLog(typeof l === 'string' ? l : join(l), expect_ === undefined ? {} : { expect: expect_ })).damage;
    // Modified in place (hash left as is).
    const edited = [...lines];
    edited[9] = edited[9]!.replace('"outcome":"success"', '"outcome":"refused"');
    expect(await damage(edited)).toMatchObject({ kind: 'modified', seq: 10, line: 10, code: 'ERR_AUDIT_HASH_MISMATCH' });
    // Modified with its hash recomputed: the successor's link names it.
    const forged = [...lines];
    const e = JSON.parse(forged[9]!) as AuditEvent;
    const { hash: _h, ...rest } = { ...e, outcome: 'refused' as const };
    const { createHash } = await import('node:crypto');
    const h = createHash('sha256')
      .update(Buffer.concat([Buffer.of(0), Buffer.from(canonicalJson(rest))]))
      .digest('hex');
    forged[9] = canonicalJson({ ...rest, hash: h });
    expect(await damage(forged)).toMatchObject({ kind: 'modified', seq: 10, line: 11, code: 'ERR_AUDIT_LINK_BROKEN' });
    // Deleted.
    expect(await damage([...lines.slice(0, 12), ...lines.slice(15)])).toMatchObject({ kind: 'deleted', seq: 13, code: 'ERR_AUDIT_SEQ_GAP' });
    expect(await damage(lines.slice(3))).toMatchObject({ kind: 'deleted', seq: 1, code: 'ERR_AUDIT_HEAD_MISSING' });
    // Inserted: a copied line, an old line replayed later.
    expect(await damage([...lines.slice(0, 8), lines[7]!, ...lines.slice(8)])).toMatchObject({ kind: 'inserted', seq: 8, line: 9 });
    expect(await damage([...lines.slice(0, 20), lines[4]!, ...lines.slice(20)])).toMatchObject({ kind: 'inserted', seq: 5, line: 21 });
    // Reordered.
    const swapped = [...lines];
    [swapped[16], swapped[17]] = [swapped[17]!, swapped[16]!];
    expect(await damage(swapped)).toMatchObject({ kind: 'reordered', seq: 17, code: 'ERR_AUDIT_SEQ_ORDER' });
    // Truncated: against a witnessed head, and a torn last line.
    const witness = { seq: 30, hash: (JSON.parse(lines[29]!) as AuditEvent).hash };
    expect(await damage(lines.slice(0, 25), witness)).toMatchObject({ kind: 'truncated', seq: 26, code: 'ERR_AUDIT_TRUNCATED' });
    expect(await damage(lines, witness)).toBeNull();
    const torn = join(lines) + lines[0]!.slice(0, 40);
    const report = await verifyLog(torn);
    expect(report.damage).toMatchObject({ kind: 'truncated', seq: 31, code: 'ERR_AUDIT_TORN_TAIL' });
    expect(report.tornTail).toEqual({ offset: Buffer.byteLength(join(lines)), bytes: 40 });
    expect(report.lastSeq).toBe(30);
  });

  it('refuses bad drafts with coded errors and never stores a NIR in clear', async () => {
    const log = memoryLog({ pseudonymKey: new Uint8Array(32).fill(7) });
    await expect(log.append({ ...draft(1), action: 'signature.stolen' as never })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
    await expect(log.append({ ...draft(1), actor: { personId: '', role: 'director', terminalId: 't' } })).rejects.toBeInstanceOf(AuditError);
    await expect(log.append({ ...draft(1), subject: { nir: '255081416802538' } as never })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
    const e = await log.append({
      ...draft(1),
      actor: { personId: '2 55 08 14 168 025 38', role: 'insured', terminalId: 'tab-1' },
      reason: 'NIR 1850575123456 présenté',
    });
    expect(e.actor.personId).toMatch(/^nir~[0-9a-f]{16}$/);
    expect(e.reason).toMatch(/^NIR nir~[0-9a-f]{16} présenté$/);
    const plain = memoryLog();
    expect((await plain.append({ ...draft(1), reason: 'assuré 255081416802538' })).reason).toBe('assuré nir~masque');
    expect(AUDIT_ACTIONS).toContain('lot.arl-received');
  });

  it('serialises concurrent appends into one chain (group commit) with no gap or duplicate', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, now: () => T0, maxBatch: 64 });
    const events = await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append(draft(i))));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect((await log.verify()).ok).toBe(true);
    await log.close();
    await expect(log.append(draft(1))).rejects.toMatchObject({ code: 'ERR_AUDIT_CLOSED' });
  });
});

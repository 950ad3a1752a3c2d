import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { canonicalJson } from '@s3404/core';
import { describe, expect, it } from 'vitest';
import { parseCheckpointBody, verifyLog, type AuditEvent } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { at, clock, collect, draft, memoryLog, opensslVerify, pki, signer, verifier, withDir, write } from './helpers.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const linesOf = async (store: MemoryAuditStore): Promise<string[]> =>
  text(await collect(store.lines()))
    .split('\n')
    .slice(0, -1);
/** The event with another checkpoint signature, its hash recomputed (what a forger can do). */
function resignLine(e: AuditEvent, signature: string): string {
  const { hash: _h, ...rest } = { ...e, checkpoint: { ...e.checkpoint!, signature } };
  return canonicalJson({
    ...rest,
    hash: createHash('sha256')
      .update(Buffer.concat([Buffer.of(0), Buffer.from(canonicalJson(rest))]))
      .digest('hex'),
  });
}
const join_ = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');

describe('signed checkpoints (AUD-2)', () => {
  it('seals a checkpoint before the first event of each new day and on demand, chained to the previous one', async () => {
    const store = new MemoryAuditStore();
    const c = clock(new Date('2026-03-20T08:00:00.000Z'));
    const log = memoryLog({ store, now: c.now, signer: await signer(), origin: 'finess:750300360' });
    for (let i = 0; i < 10; i++) {
      c.advance(60);
      await log.append(draft(i));
    }
    c.set(new Date('2026-03-21T07:30:00.000Z')); // 08:30 in Paris, next day
    for (let i = 10; i < 15; i++) {
      c.advance(60);
      await log.append(draft(i));
    }
    const onDemand = await log.checkpoint();
    expect(await log.checkpoint()).toBeNull();
    const events = (await linesOf(store)).map((l) => JSON.parse(l) as AuditEvent);
    const checkpoints = events.filter((e) => e.action === 'audit.checkpoint');
    expect(checkpoints.map((e) => e.seq)).toEqual([11, 17]);
    expect(onDemand?.seq).toBe(17);
    const first = parseCheckpointBody(checkpoints[0]!.checkpoint!.body)!;
    expect(first).toMatchObject({
      origin: 'finess:750300360',
      first: 1,
      last: 10,
      previous: 'none',
      head: events[9]!.hash,
      from: events[0]!.time,
      to: events[9]!.time,
    });
    const second = parseCheckpointBody(checkpoints[1]!.checkpoint!.body)!;
    expect(second).toMatchObject({ first: 11, last: 16 });
    expect(second.previous).toBe(createHash('sha256').update(checkpoints[0]!.checkpoint!.body).digest('hex'));
    const report = await log.verify({ verifier: await verifier() });
    expect(report).toMatchObject({ ok: true, checkpoints: 2, lastCheckpointSeq: 17, signatures: { status: 'valid' }, unsealed: 0 });
    expect(report.signers[0]).toContain('Cachet S3404');
    expect((await log.verify()).signatures).toEqual({ status: 'unchecked' });
  });

  it('openssl cms -verify accepts a checkpoint signature over its body', async () => {
    const log = memoryLog({ signer: await signer() });
    for (let i = 0; i < 3; i++) await log.append(draft(i));
    const cp = (await log.checkpoint())!;
    const p = await pki();
    await withDir((dir) => {
      write(dir, { 'ca.pem': p.files['ca.pem'], 'body.txt': cp.checkpoint!.body, 'sig.p7s': Buffer.from(cp.checkpoint!.signature, 'base64') });
      expect(opensslVerify(join(dir, 'sig.p7s'), join(dir, 'body.txt'), join(dir, 'ca.pem'))).toContain('Verification successful');
    });
  });

  it('detects a rewritten period, a forged root, a swapped signature and a checkpoint signed by another key', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, signer: await signer() });
    for (let i = 0; i < 8; i++) await log.append(draft(i));
    await log.checkpoint();
    for (let i = 8; i < 12; i++) await log.append(draft(i));
    await log.checkpoint();
    const lines = await linesOf(store);
    const v = await verifier();
    expect((await verifyLog(join_(lines), { verifier: v })).ok).toBe(true);
    // The whole first period rewritten consistently, and its checkpoint rebuilt over the forged
    // events (body, hashes), keeping the original signature: the signature check names it.
    const forgedStore = new MemoryAuditStore();
    const forger = memoryLog({ store: forgedStore, signer: { subject: 'CN=forger', sign: async () => new Uint8Array(8) } });
    for (let i = 0; i < 8; i++) await forger.append({ ...draft(i), outcome: 'refused' });
    await forger.checkpoint();
    const forged = await linesOf(forgedStore);
    const original = JSON.parse(lines[8]!) as AuditEvent;
    const withOriginalSignature = resignLine(JSON.parse(forged[8]!) as AuditEvent, original.checkpoint!.signature);
    const tampered = [...forged.slice(0, 8), withOriginalSignature];
    expect((await verifyLog(join_(tampered))).ok).toBe(true); // without a verifier, only the chain is checked
    expect((await verifyLog(join_(tampered), { verifier: v })).damage).toMatchObject({ kind: 'modified', seq: 9, code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE' });
    // A checkpoint body edited (root changed): its own hash breaks.
    const cpIndex = lines.findIndex((l) => l.includes('"audit.checkpoint"'));
    const edited = [...lines];
    edited[cpIndex] = edited[cpIndex]!.replace(/root [A-Za-z0-9+/]{43}=/, `root ${'A'.repeat(43)}=`);
    expect((await verifyLog(join_(edited), { verifier: v })).damage).toMatchObject({ kind: 'modified', seq: 9 });
    // Signature of the second checkpoint put on the first: the signature check names the first.
    const events = lines.map((l) => JSON.parse(l) as AuditEvent);
    const cps = events.filter((e) => e.action === 'audit.checkpoint');
    const resign = resignLine;
    const swapped = [...lines];
    swapped[cpIndex] = resign(cps[0]!, cps[1]!.checkpoint!.signature);
    // The chain breaks at the successor of the re-hashed checkpoint (seq 9 reported), or the signature at 9.
    expect((await verifyLog(join_(swapped), { verifier: v })).damage).toMatchObject({ kind: 'modified', seq: 9 });
    expect((await verifyLog(join_(swapped.slice(0, cpIndex + 1)), { verifier: v })).damage).toMatchObject({
      kind: 'modified',
      seq: 9,
      code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE',
    });
    // Signed by a key the verifier does not trust.
    const { createDevelopmentPki } = await import('@s3404/seal/pki');
    const { createContentSigner } = await import('@s3404/seal');
    const other = await createDevelopmentPki({ now: () => at(0), validityDays: 3650 });
    const foreign = memoryLog({
      store: new MemoryAuditStore(),
      signer: await createContentSigner({ key: other.seal.privateKey, certificate: other.seal.certificate, now: () => at(0) }),
    });
    await foreign.append(draft(0));
    await foreign.checkpoint();
    expect((await foreign.verify({ verifier: v })).damage).toMatchObject({ kind: 'modified', seq: 2, code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE' });
  });

  it('refuses an on-demand checkpoint without a signer', async () => {
    await expect(memoryLog().checkpoint()).rejects.toMatchObject({ code: 'ERR_AUDIT_NO_SIGNER' });
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyLog, type AuditLog } from '@s3404/audit';
import { FileAuditStore, verifyLogFile } from '@s3404/audit/file';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { nodeSha256 } from '@s3404/core/node';
import { clock, collect, draft, memoryLog, sealPurgeEvidence, signer, T0, verifier, withDir } from './helpers.js';

const SERVICE = { personId: 'service', role: 'service', terminalId: 's3404' } as const;
const linesOf = (text: string): string[] => text.split('\n').slice(0, -1);
const join_ = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');

/** Ten events, a checkpoint (11), five events, a checkpoint (17), three events: ten minutes of history. */
async function history(log: AuditLog, c: ReturnType<typeof clock>): Promise<void> {
  for (let i = 0; i < 10; i++) {
    c.advance(30);
    await log.append(draft(i));
  }
  await log.checkpoint();
  for (let i = 10; i < 15; i++) {
    c.advance(30);
    await log.append(draft(i));
  }
  await log.checkpoint();
  for (let i = 15; i < 18; i++) {
    c.advance(30);
    await log.append(draft(i));
  }
}

describe('the start of a trace (AUD-2, AUD-3)', () => {
  it('cutting every event before a checkpoint is damage — truncated-head — even with a verifier and the witness', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const c = clock();
      const log = memoryLog({ store: await FileAuditStore.open({ path }), signer: await signer(), now: c.now, sha256: nodeSha256 });
      await history(log, c);
      await log.close();
      const lines = linesOf(readFileSync(path, 'utf8'));
      for (const from of [10, 16]) {
        writeFileSync(path, join_(lines.slice(from)));
        const report = await verifyLogFile(path, { verifier: await verifier(), locale: 'en' });
        expect(report, `cut before ${from + 1}`).toMatchObject({
          ok: false,
          start: 'checkpoint',
          firstSeq: from + 1,
          lastSeq: 20,
          purge: null,
          witness: { seq: 17 },
          signatures: { status: 'valid' },
          damage: { kind: 'truncated-head', seq: 1, line: 1, code: 'ERR_AUDIT_HEAD_TRUNCATED' },
        });
        expect(report.issues).toEqual([{ code: 'ERR_AUDIT_HEAD_TRUNCATED', path: [0], message: report.damage!.message }]);
        expect(report.damage!.message).toBe(
          `Start of the trace cut off: the trace starts at sequence ${from + 1} with no traced and sealed retention purge naming the events removed, all older than the retention.`,
        );
      }
    });
  });

  it('a purge explains the start only when traced, sealed, naming the range removed, older than a retention of 12 months or more', async () => {
    const sign = await signer();
    /** A trace of `history`, then a purge event of `reason`/`range` at `when`, sealed or not, without its first ten lines. */
    const purged = async (o: { reason?: string; firstSeq?: number; lastSeq?: number; when?: Date; seal?: boolean }): Promise<string> => {
      const store = new MemoryAuditStore();
      const k = clock();
      const log = memoryLog({ store, signer: sign, now: k.now });
      await history(log, k);
      k.set(o.when ?? new Date(T0.getTime() + 25 * 31 * 86400_000));
      const limit = new Date(T0.getTime() + 3600_000).toISOString();
      await log.append({
        action: 'audit.retention-purge',
        actor: SERVICE,
        subject: { firstSeq: o.firstSeq ?? 1, lastSeq: o.lastSeq ?? 10 },
        outcome: 'success',
        count: 10,
        reason: o.reason ?? `avant ${limit} (conservation 24 mois)`,
      });
      if (o.seal !== false) await log.checkpoint();
      return join_(linesOf(new TextDecoder().decode(await collect(store.lines()))).slice(10));
    };
    const verdict = async (text: string) => {
      const r = await verifyLog(text, { verifier: await verifier(new Date(T0.getTime() + 26 * 31 * 86400_000)) });
      return r.ok ? 'ok' : r.damage!.kind;
    };
    expect(await verdict(await purged({}))).toBe('ok');
    const ok = await verifyLog(await purged({}));
    expect(ok.purge).toMatchObject({ firstSeq: 1, lastSeq: 10, retentionMonths: 24, before: new Date(T0.getTime() + 3600_000).toISOString() });
    // Not sealed by a later checkpoint.
    expect(await verdict(await purged({ seal: false }))).toBe('truncated-head');
    // Naming another range.
    expect(await verdict(await purged({ lastSeq: 9 }))).toBe('truncated-head');
    expect(await verdict(await purged({ lastSeq: 16 }))).toBe('truncated-head');
    // A retention under 12 months, a limit not before the removed events, a purge within the retention.
    expect(await verdict(await purged({ reason: `avant ${new Date(T0.getTime() + 3600_000).toISOString()} (conservation 6 mois)` }))).toBe('truncated-head');
    expect(await verdict(await purged({ reason: `avant ${T0.toISOString()} (conservation 24 mois)` }))).toBe('truncated-head');
    expect(await verdict(await purged({ when: new Date(T0.getTime() + 12 * 31 * 86400_000) }))).toBe('truncated-head');
    // Free text.
    expect(await verdict(await purged({ reason: 'purge manuelle' }))).toBe('truncated-head');
  });

  it('log.purge seals its evidence before deleting: a trace purged by it verifies, and so does one purged by an earlier version', async () => {
    const store = new MemoryAuditStore();
    const c = clock();
    const log = memoryLog({ store, signer: await signer(), now: c.now });
    await history(log, c);
    // Nothing deleted without a signer to seal the evidence.
    c.set(new Date(T0.getTime() + 25 * 31 * 86400_000));
    const unsigned = memoryLog({ store, now: c.now });
    await expect(unsigned.purge({ before: new Date(T0.getTime() + 3600_000) })).rejects.toMatchObject({ code: 'ERR_AUDIT_NO_SIGNER' });
    expect((await log.verify()).firstSeq).toBe(1);
    const result = await log.purge({ before: new Date(T0.getTime() + 3600_000) });
    expect(result).toMatchObject({ purged: 16, throughSeq: 16 });
    const after = await log.verify({ verifier: await verifier(c.now()) });
    expect(after).toMatchObject({ ok: true, start: 'checkpoint', firstSeq: 17, purge: { seq: result.event.seq, firstSeq: 1, lastSeq: 16 } });
    expect(after.purge!.sealedBy).toBeGreaterThan(result.event.seq);

    // An earlier version deleted first, then traced the purge; its next checkpoint sealed it.
    const old = new MemoryAuditStore();
    const k = clock();
    const oldLog = memoryLog({ store: old, signer: await signer(), now: k.now });
    await history(oldLog, k);
    expect(await old.purge(10)).toBe(10);
    k.set(new Date(T0.getTime() + 25 * 31 * 86400_000));
    await sealPurgeEvidence(oldLog, k, { firstSeq: 1, lastSeq: 10, lastTime: new Date(T0.getTime() + 300_000) });
    expect(await oldLog.verify()).toMatchObject({ ok: true, start: 'checkpoint', firstSeq: 11, purge: { firstSeq: 1, lastSeq: 10 } });
  });

  it('a trace that starts at genesis verifies as before, purge events or not', async () => {
    const c = clock();
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, signer: await signer(), now: c.now });
    await history(log, c);
    c.set(new Date(T0.getTime() + 25 * 31 * 86400_000));
    // A purge that was sealed but whose deletion never happened (a crash in between): nothing is missing.
    await sealPurgeEvidence(log, c, { firstSeq: 1, lastSeq: 10, lastTime: new Date(T0.getTime() + 300_000) });
    expect(await log.verify()).toMatchObject({ ok: true, start: 'genesis', firstSeq: 1, purge: null });
  });
});

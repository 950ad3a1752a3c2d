import { describe, expect, it } from 'vitest';
import { resolveRetentionMonths, createAuditLog, retentionCutoff, DEFAULT_RETENTION_MONTHS } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { clock, draft, memoryLog, signer, verifier, seededRandom } from './helpers.js';

describe('retention (AUD-3)', () => {
  it('defaults to 24 months and refuses less than 12', () => {
    expect(DEFAULT_RETENTION_MONTHS).toBe(24);
    expect(memoryLog().retentionMonths).toBe(24);
    expect(memoryLog({ retentionMonths: 12 }).retentionMonths).toBe(12);
    for (const months of [11, 0, -24, 12.5, Number.NaN]) {
      expect(() => createAuditLog({ store: new MemoryAuditStore(), retentionMonths: months })).toThrow(
        expect.objectContaining({ code: 'ERR_AUDIT_RETENTION_TOO_SHORT' }),
      );
    }
    expect(() => resolveRetentionMonths(6, { locale: 'en' })).toThrow(/12 months minimum/);
    expect(retentionCutoff(new Date('2026-03-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(retentionCutoff(new Date('2026-03-31T10:00:00Z'), 24).toISOString()).toBe('2024-03-31T10:00:00.000Z');
  });

  it('purges whole checkpointed periods older than the retention; what remains still verifies, anchored by a checkpoint', async () => {
    const store = new MemoryAuditStore();
    const c = clock(new Date('2024-01-10T09:00:00.000Z'));
    const log = memoryLog({ store, now: c.now, signer: await signer(), random: seededRandom(5) });
    // One event a day for 30 months: a checkpoint opens each new day.
    for (let day = 0; day < 900; day++) {
      c.set(new Date(Date.UTC(2024, 0, 10 + day, 9)));
      await log.append(draft(day));
    }
    const before = (await log.verify()).lastSeq!;
    const all = [];
    for await (const e of log.read()) all.push(e);
    // Too recent: refused, nothing removed.
    await expect(log.purge({ before: new Date('2025-12-01T00:00:00Z') })).rejects.toMatchObject({ code: 'ERR_AUDIT_PURGE_TOO_RECENT' });
    expect((await log.verify()).firstSeq).toBe(1);
    // At the retention limit: every period wholly older than the cutoff goes.
    const cutoff = retentionCutoff(c.now(), 24);
    const result = await log.purge({ before: cutoff });
    expect(result.purged).toBeGreaterThan(300);
    expect(result.event).toMatchObject({ action: 'audit.retention-purge', count: result.purged, subject: { firstSeq: 1, lastSeq: result.throughSeq } });
    const remaining = [];
    for await (const e of log.read()) remaining.push(e);
    expect(remaining[0]!.action).toBe('audit.checkpoint');
    expect(remaining[0]!.seq).toBe(result.throughSeq + 1);
    // Every purged event was older than the cutoff; the period right after the boundary reaches it.
    const limit = cutoff.toISOString();
    expect(all.filter((e) => e.seq <= result.throughSeq).every((e) => e.time < limit)).toBe(true);
    const nextCheckpoint = all.find((e) => e.action === 'audit.checkpoint' && e.seq > result.throughSeq + 1)!;
    expect(all.filter((e) => e.seq > result.throughSeq && e.seq < nextCheckpoint.seq).some((e) => e.time >= limit) || nextCheckpoint.time >= limit).toBe(true);
    const report = await log.verify({ verifier: await verifier(c.now()) });
    // The purge event and the checkpoint that seals it, both written before the deletion.
    expect(report).toMatchObject({
      ok: true,
      start: 'checkpoint',
      firstSeq: result.throughSeq + 1,
      lastSeq: before + 2,
      purge: { seq: before + 1, firstSeq: 1, lastSeq: result.throughSeq, before: limit, retentionMonths: 24, sealedBy: before + 2 },
    });
    // A second purge with the same limit removes nothing more.
    expect((await log.purge({ before: cutoff })).purged).toBe(0);
    expect((await log.verify()).ok).toBe(true);
  });

  it('purges nothing without a checkpoint to anchor the rest', async () => {
    const c = clock(new Date('2023-01-01T09:00:00.000Z'));
    const log = memoryLog({ now: c.now });
    for (let i = 0; i < 5; i++) await log.append(draft(i));
    c.set(new Date('2026-01-01T09:00:00.000Z'));
    expect((await log.purge({ before: new Date('2023-06-01T00:00:00Z') })).purged).toBe(0);
    expect((await log.verify()).ok).toBe(true);
  });
});

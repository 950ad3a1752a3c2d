import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOCK_SKEW_SECONDS, verifyLog } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { clock, collect, draft, memoryLog } from './helpers.js';

const Y2000 = '2000-01-01T00:00:00.000Z';

describe('times along the chain (AUD-2)', () => {
  it('refuses an event dated in 2000 after 2026 events; a hand-written one is damage: backdated', async () => {
    const c = clock();
    const log = memoryLog({ now: c.now });
    for (let i = 0; i < 5; i++) {
      c.advance(60);
      await log.append(draft(i));
    }
    await expect(log.append({ ...draft(5), time: Y2000 })).rejects.toMatchObject({ code: 'ERR_AUDIT_TIME_BACKWARDS', kind: 'verdict' });
    expect(await log.verify()).toMatchObject({ ok: true, lastSeq: 5 });

    // What a writer that does not check (or a forger) can chain: hashes and links hold, the time runs back 26 years.
    const store = new MemoryAuditStore();
    const loose = memoryLog({ store, now: c.now, clockSkewSeconds: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 5; i++) await loose.append(draft(i));
    await loose.append({ ...draft(5), time: Y2000 });
    await loose.append(draft(6));
    const bytes = await collect(store.lines());
    const report = await verifyLog(bytes, { locale: 'en' });
    expect(report).toMatchObject({ ok: false, lastSeq: 5, damage: { kind: 'backdated', seq: 6, line: 6, code: 'ERR_AUDIT_TIME_BACKWARDS' } });
    expect(report.issues).toEqual([{ code: 'ERR_AUDIT_TIME_BACKWARDS', path: [5], message: report.damage!.message }]);
    expect(report.damage!.message).toMatch(/^Time earlier than the trace \(sequence 6\): 2000-01-01T00:00:00\.000Z is more than 300 s before/);
    // The tolerance is an option: a vendor who allows late entries says how late.
    expect(await verifyLog(bytes, { clockSkewSeconds: 27 * 366 * 86400 })).toMatchObject({ ok: true, lastSeq: 7 });
  });

  it('allows the clock skew, 5 minutes by default, measured from the latest time traced, not from the previous event', async () => {
    expect(DEFAULT_CLOCK_SKEW_SECONDS).toBe(300);
    const c = clock();
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, now: c.now });
    await log.append(draft(0));
    c.advance(-299);
    await log.append(draft(1)); // 299 s back: within the skew
    c.advance(-200);
    // 499 s before the latest time, though only 200 s before the previous event: refused.
    await expect(log.append(draft(2))).rejects.toMatchObject({ code: 'ERR_AUDIT_TIME_BACKWARDS' });
    c.advance(600);
    await log.append(draft(3));
    expect(await log.verify()).toMatchObject({ ok: true, lastSeq: 3 });
    // A staircase of small steps back is caught by the verifier too.
    const loose = new MemoryAuditStore();
    const stairs = memoryLog({ store: loose, now: c.now, clockSkewSeconds: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 4; i++) {
      await stairs.append(draft(i));
      c.advance(-200);
    }
    expect((await verifyLog(await collect(loose.lines()))).damage).toMatchObject({ kind: 'backdated', seq: 3 });
  });

  it('refuses only the backdated event of a batch, and a draft time beyond the clock plus the skew', async () => {
    const c = clock();
    const log = memoryLog({ now: c.now, locale: 'en' });
    await log.append(draft(0));
    const results = await Promise.allSettled([log.append(draft(1)), log.append({ ...draft(2), time: Y2000 }), log.append(draft(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.seq : (r.reason as { code: string }).code))).toEqual([2, 'ERR_AUDIT_TIME_BACKWARDS', 3]);
    const future = new Date(c.now().getTime() + 301_000).toISOString();
    const e = await log.append({ ...draft(4), time: future }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID', kind: 'input' });
    expect((e as Error).message).toBe(`Invalid trace event: time ${future} after the log's clock.`);
    expect((await log.append({ ...draft(4), time: new Date(c.now().getTime() + 299_000).toISOString() })).seq).toBe(4);
    expect(() => memoryLog({ clockSkewSeconds: -1 })).toThrow(TypeError);
    await expect(verifyLog('', { clockSkewSeconds: Number.NaN })).rejects.toThrow(TypeError);
  });

  it('dates a checkpoint no earlier than the latest event it seals, so a checkpoint never reads as backdated', async () => {
    const c = clock();
    const { signer } = await import('./helpers.js');
    const log = memoryLog({ now: c.now, signer: await signer() });
    await log.append(draft(0));
    c.advance(-120);
    await log.append(draft(1));
    const cp = (await log.checkpoint())!;
    expect(cp.time).toBe(new Date(c.now().getTime() + 120_000).toISOString());
    expect(await log.verify()).toMatchObject({ ok: true, lastSeq: 3, checkpoints: 1 });
  });
});

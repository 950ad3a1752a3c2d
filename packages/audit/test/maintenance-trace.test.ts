import { describe, expect, it } from 'vitest';
import { CoreError, type TraceEvent } from '@s3404/core';
import { createMaintenanceRunner, MemoryLease } from '@s3404/core/maintenance';
import { AUDIT_ACTIONS, auditTraceSink, fromTraceEvent, OCSF_ACTIVITY, toOcsfApiActivity, type AuditEvent, type AuditLog } from '@s3404/audit';
import { memoryLog, T0 } from './helpers.js';

async function collect(log: AuditLog): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of log.read()) out.push(e);
  return out;
}

/** The maintenance runner's events (issue 19) in the hash-chained trace (AUD-1, AUD-2). */
describe('maintenance runner events in the audit trace (issue 19, AUD-1)', () => {
  it('the catalogue holds the runner’s four actions', () => {
    expect(AUDIT_ACTIONS).toEqual(expect.arrayContaining(['maintenance.started', 'maintenance.ended', 'maintenance.failed', 'maintenance.lease-lost']));
  });

  it('a real runner’s events, mapped by fromTraceEvent, are appended, chained and verify', async () => {
    const now = () => T0;
    const log = memoryLog({ now });
    const sink = auditTraceSink(log);
    const seen: TraceEvent[] = [];
    const runner = createMaintenanceRunner({
      lease: new MemoryLease({ now }),
      now,
      holder: 'instance-a',
      trace: {
        async record(e) {
          seen.push(e);
          await sink.record(e);
        },
      },
      jobs: [
        { name: 'seal.sweep', everyMs: 60_000, run: async () => ({ count: 3 }) },
        {
          name: 'audit.purge',
          everyMs: 86_400_000,
          run: async () => {
            throw new CoreError('ERR_LEASE_STORE_UNAVAILABLE', { params: { detail: 'test' } });
          },
        },
      ],
    });
    const report = await runner.runDue();
    expect(report.runs.map((r) => r.outcome)).toEqual(['ran', 'failed']);
    const events: AuditEvent[] = await collect(log);
    expect(events.map((e) => [e.seq, e.action, e.outcome, e.count ?? null, e.code ?? null])).toEqual([
      [1, 'maintenance.started', 'success', null, null],
      [2, 'maintenance.ended', 'success', 3, null],
      [3, 'maintenance.started', 'success', null, null],
      [4, 'maintenance.failed', 'failure', null, 'ERR_LEASE_STORE_UNAVAILABLE'],
    ]);
    expect(events[0]).toMatchObject({
      actor: { personId: 'service', role: 'service', terminalId: 's3404-maintenance' },
      subject: {},
      reason: 'seal.sweep 2026-03-20T10:00:00.000Z token 1',
      time: T0.toISOString(),
    });
    // Each stored event is what fromTraceEvent makes of the runner's event.
    for (const [i, e] of seen.entries()) expect(events[i]).toMatchObject(fromTraceEvent(e));
    const verdict = await log.verify();
    expect(verdict.issues).toEqual([]);
    expect(verdict.ok).toBe(true);
  });

  it('a lost lease is traced too', async () => {
    const log = memoryLog();
    const sink = auditTraceSink(log);
    const event: TraceEvent = {
      action: 'maintenance.lease-lost',
      at: T0.toISOString(),
      actor: { personId: 'service', role: 'service', terminalId: 's3404-maintenance' },
      subject: {},
      outcome: 'failure',
      code: 'ERR_LEASE_LOST',
      reason: 'scor.tick 2026-03-20T10:00:00.000Z token 7',
    };
    await sink.record(event);
    const [stored] = await collect(log);
    expect(stored).toMatchObject({ action: 'maintenance.lease-lost', code: 'ERR_LEASE_LOST' });
    expect((await log.verify()).ok).toBe(true);
  });

  it('an action outside the catalogue, in the maintenance namespace too, is still refused', async () => {
    const log = memoryLog();
    const sink = auditTraceSink(log);
    const base: TraceEvent = {
      action: 'maintenance.started',
      at: T0.toISOString(),
      actor: { personId: 'service', role: 'service', terminalId: 's3404-maintenance' },
      subject: {},
      outcome: 'success',
    };
    for (const action of ['maintenance.paused', 'maintenance', 'maintenance.*', 'maintenance.started.x'])
      await expect(sink.record({ ...base, action })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID', kind: 'input' });
    await expect(log.append({ ...fromTraceEvent(base), action: 'maintenance.restarted' as never })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
    expect(await collect(log)).toEqual([]);
  });

  it('exports them: OCSF activity Other, named by the action', async () => {
    expect(OCSF_ACTIVITY['maintenance.started']).toBe(99);
    const log = memoryLog();
    await auditTraceSink(log).record({
      action: 'maintenance.ended',
      at: T0.toISOString(),
      actor: { personId: 'service', role: 'service', terminalId: 's3404-maintenance' },
      subject: {},
      outcome: 'success',
      count: 2,
      reason: 'seal.sweep 2026-03-20T10:00:00.000Z token 1',
    });
    const [event] = await collect(log);
    expect(toOcsfApiActivity(event!, 's3404')).toMatchObject({ activity_id: 99, activity_name: 'maintenance.ended' });
  });
});

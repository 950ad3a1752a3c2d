import type { SealTraceEvent, TraceSink } from '@s3404/seal';
import type { ScorTraceEvent, ScorTraceSink } from '@s3404/scor';
import type { AuditLog } from './audit-log.js';
import type { AuditEventDraft, AuditSubject } from './event-schema.js';

/**
 * The trace sink that @s3404/seal and @s3404/scor call, writing to an
 * audit log (AUD-1): every context shown, seal, refusal, denial,
 * consumption, application and expiry, and every transition of a SCOR lot
 * (built, sent, ARL received, retried, paper fallback, purged), becomes a
 * chained event. The sealer, the consumer and the lot lifecycle await it,
 * so an action whose trace cannot be stored fails rather than going
 * untraced.
 *
 * @example
 * ```ts
 * const trace = auditTraceSink(log)
 * const sealer = await createSealer({ ..., trace })
 * const lots = createLotManager({ store, transport, trace })
 * ```
 * @public
 */
export function auditTraceSink(log: AuditLog): TraceSink & ScorTraceSink {
  return {
    async record(event: SealTraceEvent | ScorTraceEvent): Promise<void> {
      await log.append(event.action.startsWith('lot.') ? fromScorEvent(event as ScorTraceEvent) : fromSealEvent(event as SealTraceEvent));
    },
  };
}

/** Maps a SCOR lot event onto an audit draft (AUD-1, SCOR-3). @public */
export function fromScorEvent(e: ScorTraceEvent): AuditEventDraft {
  const time = new Date(e.at);
  return {
    action: e.action,
    actor: { personId: e.actor.personId, role: e.actor.role, terminalId: e.actor.terminalId },
    subject: { finess: e.subject.finess, lotId: e.subject.lotId },
    outcome: e.outcome,
    ...(Number.isNaN(time.getTime()) ? {} : { time: time.toISOString() }),
    ...(e.code === undefined ? {} : { code: e.code }),
    ...(e.reason === undefined || e.reason === '' ? {} : { reason: e.reason.slice(0, 500) }),
    ...(e.count === undefined ? {} : { count: e.count }),
  };
}

/** Maps a seal trace event onto an audit draft (AUD-1). @public */
export function fromSealEvent(e: SealTraceEvent): AuditEventDraft {
  const s = e.subject;
  const subject: AuditSubject = {};
  const set = <K extends keyof AuditSubject>(k: K, v: AuditSubject[K] | undefined): void => {
    if (v !== undefined) subject[k] = v;
  };
  set('bordereauId', s.bordereauId);
  set('line', s.line);
  set('day', s.day);
  set('finess', s.finess);
  set('recordId', s.recordId);
  set('contextNonce', s.contextNonce);
  const time = new Date(e.at);
  return {
    action: e.action,
    actor: { personId: e.actor.personId, role: e.actor.role, terminalId: e.actor.terminalId },
    subject,
    outcome: e.outcome,
    ...(Number.isNaN(time.getTime()) ? {} : { time: time.toISOString() }),
    ...(e.code === undefined ? {} : { code: e.code }),
    ...(e.reason === undefined || e.reason === '' ? {} : { reason: e.reason.slice(0, 500) }),
    ...(e.count === undefined ? {} : { count: e.count }),
  };
}

import { isTraceCode, visibleText, type TraceEvent, type TraceSink } from '@s3404/core';
import type { AuditLog } from './audit-log.js';
import { EVENT_ID } from './internal/event-id.js';
import type { AuditAction, AuditEventDraft, AuditRole } from './event-schema.js';

/**
 * The trace sink of core's trace contract, writing to an audit log (AUD-1):
 * whatever emits core's `TraceEvent` — the sealer and the consumer of
 * `@s3404/seal`, the lot lifecycle of `@s3404/scor`, a vendor's code —
 * gets every event chained into the log (see {@link fromTraceEvent}). The
 * emitters await it, so an action whose trace cannot be stored fails
 * rather than going untraced; an event outside the log's closed catalogue
 * is refused the same way (`ERR_AUDIT_EVENT_INVALID`).
 *
 * `import { auditTraceSink } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const trace = auditTraceSink(log)
 * const sealer = await createSealer({ …, trace })        // @s3404/seal
 * const lots = createLotManager({ store, transport, trace }) // @s3404/scor
 * ```
 * @throws (from `record`) {@link AuditError} `ERR_AUDIT_EVENT_INVALID`, `ERR_AUDIT_STORE_UNAVAILABLE`, `ERR_AUDIT_CLOSED`.
 * @public
 */
export function auditTraceSink(log: AuditLog): TraceSink {
  return {
    async record(event: TraceEvent): Promise<void> {
      await log.append(fromTraceEvent(event));
    },
  };
}

/**
 * Maps any core `TraceEvent` onto an audit draft (AUD-1), the same way
 * whoever emitted it: action, actor, outcome, code and count as they are;
 * every subject key that has a value, as it is; a code not shaped as an
 * error code's (`isTraceCode` of `@s3404/core`) in the reason instead
 * (`… code « 05 »`); `at` as the event's time
 * (left to the log's clock when it is not a valid instant); `reason` cut to
 * 500 characters, its control characters shown as U+FFFD (a reason may
 * quote outside text, such as a transport's multi-line error, which must not
 * fail the action it traces); `id` when it is a UUIDv7 (an event delivered again keeps it, and the log
 * writes it once), else left out (`firstDelivery` is not passed on: the log looks every id up). The draft is checked when appended: an action, a role or
 * a subject key outside the closed catalogue is refused then
 * (`ERR_AUDIT_EVENT_INVALID`).
 *
 * `import { fromTraceEvent } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * fromTraceEvent({ action: 'lot.sent', at: '2026-03-20T10:00:00.000Z', actor: { personId: 'service', role: 'service', terminalId: 's3404-scor' },
 *   subject: { finess: '750300360', lotId: 'L1' }, outcome: 'success' })
 * // { action: 'lot.sent', actor: {…}, subject: { finess: '750300360', lotId: 'L1' }, outcome: 'success', time: '2026-03-20T10:00:00.000Z' }
 * ```
 * @public
 */
export function fromTraceEvent(e: TraceEvent): AuditEventDraft {
  const subject: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.subject ?? {})) if (v !== undefined) subject[k] = v;
  const time = new Date(e.at);
  // A code of another shape than an error code's (an ARL's `05`, a vendor's `ERR_tarif-hors-convention`: outside
  // text) would make the log refuse the event, and the action with it: it goes in the reason instead.
  const odd = e.code !== undefined && !isTraceCode(e.code) ? `code « ${String(e.code).slice(0, 200)} »` : undefined;
  const reason = [e.reason ?? '', odd ?? ''].filter((x) => x !== '').join(' ');
  return {
    action: e.action as AuditAction,
    actor: { personId: e.actor.personId, role: e.actor.role as AuditRole, terminalId: e.actor.terminalId },
    subject: subject as AuditEventDraft['subject'],
    outcome: e.outcome,
    ...(Number.isNaN(time.getTime()) ? {} : { time: time.toISOString() }),
    ...(e.code === undefined || !isTraceCode(e.code) ? {} : { code: e.code }),
    ...(reason === '' ? {} : { reason: visibleText(reason.slice(0, 500)) }),
    ...(e.count === undefined ? {} : { count: e.count }),
    // An id the log would refuse is left out: the log makes one.
    ...(typeof e.id === 'string' && EVENT_ID.test(e.id) ? { id: e.id } : {}),
  };
}

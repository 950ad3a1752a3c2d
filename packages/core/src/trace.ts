/**
 * Who acted (AUD-1): the person (or `service` for the SDK's own work), the
 * role they acted in, and the terminal.
 *
 * @public
 */
export interface TraceActor {
  readonly personId: string;
  /** A role of the package that traces, e.g. `insured`, `director`, `staff`, `service`. */
  readonly role: string;
  readonly terminalId: string;
}

/**
 * What an action was about (AUD-1): identifiers only — never an image, a
 * NIR or health data.
 *
 * @public
 */
export interface TraceSubject {
  readonly bordereauId?: string;
  readonly line?: number;
  /** An accounting day, `AAAA-MM-JJ`. */
  readonly day?: string;
  readonly finess?: string;
  readonly recordId?: string;
  readonly contextNonce?: string;
  readonly lotId?: string;
}

/**
 * The shape of a trace event's `code` (AUD-1): an error code, capitals,
 * digits and `_`, 2 to 64 characters (`ERR_RECORD_REPLAYED`, an ARL's
 * `PJ05`). The audit log refuses an event with any other code.
 *
 * `import { TRACE_CODE } from '@s3404/core'`
 *
 * @example
 * ```ts
 * TRACE_CODE.test('ERR_LOT_STATE') // true
 * ```
 * @public
 */
export const TRACE_CODE: RegExp = /^[A-Z][A-Z0-9_]{1,63}$/;

/**
 * Whether `code` can be a trace event's `code` ({@link TRACE_CODE}, AUD-1).
 * An emitter traces any other code — outside text: a vendor's own, an
 * ARL's `05` — in the event's `reason` instead, so that no sink refuses the
 * event (and the action with it) for its code.
 *
 * `import { isTraceCode } from '@s3404/core'`
 *
 * @example
 * ```ts
 * isTraceCode('PJ05') // true
 * isTraceCode('ERR_tarif-hors-convention') // false: traced in the reason
 * ```
 * @public
 */
export function isTraceCode(code: unknown): boolean {
  return typeof code === 'string' && TRACE_CODE.test(code);
}

/** How an action ended (AUD-1). @public */
export type TraceOutcome = 'success' | 'refused' | 'failure';

/**
 * One traced action (AUD-1), the shape every package emits: what (`action`,
 * e.g. `signature.sealed`, `lot.sent`), when (`at`, ISO 8601 UTC from the
 * injected clock), who, about what, how it ended, and the error code of a
 * refusal. `@s3404/audit` chains these events; a vendor may bridge them to
 * its own log.
 *
 * `import type { TraceEvent } from '@s3404/core'`
 *
 * @example
 * ```json
 * { "action": "signature.refused", "at": "2026-04-08T09:30:00.000Z",
 *   "actor": { "personId": "p-42", "role": "insured", "terminalId": "tablette-3" },
 *   "subject": { "bordereauId": "6R0ZQ-50K7C-AC6T4-JF0WA-04614-H" }, "outcome": "refused", "code": "ERR_RECORD_REPLAYED" }
 * ```
 * @public
 */
export interface TraceEvent<A extends string = string> {
  readonly action: A;
  /** ISO 8601 UTC instant. */
  readonly at: string;
  readonly actor: TraceActor;
  readonly subject: TraceSubject;
  readonly outcome: TraceOutcome;
  /** The error code of a refusal or failure. */
  readonly code?: string;
  /** Why: an authoriser's reason, a state transition `from → to`. */
  readonly reason?: string;
  /** How many items the event covers (records swept, invoices of a lot, attempt number). */
  readonly count?: number;
  /**
   * The event's own id, a UUIDv7 (e.g. `uuidV7Of`), given again when
   * the same event is delivered again (the lot outbox of `@s3404/scor` and
   * a resumed use of `@s3404/seal` do): a sink that keeps ids (the audit
   * log) writes the event once. Absent: each delivery is a new event.
   */
  readonly id?: string;
  /**
   * With `id`: the delivery is made by the call that created the event.
   * No proof that the id is not traced yet — another process may have
   * delivered the same event meanwhile (a request retried while its first
   * try still runs) — so a sink that keeps ids must look it up all the
   * same: the audit log does, and the SDK's emitters no longer set it.
   * @deprecated Accepted and ignored (issue 19).
   */
  readonly firstDelivery?: boolean;
}

/**
 * Where traced actions go (AUD-1): `auditTraceSink(log)` of `@s3404/audit`,
 * or a vendor's bridge. `record` may be async; the SDK awaits it, so an
 * action whose trace cannot be stored fails rather than going untraced.
 *
 * `import type { TraceSink } from '@s3404/core'`
 *
 * @public
 */
export interface TraceSink<A extends string = string> {
  record(event: TraceEvent<A>): void | Promise<void>;
}

/**
 * A trace sink that keeps events in memory, for tests and demos (AUD-1).
 *
 * `import { RecordingTraceSink } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const trace = new RecordingTraceSink()
 * const sealer = await createSealer({ …, trace })
 * trace.events.filter((e) => e.outcome === 'refused')
 * ```
 * @public
 */
export class RecordingTraceSink<A extends string = string> implements TraceSink<A> {
  readonly events: TraceEvent<A>[] = [];
  record(event: TraceEvent<A>): void {
    this.events.push(event);
  }
}

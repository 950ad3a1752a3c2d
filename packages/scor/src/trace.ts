/**
 * Actions the SCOR lifecycle traces (SCOR-3, AUD-1), a subset of
 * `@s3404/audit`'s closed catalogue, which maps them onto its schema.
 *
 * @public
 */
export type ScorTraceAction = 'lot.built' | 'lot.sent' | 'lot.arl-received' | 'lot.retried' | 'lot.paper-fallback' | 'lot.purged';

/**
 * One traced step of a lot (SCOR-3, AUD-1): who (the service or a person),
 * what, on which lot, when, the outcome and, for a transition, `from → to`
 * in `reason`. No PJ content and no patient data.
 *
 * @public
 */
export interface ScorTraceEvent {
  readonly action: ScorTraceAction;
  /** ISO 8601 UTC instant, from the injected clock. */
  readonly at: string;
  readonly actor: { readonly personId: string; readonly role: 'service' | 'staff'; readonly terminalId: string };
  readonly subject: { readonly finess: string; readonly lotId: string };
  readonly outcome: 'success' | 'refused' | 'failure';
  readonly code?: string;
  readonly reason?: string;
  /** The attempt number (`lot.sent`), or the invoices of the lot (`lot.built`). */
  readonly count?: number;
}

/**
 * Where lot events go (AUD-1): `@s3404/audit`'s `auditTraceSink(log)`
 * implements it; a vendor may bridge to its own log. The lifecycle awaits
 * `record` after each stored transition: a failing sink fails the call
 * (the transition stands, and the error says its trace is missing).
 *
 * @public
 */
export interface ScorTraceSink {
  record(event: ScorTraceEvent): void | Promise<void>;
}

/**
 * A trace sink that keeps lot events in memory, for tests and demos (AUD-1).
 *
 * `import { RecordingScorTraceSink } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const trace = new RecordingScorTraceSink()
 * const lots = createLotManager({ store, transport, trace })
 * trace.events.map((e) => e.reason) // ['∅ → built', 'built → awaiting-b2-arl', …]
 * ```
 * @public
 */
export class RecordingScorTraceSink implements ScorTraceSink {
  readonly events: ScorTraceEvent[] = [];
  record(event: ScorTraceEvent): void {
    this.events.push(event);
  }
}

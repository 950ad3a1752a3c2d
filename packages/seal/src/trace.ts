import type { Role, Scope } from './record-schema.js';

/**
 * Actions `@s3404/seal` traces (SIG-1, SIG-3, SIG-7…SIG-10, AUD-1). The
 * catalogue is closed; `@s3404/audit` maps it onto its own schema.
 *
 * @public
 */
export type SealTraceAction =
  | 'signature.context-shown'
  | 'signature.sealed'
  | 'signature.refused'
  | 'signature.consumed'
  | 'signature.applied'
  | 'signature.expired'
  | 'authorization.denied';

/**
 * One traced event (AUD-1): who (person, role, terminal), what, on which
 * subject, when, and the outcome with its error code. No image, no strokes,
 * no NIR, no health data.
 *
 * @public
 */
export interface SealTraceEvent {
  readonly action: SealTraceAction;
  /** ISO 8601 UTC instant, from the injected clock. */
  readonly at: string;
  /** The acting person, or `service` for the SDK's own work (sweeper, a service consuming). */
  readonly actor: { readonly personId: string; readonly role: Role | 'service'; readonly terminalId: string };
  readonly subject: {
    readonly bordereauId?: string;
    readonly line?: number;
    readonly day?: string;
    readonly finess?: string;
    readonly recordId?: string;
    readonly contextNonce?: string;
  };
  readonly outcome: 'success' | 'refused';
  /** The error code of a refusal. */
  readonly code?: string;
  /** The authoriser's reason of a denial. */
  readonly reason?: string;
  /** How many records an event covers (the sweeper's deletions). */
  readonly count?: number;
}

/**
 * Where seal events go (AUD-1): `@s3404/audit` implements it; a vendor may
 * bridge to its own log. `record` may be async; the sealer awaits it, so a
 * failing sink fails the operation rather than losing the trace.
 *
 * @public
 */
export interface TraceSink {
  record(event: SealTraceEvent): void | Promise<void>;
}

/**
 * A trace sink that keeps events in memory, for tests and demos (AUD-1).
 *
 * @example
 * ```ts
 * const trace = new RecordingTraceSink()
 * const sealer = await createSealer({ ..., trace })
 * trace.events.filter((e) => e.outcome === 'refused')
 * ```
 * @public
 */
export class RecordingTraceSink implements TraceSink {
  readonly events: SealTraceEvent[] = [];
  record(event: SealTraceEvent): void {
    this.events.push(event);
  }
}

/** The trace subject of a record scope (AUD-1). */
export function subjectOf(scope: Scope): SealTraceEvent['subject'] {
  if (scope.kind === 'accounting-day') return { day: scope.day, finess: scope.finess };
  return scope.kind === 'line' ? { bordereauId: scope.bordereauId, line: scope.line } : { bordereauId: scope.bordereauId };
}

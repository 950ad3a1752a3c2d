import type { TraceActor, TraceEvent, TraceSubject } from '@s3404/core';
import type { Role, Scope } from './record-schema.js';

/**
 * The actions `@s3404/seal` traces (SIG-1, SIG-3…SIG-10, AUD-1), as core
 * `TraceEvent`s sent to a core `TraceSink` (`auditTraceSink(log)` of
 * `@s3404/audit`, a `RecordingTraceSink`, or a vendor's bridge). The
 * catalogue is closed:
 *
 * - `signature.context-shown` — a context was authorised and registered;
 * - `signature.sealed` — a capture was sealed (subject: its record id);
 * - `signature.refused` — a capture, a seal or a use was refused (`code`);
 * - `authorization.denied` — the authoriser said no (`reason`);
 * - `signature.consumed` — a record was claimed for its use (SIG-5);
 * - `signature.applied` — it was applied (drawn on the PDF);
 * - `signature.expired` — the sweeper deleted pending records (`count`).
 *
 * Subjects carry identifiers only: never the image, the strokes, a NIR or
 * health data.
 *
 * `import type { SealTraceAction } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const trace = new RecordingTraceSink<SealTraceAction>()   // from @s3404/core
 * const sealer = await createSealer({ …, trace })
 * trace.events.filter((e) => e.action === 'signature.refused').map((e) => e.code)
 * ```
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
 * Who acts, as the seal traces it (AUD-1): the person and the role they sign
 * in, or `service` for the SDK's own work (a consumer service, the sweeper),
 * and the terminal.
 *
 * @public
 */
export interface SealTraceActor extends TraceActor {
  readonly role: Role | 'service';
}

/** An event as the seal builds it, before the clock stamps `at`. */
export type SealTraceDraft = Omit<TraceEvent<SealTraceAction>, 'at' | 'actor'> & { readonly actor: SealTraceActor };

/** The trace subject of a record scope (AUD-1). */
export function subjectOf(scope: Scope): TraceSubject {
  if (scope.kind === 'accounting-day') return { day: scope.day, finess: scope.finess };
  return scope.kind === 'line' ? { bordereauId: scope.bordereauId, line: scope.line } : { bordereauId: scope.bordereauId };
}

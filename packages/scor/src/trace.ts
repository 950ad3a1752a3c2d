/**
 * The actions the SCOR lifecycle traces (SCOR-3, AUD-1): the `action` of the
 * core `TraceEvent`s it sends to its `TraceSink`, whose `subject` is
 * `{ finess, lotId }` and whose `reason` is the transition (`from → to`).
 * No PJ content and no patient data.
 *
 * `import type { ScorTraceAction } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const trace = new RecordingTraceSink<ScorTraceAction>() // @s3404/core
 * const lots = createLotManager({ store, transport, trace })
 * ```
 * @public
 */
export type ScorTraceAction = (typeof SCOR_TRACE_ACTIONS)[number];

/**
 * Every {@link ScorTraceAction}, in the order of a lot's life (SCOR-3, AUD-1).
 *
 * `import { SCOR_TRACE_ACTIONS } from '@s3404/scor'`
 *
 * @public
 */
export const SCOR_TRACE_ACTIONS = ['lot.built', 'lot.sent', 'lot.arl-received', 'lot.retried', 'lot.paper-fallback', 'lot.purged'] as const;

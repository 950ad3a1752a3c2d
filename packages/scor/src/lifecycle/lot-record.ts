import { z } from 'zod';
import { lotIdSchema } from '../lot/lot-id.js';
import { SCOR_TRACE_ACTIONS } from '../trace.js';

/**
 * The states of a SCOR lot (SCOR-3):
 *
 * ```
 * built → awaiting-b2-arl → ready → sent → arl-positive
 *               ↓                     ↓
 *          b2-rejected           arl-negative → retrying → sent …
 *                                                  ↓ (5 working days after the first attempt)
 *                                            paper-fallback
 * arl-positive | paper-fallback → purged (90 days after transmission)
 * ```
 *
 * @public
 */
export const LOT_STATES = [
  'built',
  'awaiting-b2-arl',
  'b2-rejected',
  'ready',
  'sent',
  'arl-positive',
  'arl-negative',
  'retrying',
  'paper-fallback',
  'purged',
] as const;

/** One state of {@link LOT_STATES} (SCOR-3). @public */
export type LotState = (typeof LOT_STATES)[number];

const iso = z.iso.datetime({ offset: false, precision: 3 });
const text = (max: number) => z.string().min(1).max(max);

/** What an ARL said, as kept on the lot (SCOR-3). @public */
export const ArlOutcomeSchema = z.strictObject({
  positive: z.boolean(),
  receivedAt: iso,
  code: text(64).optional(),
  reason: text(500).optional(),
  reference: text(128).optional(),
});

/** One traced transition of a lot (SCOR-3, AUD-1). @public */
export const LotTransitionSchema = z.strictObject({
  from: z.enum(LOT_STATES).nullable(),
  to: z.enum(LOT_STATES),
  at: iso,
  attempt: z.int().min(1).optional(),
  code: text(64).optional(),
  reason: text(500).optional(),
});

/**
 * A trace event of a lot's transition not yet delivered to the trace sink
 * (SCOR-3, AUD-1): stored with the transition, in the same compare-and-set
 * write, then delivered and removed — so that a trace sink failing after a
 * state change (an audit store briefly unreachable, a crash) loses no
 * event: the lot's next action or `tick` delivers it. `key` names it among
 * the lot's (`<version that stored it>.<index>`).
 *
 * @public
 */
export const PendingLotTraceSchema = z.strictObject({
  key: z.string().regex(/^[1-9][0-9]{0,9}\.[0-9]{1,2}$/),
  action: z.enum(SCOR_TRACE_ACTIONS),
  outcome: z.enum(['success', 'refused', 'failure']),
  at: iso,
  actor: z.strictObject({ personId: text(256), role: text(64), terminalId: text(256) }),
  code: text(64).optional(),
  reason: text(500).optional(),
  count: z.int().min(0).optional(),
});

/**
 * A lot as the lifecycle keeps it (SCOR-2, SCOR-3): identity, container
 * fingerprint, state with a version for compare-and-set updates, the ARLs,
 * the attempts, the dates that drive retries, fallback and purge, and the
 * history of transitions. It holds no PJ content and no patient data.
 *
 * @public
 */
export const LotRecordSchema = z.strictObject({
  lotId: lotIdSchema,
  finess: z.string().regex(/^[0-9AB]{9}$/),
  b2LotNumber: text(16),
  invoices: z.int().min(1),
  files: z.int().min(1),
  container: z.strictObject({
    codec: text(64),
    fileName: text(128),
    mediaType: text(128),
    bytes: z.int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  state: z.enum(LOT_STATES),
  /** Increases by one with every stored change. */
  version: z.int().min(1),
  createdAt: iso,
  updatedAt: iso,
  /** When the lifecycle must look at the lot again (next attempt, ARL timeout, deadline, purge). */
  dueAt: iso.nullable(),
  b2Arl: ArlOutcomeSchema.nullable(),
  pjArl: ArlOutcomeSchema.nullable(),
  attempts: z.int().min(0),
  firstAttemptAt: iso.nullable(),
  lastAttemptAt: iso.nullable(),
  /** End of the retry window: 5 working days after the day of the first attempt. */
  retryDeadline: iso.nullable(),
  /** The last transmission the transport accepted. */
  transmittedAt: iso.nullable(),
  transmissionRef: text(256).nullable(),
  paperFallbackAt: iso.nullable(),
  /** From when the lot and its PJ may (and must) be purged: 90 days after transmission. */
  purgeAfter: iso.nullable(),
  purgedAt: iso.nullable(),
  history: z.array(LotTransitionSchema).max(10_000),
  /** The trace events of its transitions not yet delivered to the trace sink, oldest first; absent when none. */
  untraced: z.array(PendingLotTraceSchema).min(1).max(10_000).optional(),
});

/** A lot as kept by the lifecycle (SCOR-3). @public */
export type LotRecord = z.infer<typeof LotRecordSchema>;
/** An ARL as kept on a lot (SCOR-3). @public */
export type ArlOutcome = z.infer<typeof ArlOutcomeSchema>;
/** A trace event a lot keeps until it is delivered (SCOR-3, AUD-1). @public */
export type PendingLotTrace = z.infer<typeof PendingLotTraceSchema>;
/** One transition of a lot (SCOR-3). @public */
export type LotTransition = z.infer<typeof LotTransitionSchema>;

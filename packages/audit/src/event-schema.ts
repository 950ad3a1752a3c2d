import { z } from 'zod';
import { TRACE_CODE } from '@s3404/core';
import { EVENT_ID } from './internal/event-id.js';

/**
 * Version of the event format, carried by every event as `v` (AUD-1).
 *
 * `import { AUDIT_EVENT_VERSION } from '@s3404/audit'`
 *
 * @public
 */
export const AUDIT_EVENT_VERSION = 1;

/**
 * The closed catalogue of traced actions (AUD-1). It only grows: a new
 * action comes with a release, never as a free string, and an older release
 * refuses the events it does not know (`terminal.enrolled` and
 * `terminal.revoked` came with the signing service, issue 17; the four
 * `maintenance.*` actions with the maintenance runner of
 * `@s3404/core/maintenance`, issue 19: a job started, ended, failed, or
 * lost its lease, traced by a `service` actor with an empty subject and
 * `<job> <period> token <n>` as its reason).
 *
 * `import { AUDIT_ACTIONS } from '@s3404/audit'`
 *
 * @public
 */
export const AUDIT_ACTIONS = [
  'bordereau.generated',
  'signature.context-shown',
  'signature.captured',
  'signature.sealed',
  'signature.consumed',
  'signature.applied',
  'signature.refused',
  'signature.expired',
  'authorization.denied',
  'terminal.enrolled',
  'terminal.revoked',
  'accounting-day.validated',
  'lot.built',
  'lot.sent',
  'lot.arl-received',
  'lot.retried',
  'lot.paper-fallback',
  'lot.purged',
  'audit.checkpoint',
  'audit.retention-purge',
  'audit.export',
  'audit.recovered',
  'maintenance.started',
  'maintenance.ended',
  'maintenance.failed',
  'maintenance.lease-lost',
] as const;

/**
 * One action of the catalogue (AUD-1).
 *
 * `import type { AuditAction } from '@s3404/audit'`
 *
 * @public
 */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Roles of the actor (AUD-1): the signers' roles, the SDK itself, an auditor.
 *
 * `import { AUDIT_ROLES } from '@s3404/audit'`
 *
 * @public
 */
export const AUDIT_ROLES = ['insured', 'director', 'practitioner', 'delegate', 'staff', 'auditor', 'service'] as const;

const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'control characters are not allowed' });
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const outcome = z.enum(['success', 'refused', 'failure']);
/** The error code of a refusal or failure, e.g. `ERR_RECORD_REPLAYED`. */
const errorCode = z.string().regex(TRACE_CODE).optional();
/** How many items the event covers. */
const count = z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

/**
 * Who acted (AUD-1): a person (or `service`), the role, the terminal.
 *
 * `import { AuditActorSchema } from '@s3404/audit'`
 *
 * @public
 */
export const AuditActorSchema = z.strictObject({
  personId: text(128),
  role: z.enum(AUDIT_ROLES),
  terminalId: text(128),
});

/**
 * What the action was about (AUD-1). Identifiers only: no health data, no NIR.
 *
 * `import { AuditSubjectSchema } from '@s3404/audit'`
 *
 * @public
 */
export const AuditSubjectSchema = z.strictObject({
  bordereauId: text(64).optional(),
  line: z.int().min(1).max(9999).optional(),
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  finess: z
    .string()
    .regex(/^[0-9AB]{9}$/)
    .optional(),
  lotId: text(64).optional(),
  invoiceNumber: text(64).optional(),
  recordId: text(64).optional(),
  contextNonce: text(128).optional(),
  exportId: text(64).optional(),
  firstSeq: z.int().min(1).optional(),
  lastSeq: z.int().min(1).optional(),
});

/**
 * A checkpoint carried by an `audit.checkpoint` event (AUD-2).
 *
 * `import { AuditCheckpointSchema } from '@s3404/audit'`
 *
 * @public
 */
export const AuditCheckpointSchema = z.strictObject({
  /** The signed text (see {@link formatCheckpointBody}). */
  body: z.string().min(1).max(4096),
  /** The detached signature over `body`, base64 (a CMS SignedData in practice). */
  signature: z
    .string()
    .min(1)
    .max(65536)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/),
  /**
   * An RFC 3161 TimeStampToken (DER, base64) over the SHA-256 of the
   * signature's bytes, when the log has a `timestamper`: it proves the
   * signature existed at the token's genTime, so the checkpoint still
   * verifies after the seal certificate expired. Absent from checkpoints
   * written without a time-stamp source (and from every trace before it).
   */
  timestamp: z
    .string()
    .min(1)
    .max(65536)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .optional(),
});

/**
 * What a caller gives to trace an action (AUD-1). The log adds the id,
 * sequence number, time (unless given), previous hash and hash.
 *
 * `import { AuditEventDraftSchema } from '@s3404/audit'`
 *
 * @public
 */
export const AuditEventDraftSchema = z.strictObject({
  action: z.enum(AUDIT_ACTIONS),
  actor: AuditActorSchema,
  subject: AuditSubjectSchema.default({}),
  outcome,
  code: errorCode,
  reason: text(500).optional(),
  count,
  /** ISO 8601 UTC; default: the log's clock at append time. */
  time: z.iso.datetime({ offset: false, precision: 3 }).optional(),
  /**
   * The event's id, a UUIDv7 the caller made once for this action and gives
   * again when it retries it (an outbox): when the trace already holds an
   * event with this id for the same action, `append` resolves with that
   * event and writes nothing; held for another event, the draft is refused
   * `ERR_AUDIT_ID_REUSED`. Default: a new UUIDv7 from the log.
   */
  id: z.string().regex(EVENT_ID).optional(),
  /**
   * With `id`: the delivery is made by the call that created the event.
   * Accepted and ignored: the log looks every id up, a first delivery's too
   * (another process may have delivered the event meanwhile). The file and
   * memory stores find recent ids through an index, not their whole trace.
   * @deprecated Ignored (issue 19).
   */
  firstDelivery: z.boolean().optional(),
});

/**
 * One traced event as stored (AUD-1, AUD-2): canonical JSON (RFC 8785),
 * one per line in files. `hash` is SHA-256 over `0x00 ‖` the canonical JSON
 * of the event without `hash` (an RFC 9162 leaf hash); `prev` is the hash
 * of the event before it (64 zeros for the first).
 *
 * `import { AuditEventSchema } from '@s3404/audit'`
 *
 * @public
 */
export const AuditEventSchema = z.strictObject({
  v: z.literal(AUDIT_EVENT_VERSION),
  id: z.string().regex(EVENT_ID),
  seq: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  time: z.iso.datetime({ offset: false, precision: 3 }),
  action: z.enum(AUDIT_ACTIONS),
  actor: AuditActorSchema,
  subject: AuditSubjectSchema,
  outcome,
  code: errorCode,
  reason: text(500).optional(),
  count,
  checkpoint: AuditCheckpointSchema.optional(),
  prev: hex64,
  hash: hex64,
});

/**
 * Input of {@link AuditLog.append} (AUD-1).
 *
 * `import type { AuditEventDraft } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const draft: AuditEventDraft = { action: 'bordereau.generated', actor: { personId: 'u-12', role: 'staff', terminalId: 'accueil-1' },
 *   subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0' }, outcome: 'success' }
 * ```
 *
 * @public
 */
export type AuditEventDraft = z.input<typeof AuditEventDraftSchema>;
/**
 * A stored event (AUD-1, AUD-2).
 *
 * `import type { AuditEvent } from '@s3404/audit'`
 *
 * @public
 */
export type AuditEvent = z.infer<typeof AuditEventSchema>;
/**
 * The actor of an event (AUD-1).
 *
 * `import type { AuditActor } from '@s3404/audit'`
 *
 * @public
 */
export type AuditActor = z.infer<typeof AuditActorSchema>;
/**
 * The subject of an event (AUD-1).
 *
 * `import type { AuditSubject } from '@s3404/audit'`
 *
 * @public
 */
export type AuditSubject = z.infer<typeof AuditSubjectSchema>;
/**
 * The checkpoint of an `audit.checkpoint` event (AUD-2).
 *
 * `import type { AuditCheckpoint } from '@s3404/audit'`
 *
 * @public
 */
export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>;
/**
 * An actor role (AUD-1).
 *
 * `import type { AuditRole } from '@s3404/audit'`
 *
 * @public
 */
export type AuditRole = (typeof AUDIT_ROLES)[number];

/**
 * `@s3404/audit` — tamper-evident traces of every signing and validation
 * action (AUD-1…AUD-4): a closed event schema, a SHA-256 hash chain over
 * canonical JSON (RFC 8785), RFC 9162 Merkle checkpoints signed through
 * core's `ContentSigner`, offline verification that names the first damage,
 * 24-month retention, JSON Lines / CSV / OCSF exports with a signed
 * manifest, and `auditTraceSink` for core's trace events. Depends on
 * `@s3404/core` only. Pure: runs in Node, browsers, Deno and Bun.
 * Stores live on their own subpaths: `/memory`, `/file` (Node),
 * `/postgres` (Node).
 *
 * @packageDocumentation
 */

export {
  AUDIT_EVENT_VERSION,
  AUDIT_ACTIONS,
  AUDIT_ROLES,
  AuditActorSchema,
  AuditSubjectSchema,
  AuditCheckpointSchema,
  AuditEventDraftSchema,
  AuditEventSchema,
  type AuditAction,
  type AuditRole,
  type AuditActor,
  type AuditSubject,
  type AuditCheckpoint,
  type AuditEventDraft,
  type AuditEvent,
} from './event-schema.js';
export { createAuditLog, type AuditLog, type AuditLogOptions, type PurgeResult } from './audit-log.js';
export type { AuditStore, HeldEvents, StoredEvent } from './audit-store.js';
export { ChainHead, type HeadInput } from './chain-head.js';
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  verifyLog,
  type VerifyLogOptions,
  type VerifyReport,
  type Damage,
  type DamageKind,
  type PurgeEvidence,
  type CheckpointTime,
  type CheckpointTimeSource,
} from './verify-log.js';
export { verifyLogInPeriods, type VerifyLogInPeriodsOptions } from './verify-log-periods.js';
export { CHECKPOINT_HEADER, formatCheckpointBody, parseCheckpointBody, type CheckpointBody } from './checkpoint.js';
export {
  MerkleAccumulator,
  merkleLeafHash,
  merkleRoot,
  inclusionProof,
  consistencyProof,
  verifyInclusion,
  verifyConsistency,
  type ProofVerdict,
  type VerifyInclusionOptions,
  type VerifyConsistencyOptions,
} from './merkle.js';
export { DEFAULT_RETENTION_MONTHS, MIN_RETENTION_MONTHS, resolveRetentionMonths, retentionCutoff, type RetentionMonthsOptions } from './retention.js';
export { pseudonymizeNirs } from './nir-guard.js';
export { auditTraceSink, fromTraceEvent } from './trace-sink.js';
export { AuditError } from './errors/audit-error.js';
export { AUDIT_ERRORS, type AuditErrorCode } from './errors/audit-errors.js';
export {
  exportEvents,
  exportMimeType,
  verifyExport,
  parsePeriod,
  EXPORT_FORMATS,
  EXPORT_MANIFEST_TYPE,
  ExportManifestSchema,
  CSV_COLUMNS,
  OCSF_VERSION,
  OCSF_ACTIVITY,
  toOcsfApiActivity,
  type ExportOptions,
  type ExportResult,
  type VerifyExportInput,
  type ExportReport,
  type ExportIssue,
  type ExportFormat,
  type ExportManifest,
  type ExportPeriod,
  type PeriodOptions,
  type CsvColumn,
  type OcsfApiActivity,
} from './export/index.js';

/**
 * `@s3404/audit` — tamper-evident traces of every signing and validation
 * action (AUD-1…AUD-4): a closed event schema, a SHA-256 hash chain over
 * canonical JSON (RFC 8785), signed RFC 9162 Merkle checkpoints, offline
 * verification that names the first damage, 24-month retention, and
 * JSON Lines / CSV / OCSF exports with a signed manifest. Pure: runs in
 * Node, browsers, Deno and Bun. Stores live on their own subpaths:
 * `/memory`, `/file` (Node), `/postgres` (Node).
 *
 * @packageDocumentation
 */

/**
 * What this package offers today: `'available'`.
 *
 * @public
 */
export const PACKAGE_STATUS: 'planned' | 'available' = 'available';

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
export type { AuditStore, StoredEvent } from './audit-store.js';
export { ChainHead, type HeadInput } from './chain-head.js';
export { verifyLog, type VerifyLogOptions, type VerifyReport, type Damage, type DamageKind } from './verify-log.js';
export {
  CHECKPOINT_HEADER,
  formatCheckpointBody,
  parseCheckpointBody,
  type CheckpointBody,
  type CheckpointSigner,
  type CheckpointVerifier,
  type CheckpointSignatureCheck,
} from './checkpoint.js';
export { sealCheckpointSigner, sealCheckpointVerifier, type SealCheckpointVerifierOptions } from './seal-checkpoints.js';
export { MerkleAccumulator, merkleLeafHash, merkleRoot, inclusionProof, consistencyProof, verifyInclusion, verifyConsistency } from './merkle.js';
export { DEFAULT_RETENTION_MONTHS, MIN_RETENTION_MONTHS, checkRetentionMonths, retentionCutoff } from './retention.js';
export { pseudonymizeNirs } from './nir-guard.js';
export { auditTraceSink, fromSealEvent, fromScorEvent } from './trace-sink.js';
export type { Sha256 } from './internal/sha256.js';
export { AuditError } from './errors/audit-error.js';
export { AUDIT_MESSAGES, auditMessage, type AuditErrorCode } from './errors/messages.js';
export {
  exportEvents,
  exportMimeType,
  verifyExport,
  parsePeriod,
  checkPeriod,
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
  type ExportProblem,
  type ExportFormat,
  type ExportManifest,
  type ExportPeriod,
  type CsvColumn,
  type OcsfApiActivity,
} from './export/index.js';

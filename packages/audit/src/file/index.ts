/**
 * `@s3404/audit/file` — the embedded trace: an append-only JSON Lines file
 * with fsync, crash recovery and a cross-process lock, and offline
 * verification of a trace file (AUD-2). Node only. Node's native SHA-256
 * is `nodeSha256` of `@s3404/core/node`.
 *
 * @packageDocumentation
 */
export { FileAuditStore, type FileAuditStoreOptions } from './file-audit-store.js';
export { verifyLogFile, type FileVerifyReport, type VerifyLogFileOptions, type WitnessStatus } from './verify-log-file.js';

/**
 * `@s3404/audit/file` — the embedded trace: an append-only JSON Lines file
 * with fsync, crash recovery and a cross-process lock; offline
 * verification of a trace file; Node's native SHA-256 (AUD-2). Node only.
 *
 * @packageDocumentation
 */
export { FileAuditStore, type FileAuditStoreOptions } from './file-audit-store.js';
export { verifyLogFile, type FileVerifyReport } from './verify-log-file.js';
export { nodeSha256 } from './node-sha256.js';
export { writeFileAtomic } from './write-file-atomic.js';

/**
 * `@s3404/audit/errors` — the coded errors of the audit package.
 *
 * @packageDocumentation
 */
export { AuditError } from './audit-error.js';
export { AUDIT_MESSAGES, auditMessage, type AuditErrorCode, type AuditMessageParams } from './messages.js';
export { S3404Error } from '@s3404/form/errors';

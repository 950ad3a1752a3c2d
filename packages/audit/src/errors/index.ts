/**
 * `@s3404/audit/errors` — the coded errors of `@s3404/audit`: its
 * catalogue and its error class.
 *
 * @packageDocumentation
 */
export { AUDIT_ERRORS, type AuditErrorCode } from './audit-errors.js';
export { AuditError } from './audit-error.js';
export { S3404Error, isS3404Error } from '@s3404/core';

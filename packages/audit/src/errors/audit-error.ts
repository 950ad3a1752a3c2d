import { S3404Error, type S3404ErrorOptions } from '@s3404/core';
import { AUDIT_ERRORS, type AuditErrorCode } from './audit-errors.js';

/**
 * A coded error of `@s3404/audit` (AUD-1…AUD-4, X-2), with its `kind`
 * (see {@link AUDIT_ERRORS}). Verification never throws it for a damaged
 * trace or export: the report says what is wrong.
 *
 * `import { AuditError } from '@s3404/audit/errors'`
 *
 * @example
 * ```ts
 * try { await log.append(draft) } catch (e) {
 *   if (isS3404Error(e) && e.kind === 'unavailable') return retryLater(e)
 *   throw e
 * }
 * ```
 * @public
 */
export class AuditError extends S3404Error<AuditErrorCode> {
  constructor(code: AuditErrorCode, options: S3404ErrorOptions = {}) {
    super(AUDIT_ERRORS, code, options);
  }
}

import { S3404Error, type Locale } from '@s3404/form/errors';
import { auditMessage, type AuditErrorCode, type AuditMessageParams } from './messages.js';

/**
 * A coded error of `@s3404/audit` (AUD-1…AUD-4, X-2). Verification never
 * throws it for a damaged log: the report says what is wrong.
 *
 * `import { AuditError } from '@s3404/audit/errors'`
 *
 * @public
 */
export class AuditError extends S3404Error {
  declare readonly code: AuditErrorCode;
  /** The values the message was built from. */
  readonly params: AuditMessageParams;

  constructor(code: AuditErrorCode, options: { readonly params?: AuditMessageParams | undefined; readonly locale?: Locale | undefined; readonly cause?: unknown } = {}) {
    super(code, auditMessage(code, options.params, options.locale), { cause: options.cause });
    this.params = options.params ?? {};
  }
}

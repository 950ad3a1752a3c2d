import { S3404Error, type Issue, type Locale } from '@s3404/form/errors';
import { sealMessage, type SealErrorCode, type SealMessageParams } from './messages.js';

/**
 * A coded error of `@s3404/seal` (SIG-1…SIG-10, X-2): bad capture, refused
 * policy decision, unusable key or certificate. Verification never throws
 * it for a bad record: {@link verifyRecord} returns a result instead.
 *
 * `import { SealError } from '@s3404/seal/errors'`
 *
 * @public
 */
export class SealError extends S3404Error {
  declare readonly code: SealErrorCode;
  /** The values the message was built from (never secrets). */
  readonly params: SealMessageParams;
  /** Detailed problems when the record itself is invalid (ERR_RECORD_INVALID). */
  readonly issues: readonly Issue[];

  constructor(
    code: SealErrorCode,
    options: { readonly params?: SealMessageParams | undefined; readonly locale?: Locale | undefined; readonly cause?: unknown; readonly issues?: readonly Issue[] | undefined } = {},
  ) {
    super(code, sealMessage(code, options.params, options.locale), { cause: options.cause });
    this.params = options.params ?? {};
    this.issues = options.issues ?? [];
  }
}

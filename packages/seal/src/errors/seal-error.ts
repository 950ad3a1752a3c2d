import { S3404Error, type S3404ErrorOptions } from '@s3404/core';
import { SEAL_ERRORS, type SealErrorCode } from './seal-errors.js';

/**
 * A coded error of `@s3404/seal` (SIG-1…SIG-10, X-2): a refused capture or
 * policy decision, an unusable key or certificate, a refused or replayed
 * use, an unavailable store. Its `kind` says what to do about it (see
 * {@link SEAL_ERRORS}); `params` holds the values of its message, `issues`
 * the problems of an invalid record, `cause` the error it wraps (a driver's
 * for `ERR_STORE_UNAVAILABLE`). Verification never throws it for a bad
 * record: `verifyRecord` returns a verdict instead.
 *
 * `import { SealError } from '@s3404/seal/errors'`
 *
 * @example
 * ```ts
 * try { await consumer.consume({ recordId }, { target: { bordereauId }, requestId }) } catch (e) {
 *   if (isS3404Error(e) && e.code === 'ERR_RECORD_REPLAYED') askToSignAgain()
 *   else if (isS3404Error(e) && e.kind === 'unavailable') retryLater()
 * }
 * ```
 * @public
 */
export class SealError extends S3404Error<SealErrorCode> {
  constructor(code: SealErrorCode, options: S3404ErrorOptions = {}) {
    super(SEAL_ERRORS, code, options);
  }
}

import { S3404Error, type S3404ErrorOptions } from '@s3404/core';
import { CAPTURE_ERRORS, type CaptureErrorCode } from './capture-errors.js';

/**
 * A coded error of `@s3404/capture` (SIG-1, SIG-2, X-2): a capture the pad
 * refuses to produce (nothing signed, beyond the server's limits, context
 * expired, context not legible on screen) or data it cannot use. Its `kind`
 * says what to do about it (see {@link CAPTURE_ERRORS}); `params` holds the
 * values of its message; {@link S3404Error.messageIn} gives it in the other
 * language.
 *
 * `import { CaptureError } from '@s3404/capture/errors'`
 *
 * @example
 * ```ts
 * try { await send(await pad.toCaptureMessage()) } catch (e) {
 *   if (isS3404Error(e) && e.code === 'ERR_CAPTURE_CONTEXT_EXPIRED') await openNewContext()
 * }
 * ```
 * @public
 */
export class CaptureError extends S3404Error<CaptureErrorCode> {
  constructor(code: CaptureErrorCode, options: S3404ErrorOptions = {}) {
    super(CAPTURE_ERRORS, code, options);
  }
}

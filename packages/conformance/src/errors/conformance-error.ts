import { S3404Error, type S3404ErrorOptions } from '@s3404/core';
import { CONFORMANCE_ERRORS, type ConformanceErrorCode } from './conformance-errors.js';

/**
 * A coded error of `@s3404/conformance`: `ERR_VECTORS_INVALID`,
 * `ERR_VECTORS_FILTER`.
 *
 * `import { ConformanceError } from '@s3404/conformance/errors'`
 *
 * @example
 * ```ts
 * throw new ConformanceError('ERR_VECTORS_FILTER', { params: { filter: 'FORM-9' } })
 * ```
 * @public
 */
export class ConformanceError extends S3404Error<ConformanceErrorCode> {
  constructor(code: ConformanceErrorCode, options: S3404ErrorOptions = {}) {
    super(CONFORMANCE_ERRORS, code, options);
  }
}

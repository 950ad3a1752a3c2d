import { CORE_ERRORS, type CoreErrorCode } from './core-errors.js';
import { S3404Error, type S3404ErrorOptions } from './s3404-error.js';

/**
 * A coded error of `@s3404/core`: a value canonical JSON cannot hold,
 * a file that cannot be read or written.
 *
 * `import { CoreError } from '@s3404/core'`
 *
 * @public
 */
export class CoreError extends S3404Error<CoreErrorCode> {
  constructor(code: CoreErrorCode, options: S3404ErrorOptions = {}) {
    super(CORE_ERRORS, code, options);
  }
}

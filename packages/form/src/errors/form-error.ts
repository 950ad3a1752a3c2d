import { S3404Error, type S3404ErrorOptions } from '@s3404/core';
import { FORM_ERRORS, type FormErrorCode } from './form-errors.js';

/**
 * A coded error of `@s3404/form` (FORM-2…FORM-7, X-2): an unreadable input
 * (kind `input`: JSON, encoding, size, PDF), an invalid bordereau
 * (`ERR_BORDEREAU_INVALID`, kind `verdict`, with every problem in `issues`),
 * or a rendering or placement the SDK refuses (kind `verdict`).
 *
 * `import { FormError } from '@s3404/form/errors'`
 *
 * @example
 * ```ts
 * try { parseBordereau(json) } catch (e) {
 *   if (e instanceof FormError && e.code === 'ERR_BORDEREAU_INVALID') for (const i of e.issues) console.log(i.code, i.message)
 * }
 * ```
 * @public
 */
export class FormError extends S3404Error<FormErrorCode> {
  constructor(code: FormErrorCode, options: S3404ErrorOptions = {}) {
    super(FORM_ERRORS, code, options);
  }
}

/**
 * `@s3404/form/errors` — the coded errors of `@s3404/form`: its
 * catalogue and its error class.
 *
 * The shared basics (`S3404Error`, `Issue`, `Locale`, `formatPath`…) now
 * live in `@s3404/core`; they are re-exported here for one release.
 *
 * @packageDocumentation
 */
export { FORM_ERRORS, type FormErrorCode } from './form-errors.js';
export { FormError } from './form-error.js';
/** @deprecated Import from `@s3404/core`; this re-export goes in the next release. */
export { S3404Error, formatPath, DEFAULT_LOCALE, type Issue, type Locale } from '@s3404/core';

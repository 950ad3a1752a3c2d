/**
 * `@s3404/capture/errors` — the coded errors of `@s3404/capture`: its
 * catalogue {@link CAPTURE_ERRORS} (every code with its kind and its French
 * and English message) and its error class {@link CaptureError}. The shared
 * basics (`S3404Error`, `isS3404Error`, `Locale`) live in `@s3404/core`.
 *
 * @packageDocumentation
 */
export { CAPTURE_ERRORS, type CaptureErrorCode } from './capture-errors.js';
export { CaptureError } from './capture-error.js';

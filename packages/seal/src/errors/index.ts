/**
 * `@s3404/seal/errors` — the coded errors of `@s3404/seal`: its
 * catalogue {@link SEAL_ERRORS} (every code with its kind and its French and
 * English message) and its error class {@link SealError}. The shared basics
 * (`S3404Error`, `isS3404Error`, `Issue`, `Locale`) live in `@s3404/core`.
 *
 * @packageDocumentation
 */
export { SEAL_ERRORS, type SealErrorCode } from './seal-errors.js';
export { SealError } from './seal-error.js';

/**
 * `@s3404/scor/errors` — the coded errors and issues of the SCOR package
 * its catalogue {@link SCOR_ERRORS} (every code with its kind and its
 * French and English message) and its error class {@link ScorError}. The
 * shared basics (`S3404Error`, `isS3404Error`, `Issue`, `Locale`) live in
 * `@s3404/core`.
 *
 * @packageDocumentation
 */
export { SCOR_ERRORS, type ScorErrorCode } from './scor-errors.js';
export { ScorError, type ScorErrorOptions, type ScorIssue } from './scor-error.js';

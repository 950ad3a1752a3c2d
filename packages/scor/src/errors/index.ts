/**
 * `@s3404/scor/errors` — the coded errors and issues of the SCOR package.
 *
 * @packageDocumentation
 */
export { ScorError, type ScorIssue } from './scor-error.js';
export { SCOR_MESSAGES, scorMessage, type ScorErrorCode, type ScorMessageParams } from './messages.js';
export { S3404Error } from '@s3404/form/errors';

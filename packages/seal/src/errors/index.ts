/**
 * `@s3404/seal/errors` — the coded errors of the seal package.
 *
 * @packageDocumentation
 */
export { SealError } from './seal-error.js';
export { SEAL_MESSAGES, sealMessage, type SealErrorCode, type SealMessageParams } from './messages.js';
export { S3404Error } from '@s3404/form/errors';

/**
 * `@s3404/form/errors` — the coded errors shared by every s3404 package.
 *
 * @packageDocumentation
 */
export { S3404Error, ValidationError, InputError, RenderError } from './s3404-error.js';
export { formatPath, type Issue } from './issue.js';
export { messageFor, MESSAGES, type MessageParams, type MessageTemplate } from './messages.js';
export { DEFAULT_LOCALE, type Locale } from './locale.js';

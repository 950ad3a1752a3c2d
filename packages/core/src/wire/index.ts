/**
 * `@s3404/core/wire` — the documented wire format between the signing tablet
 * and the server (SIG-1, SIG-2): the context the server sends
 * ({@link ContextMessage}), the capture the tablet sends back
 * ({@link CaptureMessage}, built with {@link createCaptureMessage}), the error
 * the server answers ({@link ErrorMessage}), and their JSON Schemas
 * (2020-12). The capture echoes the whole context, its token and its display
 * included: the server finds the context it issued by the token's nonce
 * (single use) and refuses a capture whose context it did not issue
 * (`ERR_CONTEXT_UNKNOWN`), that expired (`ERR_CONTEXT_EXPIRED`) or that
 * differs from it in any field — display altered, other terminal…
 * (`ERR_CONTEXT_MISMATCH` with `params.field`).
 *
 * Plain data only: zero dependencies, no Node API and no DOM types, so the
 * tablet (`@s3404/capture`) and the server (`@s3404/seal`) share it.
 *
 * @packageDocumentation
 */
export { WIRE_VERSION, WIRE_MESSAGE_TYPES } from './wire-version.js';
export type { WireContext, WireDisplay, WireScope } from './wire-context.js';
export type { ContextMessage, WireLimits } from './context-message.js';
export type { CaptureMessage, WirePoint, WireStroke } from './capture-message.js';
export type { ErrorMessage, WireIssue } from './error-message.js';
export type { JsonSchema } from './schema-parts.js';
export { CONTEXT_MESSAGE_SCHEMA } from './context-message-schema.js';
export { CAPTURE_MESSAGE_SCHEMA } from './capture-message-schema.js';
export { ERROR_MESSAGE_SCHEMA } from './error-message-schema.js';
export { createCaptureMessage, type CapturedSignature } from './create-capture-message.js';

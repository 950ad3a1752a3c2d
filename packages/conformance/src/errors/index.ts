/**
 * `@s3404/conformance/errors` — the coded errors of the conformance runner
 * its catalogue {@link CONFORMANCE_ERRORS} and its error class
 * {@link ConformanceError}.
 *
 * @packageDocumentation
 */
export { CONFORMANCE_ERRORS, type ConformanceErrorCode } from './conformance-errors.js';
export { ConformanceError } from './conformance-error.js';

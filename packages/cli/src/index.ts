/**
 * `@s3404/cli` — the `s3404` command, usable programmatically (Node only):
 * `run(argv, io)` and the command's own error catalogue.
 *
 * @packageDocumentation
 */
export { run } from './main.js';
export type { Io } from './io.js';
export { CLI_ERRORS, CliError, type CliErrorCode } from './errors.js';
export { VERSION } from './version.js';

/**
 * `@s3404/cli` — the `s3404` command, usable programmatically (Node only).
 *
 * @packageDocumentation
 */
export { run } from './main.js';
export type { Io } from './io.js';

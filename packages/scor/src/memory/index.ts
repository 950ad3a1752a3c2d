/**
 * `@s3404/scor/memory` — a lot store in memory, for tests, demos and a
 * browser (SCOR-3). Runtime-agnostic.
 *
 * @packageDocumentation
 */
export { MemoryLotStore } from './memory-lot-store.js';

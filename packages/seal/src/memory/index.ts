/**
 * `@s3404/seal/memory` — the in-memory consumption store (SIG-5, SIG-6).
 *
 * @packageDocumentation
 */
export { MemoryConsumptionStore, type MemoryStoreOptions } from './memory-store.js';

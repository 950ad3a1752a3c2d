/**
 * `@s3404/seal/redis` — the Redis consumption store: pending records and the
 * consumption ledger shared by every process on one Redis, each atomic step
 * one Lua script (SIG-5, SIG-6); and a key holder for the data keys of
 * pending records on a Redis that keeps nothing on disk (SIG-6); and the
 * capture contexts shown and not yet used, shared by a fleet (SIG-1). Node only;
 * needs the optional peer `ioredis`.
 *
 * @packageDocumentation
 */
export { RedisConsumptionStore, type RedisClientLike, type RedisStoreOptions } from './redis-store.js';
export { RedisKeyHolder, type RedisKeyClientLike, type RedisKeyHolderOptions } from './redis-key-holder.js';
export { RedisContextRegistry, type RedisContextRegistryOptions } from './redis-context-registry.js';

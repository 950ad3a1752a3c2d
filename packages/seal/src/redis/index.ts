/**
 * `@s3404/seal/redis` — the Redis consumption store: pending records and the
 * consumption ledger shared by every process on one Redis, each atomic step
 * one Lua script (SIG-5, SIG-6). Node only; needs the optional peer `ioredis`.
 *
 * @packageDocumentation
 */
export { RedisConsumptionStore, type RedisClientLike, type RedisStoreOptions } from './redis-store.js';

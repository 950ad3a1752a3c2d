/**
 * `@s3404/core/redis` — the Redis lease of the maintenance runner (issue
 * 19): `RedisLease`, over the application's ioredis client (core loads no
 * driver). See `@s3404/core/maintenance` and `docs/maintenance.md`.
 *
 * @packageDocumentation
 */
export { RedisLease, type RedisLeaseClient, type RedisLeaseOptions } from '../stores/redis-lease.js';

// The SDK's shared key holder through the adapter path: each namespace a key prefix of its own on the tests' Redis.
import { defineAdapter } from '@s3404/conformance/contracts';
import { RedisKeyHolder } from '@s3404/seal/redis';

const url = process.env.S3404_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export default defineAdapter({
  name: 'redis-keys',
  keyHolder: ({ namespace }) => RedisKeyHolder.open({ url, prefix: `${namespace}:` }),
});

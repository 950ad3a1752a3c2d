// The SDK's Redis store through the adapter path: the keys of each namespace under their own prefix
// (S3404_TEST_REDIS_URL, default the local server), emptied after the run through the store itself.
import { defineAdapter } from '@s3404/conformance/contracts';
import { RedisConsumptionStore } from '@s3404/seal/redis';

const url = process.env.S3404_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const open = ({ namespace }) => RedisConsumptionStore.open({ url, prefix: `${namespace}:` });
const FAR = new Date('9999-01-01T00:00:00.000Z');

export default defineAdapter({
  name: 'redis',
  processes: 4,
  consumptionStore: open,
  cleanup: async (context) => {
    const store = await open(context);
    try {
      await store.sweep({ expiredAt: FAR, claimedBefore: FAR });
      await store.purgeTombstones({ before: FAR });
    } finally {
      await store.close();
    }
  },
});

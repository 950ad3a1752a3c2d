// The SDK's in-memory store, from a module that writes to stdout and stderr as it loads and runs.
import { defineAdapter } from '@s3404/conformance/contracts';
import { MemoryConsumptionStore } from '@s3404/seal/memory';

console.log('{"t":"report","report":{"ok":true}}');
console.error('adapter loading');

export default defineAdapter({
  name: 'noisy-memory',
  processes: 1,
  consumptionStore: () => {
    console.log('opening a store');
    return new MemoryConsumptionStore();
  },
});

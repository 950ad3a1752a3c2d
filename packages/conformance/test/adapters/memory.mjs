// The SDK's in-memory store through the adapter path: one process (its data dies with it).
import { defineAdapter } from '@s3404/conformance/contracts';
import { MemoryConsumptionStore } from '@s3404/seal/memory';

export default defineAdapter({
  name: 'memory',
  processes: 1,
  consumptionStore: () => new MemoryConsumptionStore(),
});

// A store that blocks its process for ever on the first claim (a synchronous loop: no timer can fire).
import { defineAdapter } from '@s3404/conformance/contracts';
import { MemoryConsumptionStore } from '@s3404/seal/memory';

class LoopingStore extends MemoryConsumptionStore {
  claim() {
    while (true) {}
  }
}

export default defineAdapter({
  name: 'loops-in-store',
  processes: 1,
  consumptionStore: () => new LoopingStore(),
});

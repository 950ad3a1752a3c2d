import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { storeContract } from './store-contract.js';

storeContract({ name: 'memory', open: async () => new MemoryConsumptionStore() });

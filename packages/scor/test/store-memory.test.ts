import { MemoryLotStore } from '@s3404/scor/memory';
import { lotStoreContract } from './lot-store-contract.js';

lotStoreContract({ name: 'memory', open: () => MemoryLotStore.open() });

import { MemoryAuditStore } from '@s3404/audit/memory';
import { storeContract } from './store-contract.js';

storeContract('memory', async () => {
  let store: MemoryAuditStore | undefined;
  return {
    open: async () => (store = new MemoryAuditStore()),
    reopen: async () => store!,
    cleanup: async () => undefined,
  };
});

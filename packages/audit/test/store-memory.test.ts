import { describe, expect, it } from 'vitest';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { storeContract } from './store-contract.js';

describe('memory audit store specifics (AUD-2)', () => {
  it('opens asynchronously like every store, and closes idempotently', async () => {
    const store = await MemoryAuditStore.open();
    expect(store).toBeInstanceOf(MemoryAuditStore);
    expect(store.size).toBe(0);
    await store.close();
    await store.close();
  });
});

storeContract('memory', async () => {
  let store: MemoryAuditStore | undefined;
  return {
    open: async () => (store = new MemoryAuditStore()),
    reopen: async () => store!,
    cleanup: async () => undefined,
  };
});

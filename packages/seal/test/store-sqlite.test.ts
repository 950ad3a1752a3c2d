import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 's3404-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract({
  name: 'sqlite',
  open: async () => SqliteConsumptionStore.open({ path: join(dir, `store-${n++}.sqlite`) }),
  broken: async () => {
    const store = await SqliteConsumptionStore.open({ path: join(dir, `closed-${n++}.sqlite`) });
    await store.close();
    return store;
  },
});

describe('sqlite store specifics', () => {
  it('refuses malformed options with a TypeError', async () => {
    await expect(SqliteConsumptionStore.open({ path: '' })).rejects.toThrow(TypeError);
    await expect(SqliteConsumptionStore.open({ path: join(dir, 'x.sqlite'), synchronous: 'off' as never })).rejects.toThrow(TypeError);
  });

  it('leaves no image bytes in the file once a pending record is deleted (secure_delete)', async () => {
    const path = join(dir, 'secure.sqlite');
    const store = await SqliteConsumptionStore.open({ path });
    const marker = new TextEncoder().encode('IMAGE-MARKER-'.repeat(400));
    const recordId = '0f0e0d0c-0b0a-4908-8706-050403020100';
    await store.putPending({ recordId, digest: 'a'.repeat(64), bytes: marker, expiresAt: '2026-03-20T10:30:00.000Z' });
    await store.claim({ recordId, digest: 'a'.repeat(64), target: 'bordereau:x', requestId: 'r', consumer: 'c', claimedAt: '2026-03-20T10:00:00.000Z' });
    await store.complete({ recordId, requestId: 'r', at: '2026-03-20T10:00:01.000Z' });
    await store.close();
    const files = [path, `${path}-wal`].flatMap((p) => {
      try {
        return [readFileSync(p)];
      } catch {
        return [];
      }
    });
    expect(files.some((b) => b.includes(Buffer.from('IMAGE-MARKER-IMAGE-MARKER')))).toBe(false);
  });
});

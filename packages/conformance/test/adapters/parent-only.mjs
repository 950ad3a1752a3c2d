// An adapter whose store opens in the parent but not in the race's worker processes (e.g. a
// connection string only the parent's environment has): the race must fail, not hang.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineAdapter } from '@s3404/conformance/contracts';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';

const file = ({ namespace }) => join(tmpdir(), `${namespace}.sqlite`);
const inWorker = process.argv.some((a) => a.includes('race-worker'));

export default defineAdapter({
  name: 'parent-only',
  processes: 2,
  consumptionStore: (context) => {
    if (inWorker) throw new Error('S3404_TEST_DSN is not set in this process');
    return SqliteConsumptionStore.open({ path: file(context) });
  },
  cleanup: async (context) => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${file(context)}${suffix}`, { force: true });
  },
});

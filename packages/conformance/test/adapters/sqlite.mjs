// The SDK's embedded SQLite store through the adapter path: one file per namespace in the temp dir,
// shared by every process of a race.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineAdapter } from '@s3404/conformance/contracts';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';

const file = ({ namespace }) => join(tmpdir(), `${namespace}.sqlite`);

export default defineAdapter({
  name: 'sqlite',
  processes: 4,
  consumptionStore: (context) => SqliteConsumptionStore.open({ path: file(context) }),
  cleanup: async (context) => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${file(context)}${suffix}`, { force: true });
  },
});

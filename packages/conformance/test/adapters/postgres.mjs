// The SDK's PostgreSQL store through the adapter path: the tables of each namespace under their
// own prefix (S3404_TEST_POSTGRES_URL, default the local test database), dropped after the run.
import { defineAdapter } from '@s3404/conformance/contracts';
import { PostgresConsumptionStore } from '@s3404/seal/postgres';

const connectionString = process.env.S3404_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const open = ({ namespace }) => PostgresConsumptionStore.open({ connectionString, tablePrefix: `${namespace}_` });

export default defineAdapter({
  name: 'postgres',
  processes: 4,
  consumptionStore: open,
  cleanup: async (context) => {
    const store = await open(context);
    try {
      await store.dropTables();
    } finally {
      await store.close();
    }
  },
});

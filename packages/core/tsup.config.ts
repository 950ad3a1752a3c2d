import { packageConfig } from '@s3404/tooling/tsup';

export default packageConfig({
  index: 'src/index.ts',
  'node/index': 'src/node/index.ts',
  'stores/index': 'src/stores/index.ts',
  'pdf/index': 'src/pdf/index.ts',
  'wire/index': 'src/wire/index.ts',
  'otel/index': 'src/otel/index.ts',
  'maintenance/index': 'src/maintenance/index.ts',
  'postgres/index': 'src/postgres/index.ts',
  'redis/index': 'src/redis/index.ts',
});

import { packageConfig } from '@s3404/tooling/tsup';

export default packageConfig({
  index: 'src/index.ts',
  'errors/index': 'src/errors/index.ts',
  'pki/index': 'src/pki/index.ts',
  'memory/index': 'src/memory/index.ts',
  'sqlite/index': 'src/sqlite/index.ts',
  'postgres/index': 'src/postgres/index.ts',
  'redis/index': 'src/redis/index.ts',
  'apply/index': 'src/apply/index.ts',
  'pades/index': 'src/pades/index.ts',
  'stores/index': 'src/stores/index.ts',
  'pkcs11/index': 'src/pkcs11/index.ts',
});

import { packageConfig } from '@s3404/tooling/tsup';

export default packageConfig({
  index: 'src/index.ts',
  'errors/index': 'src/errors/index.ts',
  'memory/index': 'src/memory/index.ts',
  'file/index': 'src/file/index.ts',
  'file/verify-worker': 'src/file/verify-worker.ts',
  'postgres/index': 'src/postgres/index.ts',
});

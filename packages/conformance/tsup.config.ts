import { packageConfig } from '@s3404/tooling/tsup';

export default packageConfig({
  index: 'src/index.ts',
  'errors/index': 'src/errors/index.ts',
  'packages-sdk/index': 'src/packages-sdk/index.ts',
});

import { cpSync } from 'node:fs';
import { packageConfig } from '@s3404/tooling/tsup';

// Node-only package: the CLI. The example bordereaux ship inside it for `s3404 demo`.
export default packageConfig(
  { index: 'src/index.ts', bin: 'src/bin.ts' },
  {
    platform: 'node',
    onSuccess: async () => {
      cpSync('../../examples/data', 'dist/examples', { recursive: true });
    },
  },
);

import { packageConfig } from '@s3404/tooling/tsup';

export default packageConfig({
  index: 'src/index.ts',
  'errors/index': 'src/errors/index.ts',
  'packages-sdk/index': 'src/packages-sdk/index.ts',
  'contracts/index': 'src/contracts/index.ts',
  'node/index': 'src/node/index.ts',
  // The worker process of the race and crash trials (not an entry point of the API).
  'node/race-worker': 'src/node/race-worker.ts',
  // The supervised process that loads and runs a vendor's adapter module.
  'node/adapter-run-worker': 'src/node/adapter-run-worker.ts',
});

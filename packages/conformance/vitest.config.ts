import { packageTestConfig } from '@s3404/tooling/vitest';

export default packageTestConfig();

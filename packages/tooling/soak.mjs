#!/usr/bin/env node
/**
 * The long soaks, opt-in (`pnpm run test:soak`): the kill-and-recover and disk-evidence tests with
 * many more trials than `pnpm test` runs (12 each, to keep the suite under 20 minutes).
 *
 *   pnpm run test:soak                 # 200 trials each
 *   pnpm run test:soak -- --trials 3   # a quick pass, e.g. from CI
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const at = args.indexOf('--trials');
const trials = at >= 0 ? Number(args[at + 1]) : 200;
if (!Number.isInteger(trials) || trials < 1) {
  console.error('--trials attend un entier ≥ 1 (--trials expects an integer ≥ 1)');
  process.exit(2);
}
const env = {
  ...process.env,
  S3404_CRASH_TRIALS: String(trials),
  S3404_SHRED_TRIALS: String(trials),
  S3404_LOCK_TRIALS: String(Math.max(1, Math.round(trials / 10))),
  S3404_RACE_RECORDS: process.env.S3404_RACE_RECORDS ?? '1000',
};
const runs = [
  ['@s3404/seal', ['test/multiprocess.test.ts', 'test/shred-disk.test.ts']],
  ['@s3404/audit', ['test/store-file.test.ts', 'test/lock.test.ts']],
];
for (const [pkg, files] of runs) {
  console.log(`\n# ${pkg}: ${files.join(' ')} (${trials} trials)`);
  const r = spawnSync('pnpm', ['--filter', pkg, 'exec', 'vitest', 'run', ...files], { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

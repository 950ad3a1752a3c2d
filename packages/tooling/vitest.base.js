// @ts-check
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests import packages by their public name (`@s3404/form`); the
 * `@s3404/source` export condition resolves them to their TypeScript
 * sources, so tests run without a build and still go through the exports map.
 */
const conditions = ['@s3404/source', 'module', 'node', 'development|production'];

/**
 * Test files run in parallel on every core, and at least two at once: vitest's
 * own default (cores − 1) runs one file at a time on a 2-core machine, where
 * most files wait on child processes, PostgreSQL or Redis rather than on the
 * CPU. `S3404_TEST_WORKERS` overrides it (1 to run files one by one).
 */
const maxWorkers = Number(process.env.S3404_TEST_WORKERS) || Math.max(2, availableParallelism());

/**
 * @param {import('vitest/config').ViteUserConfig['test']} [overrides]
 */
export function packageTestConfig(overrides = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
      maxWorkers,
      ...overrides,
    },
  });
}

// @ts-check
import { defineConfig } from 'vitest/config';

/**
 * Tests import packages by their public name (`@s3404/form`); the
 * `@s3404/source` export condition resolves them to their TypeScript
 * sources, so tests run without a build and still go through the exports map.
 */
const conditions = ['@s3404/source', 'module', 'node', 'development|production'];

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
      ...overrides,
    },
  });
}

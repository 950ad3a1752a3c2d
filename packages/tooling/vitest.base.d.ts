import type { ViteUserConfig } from 'vitest/config';

export function packageTestConfig(overrides?: ViteUserConfig['test']): ViteUserConfig;

import type { Options } from 'tsup';

export function packageConfig(entry: Record<string, string>, overrides?: Partial<Options>): Options;

import { consumeArgs } from './record-consume.js';

export const recordArgs = (args: readonly string[]): string[] => [...args];
export const record = (args: readonly string[]): string => consumeArgs(args).join(',');

import { recordArgs } from './record.js';

export const consumeArgs = (args: readonly string[]): string[] => recordArgs(args).reverse();

// An example imports the packages as a user would.
import { hex } from '../packages/core/src/internal/hex.js';

export const fromExample = hex;

// A relative path out of the package, into another package's internals.
import { hex } from '../../core/src/internal/hex.js';

export const escaped = hex;

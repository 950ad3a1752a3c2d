// A test may import its own package, not another package's internals.
import { hex } from '../../core/src/internal/hex.js';

export const fromTest = hex;

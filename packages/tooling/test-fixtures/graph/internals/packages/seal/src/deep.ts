// A deep import: core's exports map has no such subpath.
import { hex } from '@s3404/core/src/internal/hex.js';

export const deep = hex;

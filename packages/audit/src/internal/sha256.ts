import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import type { Sha256 } from '@s3404/core';

/**
 * The default SHA-256 of the package (AUD-2): @noble/hashes, pure, any
 * runtime. Node users may inject the native one (`nodeSha256` from
 * `@s3404/core/node`).
 */
export const defaultSha256: Sha256 = (data) => nobleSha256(data);

/** The `prev` of the first event: 64 zeros. */
export const ZERO_HASH = '0'.repeat(64);

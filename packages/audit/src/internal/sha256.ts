import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { builtinSha256, type Sha256 } from '@s3404/core';

/**
 * The default SHA-256 of the package (AUD-2): the runtime's native one
 * where it has `process.getBuiltinModule` (Node 20.16+, Bun, Deno), else
 * @noble/hashes, pure, any runtime. The digests are the same.
 */
export const defaultSha256: Sha256 = builtinSha256() ?? ((data) => nobleSha256(data));

/** The `prev` of the first event: 64 zeros. */
export const ZERO_HASH = '0'.repeat(64);

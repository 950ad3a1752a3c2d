import * as crypto from 'node:crypto';
import { sha256Of } from '../bytes/builtin-sha256.js';
import type { Sha256 } from '../bytes/sha256.js';

/**
 * Node's native SHA-256 in the SDK's {@link Sha256} shape (AUD-2, SCOR-2):
 * synchronous, several times faster than a pure implementation. Pass it as
 * `sha256` where an option takes one; results are identical. (Where the
 * runtime has `process.getBuiltinModule`, the packages' defaults already
 * use it: `builtinSha256` of `@s3404/core`.)
 *
 * The one-shot `crypto.hash` gives hex, decoded into a small typed array on
 * the engine's own heap: at a million digests (a trace verified), a native
 * buffer per digest costs more in garbage collection than the hashing
 * (issue 19). `createHash` where the runtime has no `crypto.hash`.
 *
 * `import { nodeSha256 } from '@s3404/core/node'`
 *
 * @public
 */
export const nodeSha256: Sha256 = sha256Of(crypto as unknown as Parameters<typeof sha256Of>[0]);

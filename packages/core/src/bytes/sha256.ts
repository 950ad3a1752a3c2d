/**
 * The one SHA-256 shape of the SDK (AUD-2, SCOR-2): bytes in, the 32-byte
 * digest out, synchronously, so a hash chain hashes inline. Inject Node's
 * native one (`nodeSha256` from `@s3404/core/node`) where speed matters;
 * every package has a pure default that runs anywhere.
 *
 * `import type { Sha256 } from '@s3404/core'`
 *
 * @example
 * ```ts
 * import { nodeSha256 } from '@s3404/core/node'
 * const log = createAuditLog({ store, sha256: nodeSha256 })
 * ```
 * @public
 */
export type Sha256 = ((data: Uint8Array) => Uint8Array) & {
  /**
   * Optional: the same digest as 64 lowercase hex digits, for callers that
   * want the text (an audit event's `hash`) without the bytes' round trip
   * (issue 19). `nodeSha256` and `builtinSha256()` have it; a function
   * without it is hashed and written in hex by the caller.
   */
  readonly hex?: ((data: Uint8Array) => string) | undefined;
};

/**
 * The runtime-neutral primitives of the core under test (X-1, X-3): those of
 * `@s3404/core` (`canonicalJson`, `toBase64`, `fromBase64`, `toBase64url`,
 * `fromBase64url`, `toHex`, `fromHex`) and a SHA-256 over Web Crypto, or a
 * vendor's own. The same vectors give the same expected bytes in Node, a
 * browser, Deno and Bun: that each runtime answers them is X-1's evidence.
 * The decoders answer `null` for a text that is not strictly their encoding;
 * `canonicalJson` throws a coded error for a value JSON cannot hold.
 *
 * `import type { ConformanceCoreSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { canonicalJson, fromBase64, fromBase64url, fromHex, toBase64, toBase64url, toHex } from '@s3404/core'
 * const core: ConformanceCoreSdk = { canonicalJson, toBase64, fromBase64, toBase64url, fromBase64url, toHex, fromHex,
 *   sha256: async (b) => new Uint8Array(await crypto.subtle.digest('SHA-256', b)) }
 * ```
 * @public
 */
export interface ConformanceCoreSdk {
  readonly canonicalJson: (value: unknown) => string;
  readonly toBase64: (bytes: Uint8Array) => string;
  readonly fromBase64: (text: string) => Uint8Array | null;
  readonly toBase64url: (bytes: Uint8Array) => string;
  readonly fromBase64url: (text: string) => Uint8Array | null;
  readonly toHex: (bytes: Uint8Array) => string;
  readonly fromHex: (text: string) => Uint8Array | null;
  readonly sha256: (bytes: Uint8Array) => Promise<Uint8Array>;
}

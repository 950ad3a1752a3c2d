/** Options of {@link TimeStamper.timestamp} (SIG-3, AUD-2). @public */
export interface TimeStampOptions {
  /** Hash the digest was made with. Only `SHA-256`, the default, is defined. */
  readonly hash?: 'SHA-256';
}

/**
 * A source of RFC 3161 time-stamp tokens (SIG-3, AUD-2): the one
 * time-stamping interface of the SDK. `@s3404/seal` implements it over HTTP
 * (`createHttpTimeStamper`, a TSA's URL) and in memory for development and
 * tests (`createDevelopmentTsa`); `@s3404/audit` can time-stamp its
 * checkpoints with it without depending on `@s3404/seal`. A vendor may plug
 * a qualified TSA client of its own.
 *
 * A token proves that the digest existed at its `genTime`; check it with
 * `verifyTimeStampToken` of `@s3404/seal` (signature, imprint, TSA
 * certificate with the timeStamping usage, chain to a trust anchor).
 *
 * `import type { TimeStamper } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const stamper: TimeStamper = createHttpTimeStamper({ url: 'https://tsa.example.fr/tsp' })   // @s3404/seal
 * const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', checkpointBytes))
 * const token = await stamper.timestamp(digest)   // DER ContentInfo (RFC 3161 §2.4.2)
 * ```
 * @public
 */
export interface TimeStamper {
  /** Human name of the source for reports, e.g. the TSA URL or "TSA de développement (en mémoire)". */
  readonly name: string;
  /**
   * A TimeStampToken (DER ContentInfo of SignedData over TSTInfo, RFC 3161
   * §2.4.2) over this SHA-256 digest (32 bytes). Implementations throw their
   * package's coded errors (e.g. seal's `ERR_TSA_UNAVAILABLE`, kind
   * `unavailable`: retry later).
   */
  timestamp(digest: Uint8Array, options?: TimeStampOptions): Promise<Uint8Array>;
}

/**
 * What a time-stamp token check found (AUD-2, AUD-4, SIG-3): `valid` — the
 * token is an RFC 3161 TimeStampToken over the digest, signed by a TSA that
 * chains to a trust anchor — with its `genTime` (ISO 8601 UTC) and `tsa`
 * (the TSA certificate's subject); or `invalid` with a stable `code` and a
 * fixed `message`.
 *
 * `import type { TimeStampCheck } from '@s3404/core'`
 *
 * @public
 */
export type TimeStampCheck =
  | { readonly status: 'valid'; readonly genTime: string; readonly tsa: string }
  | { readonly status: 'invalid'; readonly code: string; readonly message: string };

/**
 * Checks an RFC 3161 time-stamp token made by a {@link TimeStamper} (AUD-2,
 * AUD-4; RFC 3161 §2.4.2): `@s3404/seal` implements it against the trust
 * anchors of the TSAs (`createTimeStampVerifier`), so that `@s3404/audit`
 * can check its checkpoints' tokens without depending on `@s3404/seal`.
 * Never throws for a bad token: the {@link TimeStampCheck} says why.
 *
 * `import type { TimeStampVerifier } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const timeStampVerifier = createTimeStampVerifier({ trust: [tsaRootDer] })   // @s3404/seal
 * const check = await timeStampVerifier.verify(token, sha256(signature))       // { status: 'valid', genTime, tsa }
 * const report = await log.verify({ verifier, timeStampVerifier })            // @s3404/audit
 * ```
 * @public
 */
export interface TimeStampVerifier {
  /**
   * Checks `token` (DER ContentInfo) for `digest` (the SHA-256, 32 bytes, of
   * what was time-stamped): imprint, TSA signature, timeStamping usage,
   * chain to a trust anchor.
   */
  verify(token: Uint8Array, digest: Uint8Array): Promise<TimeStampCheck>;
}

import { randomBytes, resolveRandom, type RandomSource } from '@s3404/core';
import { encodeDigestAlgorithm } from '../internal/algorithms.js';
import { encodeMessageImprint, encodeRequest } from './tsp-der.js';

/** Options of {@link encodeTimeStampRequest} (SIG-3, AUD-2, RFC 3161 §2.4.1). @public */
export interface EncodeTimeStampRequestOptions {
  /** The SHA-256 digest (32 bytes) of the data to time-stamp: the messageImprint. */
  readonly digest: Uint8Array;
  /** The nonce, unsigned big-endian, 1 to 32 bytes. Default: 8 random bytes (a 64-bit nonce) from `random`. */
  readonly nonce?: Uint8Array;
  /** Ask the TSA to put its certificate in the token. Default `true`. */
  readonly certReq?: boolean;
  /** Random source of the default nonce. Default: Web Crypto's CSPRNG. */
  readonly random?: RandomSource;
}

/**
 * Encodes a TimeStampReq (RFC 3161 §2.4.1, DER): version 1, a SHA-256
 * messageImprint of `digest`, a nonce (64 random bits unless given) and
 * `certReq` (true unless asked otherwise); no policy, no extensions. Send it
 * as `application/timestamp-query` to any RFC 3161 TSA, e.g.
 * `openssl ts -reply -queryfile req.tsq`; {@link createHttpTimeStamper} does
 * it for you and checks the reply.
 *
 * `import { encodeTimeStampRequest } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data))
 * const nonce = crypto.getRandomValues(new Uint8Array(8))
 * const tsq = encodeTimeStampRequest({ digest, nonce })   // POST it, application/timestamp-query
 * ```
 * @throws TypeError when `digest` is not 32 bytes, `nonce` not 1 to 32 bytes or `certReq` not a boolean.
 * @public
 */
export function encodeTimeStampRequest(options: EncodeTimeStampRequestOptions): Uint8Array {
  if (options === null || typeof options !== 'object') throw new TypeError('encodeTimeStampRequest: options are required');
  const { digest, nonce, certReq = true } = options;
  if (!(digest instanceof Uint8Array) || digest.length !== 32)
    throw new TypeError('encodeTimeStampRequest: digest must be a SHA-256 digest (Uint8Array of 32 bytes)');
  if (nonce !== undefined && (!(nonce instanceof Uint8Array) || nonce.length < 1 || nonce.length > 32)) {
    throw new TypeError('encodeTimeStampRequest: nonce must be a Uint8Array of 1 to 32 bytes');
  }
  if (typeof certReq !== 'boolean') throw new TypeError('encodeTimeStampRequest: certReq must be a boolean');
  const n = nonce ?? randomBytes(resolveRandom(options.random), 8);
  return encodeRequest(encodeMessageImprint(encodeDigestAlgorithm('SHA-256'), digest), n, certReq);
}

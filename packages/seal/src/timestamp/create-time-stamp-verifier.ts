import { resolveLocale, type Locale, type TimeStampCheck, type TimeStampVerifier } from '@s3404/core';
import type { CryptoProvider } from '../web-crypto.js';
import { verifyTimeStampToken } from './verify-time-stamp-token.js';

/** Options of {@link createTimeStampVerifier} (AUD-2, SIG-3). @public */
export interface TimeStampVerifierOptions {
  /** The trust anchors (DER CA certificates) the TSA certificates must chain to. */
  readonly trust: readonly Uint8Array[];
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of failure messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * Core's `TimeStampVerifier` over {@link verifyTimeStampToken} (AUD-2,
 * SIG-3; RFC 3161 §2.4.2): checks a token's imprint against the digest, the
 * TSA's signature, its sole timeStamping usage and its chain to `trust` at
 * the token's genTime, and answers with core's `TimeStampCheck` — `valid`
 * with `genTime` (ISO 8601 UTC) and `tsa` (the TSA certificate's subject),
 * or `invalid` with `ERR_TIMESTAMP_INVALID` and a fixed message naming the
 * failed check. `@s3404/audit` checks its checkpoints' tokens with it.
 * Never throws for a bad token.
 *
 * `import { createTimeStampVerifier } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const timeStampVerifier = createTimeStampVerifier({ trust: [tsaRootDer] })
 * const report = await log.verify({ verifier: createContentVerifier({ trustAnchors: [caDer] }), timeStampVerifier })  // @s3404/audit
 * ```
 * @throws TypeError without trust anchors; from `verify`, TypeError for a digest that is not 32 bytes, and
 * {@link SealError} `ERR_CERT_INVALID` when a trust anchor is unreadable.
 * @public
 */
export function createTimeStampVerifier(options: TimeStampVerifierOptions): TimeStampVerifier {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trust) || options.trust.length === 0) {
    throw new TypeError('createTimeStampVerifier: options.trust must list at least one DER certificate');
  }
  if (!options.trust.every((c) => c instanceof Uint8Array))
    throw new TypeError('createTimeStampVerifier: options.trust must hold DER certificates (Uint8Array)');
  const trust = [...options.trust];
  const locale = resolveLocale(options.locale);
  return {
    async verify(token, digest): Promise<TimeStampCheck> {
      const verdict = await verifyTimeStampToken(token, { digest, trust, locale, ...(options.crypto === undefined ? {} : { crypto: options.crypto }) });
      return verdict.ok
        ? { status: 'valid', genTime: verdict.genTime.toISOString(), tsa: verdict.tsaSubject }
        : { status: 'invalid', code: verdict.code, message: verdict.message };
    },
  };
}

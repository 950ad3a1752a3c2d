import type { ContentVerifier, Locale, Sha256, SignatureCheck } from '@s3404/core';
import type { ScorIssue } from '../errors/scor-error.js';
import type { LotManifest } from './manifest.js';

/** Options of {@link verifyLot} (SCOR-2). @public */
export interface VerifyLotOptions {
  /**
   * Checks the manifest's signature (`manifest.json.p7s`, a detached CMS),
   * e.g. `createContentVerifier({ trustAnchors })` of `@s3404/seal`. Without
   * it a signature present is reported `unchecked`.
   */
  readonly verifier?: ContentVerifier;
  /** Largest total of the files once extracted. Default 4 GiB. */
  readonly maxBytes?: number;
  /** SHA-256, e.g. `nodeSha256` of `@s3404/core/node`. Default: Web Crypto. */
  readonly sha256?: Sha256;
  /** Language of the issues. Default `'fr'`; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * What {@link verifyLot} found (SCOR-2): a verdict (`docs/conventions.md` §5).
 *
 * @public
 */
export interface LotVerification {
  /** The container opens, its manifest is valid, every file matches it, nothing else is there, and a signature checked is valid. */
  readonly ok: boolean;
  /** Every problem found (at most 200). */
  readonly issues: readonly ScorIssue[];
  readonly manifest: LotManifest | null;
  /** The manifest's signature: `none` (not signed), `unchecked` (no verifier given), `valid` or `invalid`. */
  readonly signature: SignatureCheck;
}

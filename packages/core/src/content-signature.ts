/**
 * What a signature check found (SIG-3, AUD-2, AUD-4, SCOR-2), the one shape
 * every report of the SDK uses:
 *
 * - `valid` — the signature verifies and its certificate chains to a trust
 *   anchor: `signer` (the certificate subject) and `signedAt` (its signing time);
 * - `invalid` — it does not: a stable `code` and a fixed `message`;
 * - `unchecked` — there is a signature but no verifier was given;
 * - `none` — there is nothing signed to check.
 *
 * `import type { SignatureCheck } from '@s3404/core'`
 *
 * @public
 */
export type SignatureCheck =
  | { readonly status: 'valid'; readonly signer: string; readonly signedAt?: string }
  | { readonly status: 'invalid'; readonly code: string; readonly message: string }
  | { readonly status: 'unchecked' }
  | { readonly status: 'none' };

/** Options of {@link ContentSigner.sign} (SIG-3). @public */
export interface SignContentOptions {
  /** Leave the content out of the CMS (a detached signature, given the content apart). Default `false`. */
  readonly detached?: boolean;
}

/**
 * "Sign these bytes, give me a CMS" (SIG-3, AUD-2, AUD-4, SCOR-2): the one
 * signing interface of the SDK. `@s3404/seal` implements it with the
 * establishment's seal key (`createContentSigner`); `@s3404/audit` signs its
 * checkpoints and export manifests with it, `@s3404/scor` its lot manifests,
 * without depending on `@s3404/seal`. A vendor may plug an HSM or a remote
 * signing service.
 *
 * `import type { ContentSigner } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const signer = await createContentSigner({ key, certificate })   // @s3404/seal
 * const log = createAuditLog({ store, signer })                     // @s3404/audit
 * ```
 * @public
 */
export interface ContentSigner {
  /** Who signs: the certificate subject, e.g. `CN=Clinique du Parc cachet, O=…`. */
  readonly subject: string;
  /** A CMS SignedData (RFC 5652, DER) over `content`. */
  sign(content: Uint8Array, options?: SignContentOptions): Promise<Uint8Array>;
}

/**
 * Options of {@link ContentVerifier.verify} (SIG-3, AUD-2, AUD-4).
 *
 * `import type { VerifyContentSignatureOptions } from '@s3404/core'`
 *
 * @public
 */
export interface VerifyContentSignatureOptions {
  /**
   * The validation time: the signer's certificate and its chain must be
   * valid at this instant too, and the signing time must not be after it
   * (plus the verifier's skew). Give the `genTime` of a verified time-stamp
   * token over the signature (AUD-2: the signature existed then, so it
   * still verifies after the certificate expired), or the present for a
   * signature whose only date is its signer's own clock. Default: none —
   * the chain is checked at the signature's signing time, as the signer
   * claims it.
   */
  readonly at?: Date;
}

/**
 * Checks a detached signature made by a {@link ContentSigner} (SIG-3, AUD-2,
 * AUD-4): `@s3404/seal` implements it against trust anchors
 * (`createContentVerifier`). Never throws for a bad signature: the
 * {@link SignatureCheck} says why.
 *
 * `import type { ContentVerifier } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const verifier = createContentVerifier({ trustAnchors: [caDer] })            // @s3404/seal
 * const check = await verifier.verify(body, signature, { at: new Date(genTime) }) // valid then, even if expired now
 * ```
 * @public
 */
export interface ContentVerifier {
  verify(
    content: Uint8Array,
    signature: Uint8Array,
    options?: VerifyContentSignatureOptions,
  ): Promise<Extract<SignatureCheck, { readonly status: 'valid' | 'invalid' }>>;
}

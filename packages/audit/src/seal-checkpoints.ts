import { createContentSealer, verifySealedContent, type ContentSealer, type ContentSealerOptions } from '@s3404/seal';
import type { CryptoProvider } from '@s3404/seal';
import type { Locale } from '@s3404/form/errors';
import type { CheckpointSigner, CheckpointVerifier } from './checkpoint.js';

/**
 * A {@link CheckpointSigner} that seals checkpoints and manifests with the
 * establishment key: a detached CMS SignedData (AUD-2, AUD-4), which
 * `openssl cms -verify -binary -inform DER -content BODY` checks.
 *
 * @example
 * ```ts
 * const signer = await sealCheckpointSigner({ key: readPemPrivateKey(keyPem), certificate: readPemCertificates(certPem)[0] })
 * const log = createAuditLog({ store, signer, origin: 'finess:750300360' })
 * ```
 * @public
 */
export async function sealCheckpointSigner(options: ContentSealerOptions | { readonly sealer: ContentSealer }): Promise<CheckpointSigner> {
  const sealer = 'sealer' in options ? options.sealer : await createContentSealer(options);
  return { sign: (body) => sealer.seal(body, { detached: true }) };
}

/** Options of {@link sealCheckpointVerifier} (AUD-2). @public */
export interface SealCheckpointVerifierOptions {
  /** The establishment's CA (DER certificates). */
  readonly trustAnchors: readonly Uint8Array[];
  /** Verification clock. Default: system clock. */
  readonly now?: () => Date;
  readonly crypto?: CryptoProvider;
  readonly locale?: Locale;
}

/**
 * A {@link CheckpointVerifier} for checkpoints sealed by
 * {@link sealCheckpointSigner}: signature, certificate chain to the anchors
 * at signing time (AUD-2, AUD-4).
 *
 * @public
 */
export function sealCheckpointVerifier(options: SealCheckpointVerifierOptions): CheckpointVerifier {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    throw new TypeError('sealCheckpointVerifier: options.trustAnchors must list at least one DER certificate');
  }
  return {
    async verify(body, signature) {
      const result = await verifySealedContent(signature, { ...options, content: body });
      return result.valid ? { valid: true, signer: result.signer.subject, signedAt: result.signingTime } : { valid: false, code: result.code, message: result.message };
    },
  };
}

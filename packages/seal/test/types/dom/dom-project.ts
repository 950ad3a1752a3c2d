/**
 * a browser project (the DOM library, no Node types, no skipLibCheck)
 * compiles against the runtime-neutral entries of the published `.d.ts`, and
 * the DOM's Web Crypto fits the seal's structural types.
 */
import * as seal from '@s3404/seal';
import type { CryptoProvider, SigningKey, SubtleCryptoLike, WebCryptoKey } from '@s3404/seal';
import * as errors from '@s3404/seal/errors';
import * as memory from '@s3404/seal/memory';
import * as pki from '@s3404/seal/pki';
import type { DevelopmentPkiCrypto } from '@s3404/seal/pki';

export const entries = [seal, errors, memory, pki];

// The DOM's crypto is a CryptoProvider, and the PKI's.
export const provider: CryptoProvider = crypto;
export const subtle: SubtleCryptoLike = crypto.subtle;
export const forPki: DevelopmentPkiCrypto = crypto;

// The DOM's CryptoKey is a WebCryptoKey: it makes a SigningKey.
export function keyOf(key: CryptoKey): SigningKey {
  const structural: WebCryptoKey = key;
  return seal.signingKeyFromCryptoKey(structural);
}

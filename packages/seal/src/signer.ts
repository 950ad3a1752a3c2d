import type { Locale } from '@s3404/form/errors';
import { SealError } from './errors/seal-error.js';
import { curveOid, type CurveName, type HashName, type SignatureAlgorithm } from './internal/algorithms.js';
import { buffer, resolveCrypto, type CryptoProvider } from './internal/crypto.js';
import { DerError, TAG, children, expectTag, readOid, readRoot, readSmallInt } from './internal/der.js';
import { OID } from './internal/oids.js';

export type { HashName, CurveName, SignatureAlgorithm, CryptoProvider };

/** What a {@link Signer} is asked to sign (SIG-3). @public */
export interface SignInput {
  /** The DER of the signed attributes (what Web Crypto signs: it hashes itself). */
  readonly data: Uint8Array;
  /** The hash of `data` with the signer's hash, for HSMs and KMSs that sign a digest. */
  digest(): Promise<Uint8Array>;
}

/**
 * Anything that can produce the seal signature (SIG-3): a Web Crypto key, an
 * HSM, a cloud KMS. It says which algorithm it uses and returns the signature
 * in the form given by `ecdsaFormat` for ECDSA (`p1363`: r‖s as Web Crypto
 * gives it; `der`: ECDSA-Sig-Value as PKCS#11 or KMSs often give it) or the
 * plain RSA signature.
 *
 * @example An HSM or KMS
 * ```ts
 * const signer: Signer = {
 *   algorithm: { kind: 'ecdsa', hash: 'SHA-256' },
 *   ecdsaFormat: 'der',
 *   async sign(input) { return kms.signDigest(keyId, await input.digest()) },
 * }
 * ```
 * @public
 */
export interface Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly ecdsaFormat?: 'p1363' | 'der';
  sign(input: SignInput): Promise<Uint8Array>;
}

/** Options of {@link signerFromCryptoKey} and {@link importPkcs8Signer} (SIG-3). @public */
export interface SignerOptions {
  /** Hash of the signature. Default: SHA-256 (SHA-384 for P-384, SHA-512 for P-521). */
  readonly hash?: HashName;
  /** RSA scheme of a PKCS#8 RSA key. Default `pkcs1` (PKCS#1 v1.5); `pss` uses RSASSA-PSS with a salt the size of the hash. */
  readonly rsaScheme?: 'pkcs1' | 'pss';
  readonly crypto?: CryptoProvider;
  readonly locale?: Locale;
}

const DEFAULT_HASH: Record<CurveName, HashName> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };
const HASHES: readonly string[] = ['SHA-256', 'SHA-384', 'SHA-512'];

/**
 * A {@link Signer} over a Web Crypto private key (ECDSA, RSASSA-PKCS1-v1_5 or
 * RSA-PSS) (SIG-3). RSA keys under 2048 bits and SHA-1 are refused.
 *
 * @throws {@link SealError} `ERR_KEY_INVALID` for an unusable key.
 * @public
 */
export function signerFromCryptoKey(key: CryptoKey, options: SignerOptions = {}): Signer {
  const crypto = resolveCrypto(options.crypto);
  const alg = key?.algorithm as (KeyAlgorithm & { namedCurve?: string; modulusLength?: number; hash?: { name: string } }) | undefined;
  const fail = (detail: string): never => {
    throw new SealError('ERR_KEY_INVALID', { params: { detail }, locale: options.locale });
  };
  if (alg === undefined || key.type !== 'private' || !key.usages.includes('sign')) return fail('clé privée de signature attendue / a private signing key is expected');
  let algorithm: SignatureAlgorithm;
  if (alg.name === 'ECDSA') {
    const curve = alg.namedCurve as CurveName;
    if (!(curve in DEFAULT_HASH)) return fail(`courbe ${String(alg.namedCurve)}`);
    algorithm = { kind: 'ecdsa', hash: options.hash ?? DEFAULT_HASH[curve] };
  } else if (alg.name === 'RSASSA-PKCS1-v1_5' || alg.name === 'RSA-PSS') {
    if ((alg.modulusLength ?? 0) < 2048) return fail('RSA < 2048');
    const hash = alg.hash?.name as HashName;
    if (!HASHES.includes(hash)) return fail(`hash ${String(alg.hash?.name)}`);
    algorithm = alg.name === 'RSA-PSS' ? { kind: 'rsa-pss', hash, saltLength: hash === 'SHA-256' ? 32 : hash === 'SHA-384' ? 48 : 64 } : { kind: 'rsa-pkcs1', hash };
  } else {
    return fail(alg.name);
  }
  if (!HASHES.includes(algorithm.hash)) return fail(`hash ${algorithm.hash}`);
  const params: AlgorithmIdentifier | EcdsaParams | RsaPssParams =
    algorithm.kind === 'ecdsa'
      ? { name: 'ECDSA', hash: algorithm.hash }
      : algorithm.kind === 'rsa-pss'
        ? { name: 'RSA-PSS', saltLength: algorithm.saltLength! }
        : { name: 'RSASSA-PKCS1-v1_5' };
  return {
    algorithm,
    ecdsaFormat: 'p1363',
    async sign(input) {
      return new Uint8Array(await crypto.subtle.sign(params, key, buffer(input.data)));
    },
  };
}

/**
 * Imports a PKCS#8 private key (DER, e.g. from {@link readPemPrivateKey}) as a
 * non-extractable Web Crypto key and wraps it in a {@link Signer} (SIG-3).
 *
 * `import { importPkcs8Signer, readPemPrivateKey } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const signer = await importPkcs8Signer(readPemPrivateKey(await readFile('seal-key.pem', 'utf8')))
 * ```
 * @throws {@link SealError} `ERR_KEY_INVALID` for a key that is not PKCS#8 ECDSA (P-256/384/521) or RSA ≥ 2048.
 * @public
 */
export async function importPkcs8Signer(pkcs8: Uint8Array, options: SignerOptions = {}): Promise<Signer> {
  if (!(pkcs8 instanceof Uint8Array)) throw new TypeError('importPkcs8Signer: pkcs8 must be a Uint8Array');
  const crypto = resolveCrypto(options.crypto);
  const fail = (detail: string, cause?: unknown): never => {
    throw new SealError('ERR_KEY_INVALID', { params: { detail }, locale: options.locale, cause });
  };
  let keyOid: string;
  let curveOidValue: string | undefined;
  try {
    const root = readRoot(pkcs8);
    const [version, algNode] = children(pkcs8, expectTag(root, TAG.SEQUENCE, 'pkcs8'));
    if (readSmallInt(pkcs8, version, 'version') > 1) throw new DerError('version');
    const alg = children(pkcs8, expectTag(algNode, TAG.SEQUENCE, 'algorithm'));
    keyOid = readOid(pkcs8, alg[0], 'key algorithm');
    if (alg[1]?.tag === TAG.OID) curveOidValue = readOid(pkcs8, alg[1], 'curve');
  } catch (e) {
    return fail('PKCS#8 DER illisible / unreadable PKCS#8 DER', e);
  }
  let key: CryptoKey;
  try {
    if (keyOid === OID.ecPublicKey) {
      const curve = (['P-256', 'P-384', 'P-521'] as const).find((c) => curveOid(c) === curveOidValue);
      if (curve === undefined) return fail('courbe non acceptée / curve not accepted');
      key = await crypto.subtle.importKey('pkcs8', buffer(pkcs8), { name: 'ECDSA', namedCurve: curve }, false, ['sign']);
    } else if (keyOid === OID.rsaEncryption) {
      const hash = options.hash ?? 'SHA-256';
      key = await crypto.subtle.importKey('pkcs8', buffer(pkcs8), { name: options.rsaScheme === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash }, false, ['sign']);
    } else {
      return fail(`algorithme ${keyOid}`);
    }
  } catch (e) {
    if (e instanceof SealError) throw e;
    return fail('import Web Crypto refusé / Web Crypto import refused', e);
  }
  return signerFromCryptoKey(key, options);
}

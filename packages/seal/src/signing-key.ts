import { resolveLocale, type Locale, type LocalizedText } from '@s3404/core';
import { SealError } from './errors/seal-error.js';
import { curveOid, type CurveName, type HashName, type SignatureAlgorithm } from './internal/algorithms.js';
import { buffer, resolveCrypto } from './internal/crypto.js';
import { markPlatformKey } from './internal/platform-keys.js';
import { DerError, TAG, children, expectTag, readOid, readRoot, readSmallInt } from './internal/der.js';
import { OID } from './internal/oids.js';
import type { CryptoProvider, WebCryptoAlgorithm, WebCryptoKey } from './web-crypto.js';

export type { HashName, CurveName, SignatureAlgorithm };

/** What a {@link SigningKey} is asked to sign (SIG-3). @public */
export interface SignInput {
  /** The DER of the signed attributes (what Web Crypto signs: it hashes itself). */
  readonly data: Uint8Array;
  /** The hash of `data` with the key's hash, for HSMs and KMSs that sign a digest. */
  digest(): Promise<Uint8Array>;
}

/**
 * The establishment's seal key (SIG-3): anything that can produce the seal
 * signature — a Web Crypto key, an HSM, a cloud KMS. It says which
 * algorithm it uses and returns the signature in the form given by
 * `ecdsaFormat` for ECDSA (`p1363`: r‖s as Web Crypto gives it; `der`:
 * ECDSA-Sig-Value as PKCS#11 or KMSs often give it) or the plain RSA
 * signature, as a `Uint8Array` (a Node `Buffer` is one). Not to be confused
 * with the person who signs a record, the record's `signer` ({@link RecordSigner}).
 *
 * `algorithm` and `ecdsaFormat` are read once, when a sealer is made
 * (`createSealer`, `createPdfSealer`, `createContentSigner`), and checked:
 * a `kind` other than `ecdsa`, `rsa-pkcs1`, `rsa-pss`, a hash other than
 * SHA-256/384/512 or an `ecdsaFormat` other than `p1363`/`der` is
 * `ERR_KEY_INVALID`; a test signature the certificate's public key does not
 * verify, or a `sign` that fails then, is `ERR_KEY_MISMATCH`. Every later
 * signature of such a key is verified against the certificate before
 * anything is written or traced as sealed: one that does not verify (the
 * KMS alias moved to another key, the wrong format or length, not a
 * `Uint8Array`) is `ERR_KEY_MISMATCH`; a `sign` that throws or rejects is
 * `ERR_KEY_UNAVAILABLE` (its error as `cause`), unless it throws a
 * `SealError`, which passes as it is. `sign` gets a copy of the bytes to
 * sign. A `sign` that has not answered within `timeoutMs` (default 30 s)
 * is `ERR_KEY_UNAVAILABLE` too, at the check as later, and its late answer
 * is dropped: still bound the KMS or HSM call in the key (a client
 * timeout), so that it does not go on behind the seal's back.
 *
 * `import type { SigningKey } from '@s3404/seal'`
 *
 * @example An HSM or KMS
 * ```ts
 * const key: SigningKey = {
 *   algorithm: { kind: 'ecdsa', hash: 'SHA-256' },
 *   ecdsaFormat: 'der',
 *   async sign(input) { return kms.signDigest(keyId, await input.digest()) },
 * }
 * const sealer = await createSealer({ key, certificate, contexts, authorizer })
 * ```
 * @public
 */
export interface SigningKey {
  readonly algorithm: SignatureAlgorithm;
  readonly ecdsaFormat?: 'p1363' | 'der';
  /**
   * How long a seal waits for `sign`, in milliseconds: a whole number from 1
   * to 600,000 (10 minutes), read once. Default 30,000. Past it the seal is
   * `ERR_KEY_UNAVAILABLE` (kind `unavailable`) and nothing is sealed.
   */
  readonly timeoutMs?: number;
  sign(input: SignInput): Promise<Uint8Array>;
}

/** Options of {@link signingKeyFromCryptoKey} and {@link importPkcs8SigningKey} (SIG-3). @public */
export interface SigningKeyOptions {
  /** Hash of the signature. Default: SHA-256 (SHA-384 for P-384, SHA-512 for P-521). */
  readonly hash?: HashName;
  /** RSA scheme of a PKCS#8 RSA key. Default `pkcs1` (PKCS#1 v1.5); `pss` uses RSASSA-PSS with a salt the size of the hash. */
  readonly rsaScheme?: 'pkcs1' | 'pss';
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

const DEFAULT_HASH: Record<CurveName, HashName> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };
const HASHES: readonly string[] = ['SHA-256', 'SHA-384', 'SHA-512'];

/**
 * A {@link SigningKey} over a Web Crypto private key — ECDSA,
 * RSASSA-PKCS1-v1_5 or RSA-PSS (SIG-3). RSA keys under 2048 bits and SHA-1
 * are refused.
 *
 * `import { signingKeyFromCryptoKey } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const cryptoKey = await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
 * const key = signingKeyFromCryptoKey(cryptoKey)
 * ```
 * @throws {@link SealError} `ERR_KEY_INVALID` for an unusable key.
 * @public
 */
export function signingKeyFromCryptoKey(key: WebCryptoKey, options: SigningKeyOptions = {}): SigningKey {
  const crypto = resolveCrypto(options.crypto);
  const locale = resolveLocale(options.locale);
  const alg = key?.algorithm;
  const fail = (detail: LocalizedText | string): never => {
    throw new SealError('ERR_KEY_INVALID', { params: { detail }, locale });
  };
  if (alg === undefined || key.type !== 'private' || !key.usages.includes('sign')) {
    return fail({ fr: 'clé privée de signature attendue', en: 'a private signing key is expected' });
  }
  let algorithm: SignatureAlgorithm;
  if (alg.name === 'ECDSA') {
    const curve = alg.namedCurve as CurveName;
    if (!(curve in DEFAULT_HASH)) return fail({ fr: `courbe ${String(alg.namedCurve)}`, en: `curve ${String(alg.namedCurve)}` });
    algorithm = { kind: 'ecdsa', hash: options.hash ?? DEFAULT_HASH[curve] };
  } else if (alg.name === 'RSASSA-PKCS1-v1_5' || alg.name === 'RSA-PSS') {
    if ((alg.modulusLength ?? 0) < 2048) return fail('RSA < 2048');
    const hash = alg.hash?.name as HashName;
    if (!HASHES.includes(hash)) return fail(`hash ${String(alg.hash?.name)}`);
    algorithm =
      alg.name === 'RSA-PSS' ? { kind: 'rsa-pss', hash, saltLength: hash === 'SHA-256' ? 32 : hash === 'SHA-384' ? 48 : 64 } : { kind: 'rsa-pkcs1', hash };
  } else {
    return fail(String(alg.name));
  }
  if (!HASHES.includes(algorithm.hash)) return fail(`hash ${algorithm.hash}`);
  const params: WebCryptoAlgorithm =
    algorithm.kind === 'ecdsa'
      ? { name: 'ECDSA', hash: algorithm.hash }
      : algorithm.kind === 'rsa-pss'
        ? { name: 'RSA-PSS', saltLength: algorithm.saltLength! }
        : { name: 'RSASSA-PKCS1-v1_5' };
  // Frozen: its key and parameters cannot change once the seal has checked it against the certificate.
  const signingKey: SigningKey = Object.freeze({
    algorithm: Object.freeze({ ...algorithm }),
    ecdsaFormat: 'p1363' as const,
    async sign(input: SignInput) {
      return new Uint8Array(await crypto.subtle.sign(params, key, buffer(input.data)));
    },
  });
  if (crypto === (globalThis as { crypto?: unknown }).crypto) markPlatformKey(signingKey);
  return signingKey;
}

/**
 * Imports a PKCS#8 private key (DER, e.g. from {@link readPemPrivateKey}) as a
 * non-extractable Web Crypto key and wraps it in a {@link SigningKey} (SIG-3).
 *
 * `import { importPkcs8SigningKey, readPemPrivateKey } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const key = await importPkcs8SigningKey(readPemPrivateKey(await readFile('seal-key.pem', 'utf8')))
 * ```
 * @throws {@link SealError} `ERR_KEY_INVALID` for a key that is not PKCS#8 ECDSA (P-256/384/521) or RSA ≥ 2048.
 * @throws TypeError when `pkcs8` is not a `Uint8Array`.
 * @public
 */
export async function importPkcs8SigningKey(pkcs8: Uint8Array, options: SigningKeyOptions = {}): Promise<SigningKey> {
  if (!(pkcs8 instanceof Uint8Array)) throw new TypeError('importPkcs8SigningKey: pkcs8 must be a Uint8Array');
  const crypto = resolveCrypto(options.crypto);
  const locale = resolveLocale(options.locale);
  const fail = (detail: LocalizedText | string, cause?: unknown): never => {
    throw new SealError('ERR_KEY_INVALID', { params: { detail }, locale, cause });
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
    return fail({ fr: 'PKCS#8 DER illisible', en: 'unreadable PKCS#8 DER' }, e);
  }
  let key: WebCryptoKey;
  try {
    if (keyOid === OID.ecPublicKey) {
      const curve = (['P-256', 'P-384', 'P-521'] as const).find((c) => curveOid(c) === curveOidValue);
      if (curve === undefined) return fail({ fr: 'courbe non acceptée', en: 'curve not accepted' });
      key = await crypto.subtle.importKey('pkcs8', buffer(pkcs8), { name: 'ECDSA', namedCurve: curve }, false, ['sign']);
    } else if (keyOid === OID.rsaEncryption) {
      const hash = options.hash ?? 'SHA-256';
      key = await crypto.subtle.importKey('pkcs8', buffer(pkcs8), { name: options.rsaScheme === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash }, false, [
        'sign',
      ]);
    } else {
      return fail({ fr: `algorithme ${keyOid}`, en: `algorithm ${keyOid}` });
    }
  } catch (e) {
    if (e instanceof SealError) throw e;
    return fail({ fr: 'import Web Crypto refusé', en: 'Web Crypto import refused' }, e);
  }
  return signingKeyFromCryptoKey(key, options);
}

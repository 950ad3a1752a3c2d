import {
  DerError,
  NULL_BYTES,
  TAG,
  bitStringBytes,
  children,
  expectTag,
  integerBytes,
  oid,
  readOid,
  readSmallInt,
  readTlv,
  sequence,
  smallInteger,
  tlv,
  unsignedInteger,
  type Tlv,
} from './der.js';
import { Failure } from './failure.js';
import { OID } from './oids.js';
import type { CryptoProvider, WebCryptoAlgorithm, WebCryptoKey } from '../web-crypto.js';
import { buffer } from './crypto.js';

/** Hashes the seal accepts (SIG-3). */
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';
/** Curves the seal accepts (SIG-3). */
export type CurveName = 'P-256' | 'P-384' | 'P-521';

/** A public key as read from a SubjectPublicKeyInfo. */
export type KeyInfo = { readonly kind: 'ec'; readonly curve: CurveName } | { readonly kind: 'rsa'; readonly bits: number };

/** A resolved signature algorithm. */
export interface SignatureAlgorithm {
  readonly kind: 'ecdsa' | 'rsa-pkcs1' | 'rsa-pss';
  readonly hash: HashName;
  /** RSA-PSS salt length in bytes. */
  readonly saltLength?: number;
}

const HASH_BY_OID: Readonly<Record<string, HashName>> = {
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};
const OID_BY_HASH: Readonly<Record<HashName, string>> = { 'SHA-256': OID.sha256, 'SHA-384': OID.sha384, 'SHA-512': OID.sha512 };
const HASH_LENGTH: Readonly<Record<HashName, number>> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const CURVE_BY_OID: Readonly<Record<string, CurveName>> = { [OID.p256]: 'P-256', [OID.p384]: 'P-384', [OID.p521]: 'P-521' };
const OID_BY_CURVE: Readonly<Record<CurveName, string>> = { 'P-256': OID.p256, 'P-384': OID.p384, 'P-521': OID.p521 };
const CURVE_SIZE: Readonly<Record<CurveName, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
const WEAK = new Set<string>([OID.sha1, OID.sha1WithRsa, OID.md5WithRsa, OID.ecdsaWithSha1, '1.2.840.113549.2.5']);

export const hashLength = (hash: HashName): number => HASH_LENGTH[hash];
/** SHA-1, MD5 and the signatures built on them: refused wherever they appear (SIG-3). */
export const isWeakAlgorithm = (oid: string): boolean => WEAK.has(oid);
export const curveOid = (curve: CurveName): string => OID_BY_CURVE[curve];

/** An AlgorithmIdentifier: OID and raw parameters TLV, if any. */
export interface AlgorithmId {
  readonly oid: string;
  readonly params: Tlv | undefined;
}

export function readAlgorithmId(buf: Uint8Array, node: Tlv | undefined, what: string): AlgorithmId {
  const parts = children(buf, expectTag(node, TAG.SEQUENCE, what));
  if (parts.length < 1 || parts.length > 2) throw new DerError(`bad ${what}`);
  return { oid: readOid(buf, parts[0], what), params: parts[1] };
}

const paramsAbsentOrNull = (_buf: Uint8Array, p: Tlv | undefined): boolean => p === undefined || (p.tag === TAG.NULL && p.end === p.contentStart);

/** A digest AlgorithmIdentifier to a hash name; SHA-1/MD5 and unknown ones refused. */
export function resolveDigest(buf: Uint8Array, alg: AlgorithmId): HashName {
  if (WEAK.has(alg.oid)) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'weak digest');
  const hash = HASH_BY_OID[alg.oid];
  if (hash === undefined || !paramsAbsentOrNull(buf, alg.params)) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'unknown digest');
  return hash;
}

/**
 * A signature AlgorithmIdentifier to an algorithm (RFC 5754, RFC 4055).
 * `digest` is the signer's digest algorithm when the OID does not name one
 * (rsaEncryption, id-ecPublicKey, as some CMS producers write).
 */
export function resolveSignatureAlgorithm(buf: Uint8Array, alg: AlgorithmId, key: KeyInfo, digest?: HashName): SignatureAlgorithm {
  if (WEAK.has(alg.oid)) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'weak signature');
  const matches = (hash: HashName): HashName => {
    if (digest !== undefined && digest !== hash) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'digest mismatch');
    return hash;
  };
  switch (alg.oid) {
    case OID.ecdsaWithSha256:
    case OID.ecdsaWithSha384:
    case OID.ecdsaWithSha512: {
      if (alg.params !== undefined || key.kind !== 'ec') throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'ecdsa params');
      const hash = alg.oid === OID.ecdsaWithSha256 ? 'SHA-256' : alg.oid === OID.ecdsaWithSha384 ? 'SHA-384' : 'SHA-512';
      return { kind: 'ecdsa', hash: matches(hash) };
    }
    case OID.ecPublicKey:
      if (digest === undefined || key.kind !== 'ec') throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'ecdsa without digest');
      return { kind: 'ecdsa', hash: digest };
    case OID.sha256WithRsa:
    case OID.sha384WithRsa:
    case OID.sha512WithRsa: {
      if (!paramsAbsentOrNull(buf, alg.params) || key.kind !== 'rsa') throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'rsa params');
      const hash = alg.oid === OID.sha256WithRsa ? 'SHA-256' : alg.oid === OID.sha384WithRsa ? 'SHA-384' : 'SHA-512';
      return { kind: 'rsa-pkcs1', hash: matches(hash) };
    }
    case OID.rsaEncryption:
      if (digest === undefined || key.kind !== 'rsa' || !paramsAbsentOrNull(buf, alg.params)) {
        throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'rsa without digest');
      }
      return { kind: 'rsa-pkcs1', hash: digest };
    case OID.rsaPss: {
      if (key.kind !== 'rsa' || alg.params === undefined) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'pss params');
      return { kind: 'rsa-pss', ...readPssParams(buf, alg.params, matches) };
    }
    default:
      throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'unknown signature algorithm');
  }
}

/** RSASSA-PSS-params (RFC 4055 §3.1): explicit SHA-2 hash, MGF1 with the same hash, trailer 1. */
function readPssParams(buf: Uint8Array, params: Tlv, matches: (h: HashName) => HashName): { hash: HashName; saltLength: number } {
  const fields = children(buf, expectTag(params, TAG.SEQUENCE, 'pss params'));
  let hash: HashName | undefined;
  let mgfHash: HashName | undefined;
  let saltLength = 20;
  for (const field of fields) {
    const inner = readTlv(buf, field.contentStart, field.end);
    if (inner.end !== field.end) throw new DerError('pss field');
    if (field.tag === TAG.CTX0) hash = resolveDigest(buf, readAlgorithmId(buf, inner, 'pss hash'));
    else if (field.tag === TAG.CTX1) {
      const mgf = readAlgorithmId(buf, inner, 'pss mgf');
      if (mgf.oid !== OID.mgf1 || mgf.params === undefined) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'pss mgf');
      mgfHash = resolveDigest(buf, readAlgorithmId(buf, mgf.params, 'mgf1 hash'));
    } else if (field.tag === TAG.CTX2) saltLength = readSmallInt(buf, inner, 'pss salt');
    else if (field.tag === TAG.CTX3) {
      if (readSmallInt(buf, inner, 'pss trailer') !== 1) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'pss trailer');
    } else throw new DerError('pss field');
  }
  // Absent hash means SHA-1 (RFC 4055 default): refused.
  if (hash === undefined || mgfHash !== hash) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'pss hash');
  if (saltLength > 512) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'pss salt');
  return { hash: matches(hash), saltLength };
}

/** Reads a SubjectPublicKeyInfo's algorithm and size; weak keys refused. */
export function readKeyInfo(buf: Uint8Array, spki: Tlv): KeyInfo {
  const [algNode, keyNode] = children(buf, expectTag(spki, TAG.SEQUENCE, 'spki'));
  const alg = readAlgorithmId(buf, algNode, 'spki algorithm');
  const keyBits = bitStringBytes(buf, keyNode, 'public key');
  if (alg.oid === OID.ecPublicKey) {
    if (alg.params === undefined || alg.params.tag !== TAG.OID) throw new Failure('ERR_SEAL_KEY_TOO_WEAK', 'curve');
    const curve = CURVE_BY_OID[readOid(buf, alg.params, 'curve')];
    if (curve === undefined) throw new Failure('ERR_SEAL_KEY_TOO_WEAK', 'curve');
    if (keyBits.length !== 1 + 2 * CURVE_SIZE[curve] || keyBits[0] !== 4) throw new DerError('ec point');
    return { kind: 'ec', curve };
  }
  if (alg.oid === OID.rsaEncryption || alg.oid === OID.rsaPss) {
    const root = readTlv(keyBits, 0, keyBits.length);
    if (root.end !== keyBits.length) throw new DerError('rsa key');
    const [modulus] = children(keyBits, expectTag(root, TAG.SEQUENCE, 'rsa key'));
    const n = integerBytes(keyBits, modulus, 'modulus');
    const magnitude = n[0] === 0 ? n.subarray(1) : n;
    const bits = magnitude.length * 8 - Math.clz32(magnitude[0] ?? 0) + 24;
    if (bits < 2048) throw new Failure('ERR_SEAL_KEY_TOO_WEAK', 'rsa size');
    if (bits > 16384) throw new Failure('ERR_SEAL_KEY_TOO_WEAK', 'rsa size');
    return { kind: 'rsa', bits };
  }
  throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'key algorithm');
}

/** Web Crypto import parameters for a verification key. */
export function importParams(key: KeyInfo, alg: SignatureAlgorithm): WebCryptoAlgorithm {
  if (key.kind === 'ec') return { name: 'ECDSA', namedCurve: key.curve };
  return { name: alg.kind === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: alg.hash };
}

/** Web Crypto sign/verify parameters. */
export function operationParams(alg: SignatureAlgorithm): WebCryptoAlgorithm {
  if (alg.kind === 'ecdsa') return { name: 'ECDSA', hash: alg.hash };
  if (alg.kind === 'rsa-pss') return { name: 'RSA-PSS', saltLength: alg.saltLength ?? hashLength(alg.hash) };
  return { name: 'RSASSA-PKCS1-v1_5' };
}

/** ECDSA-Sig-Value (DER) to the fixed-size r‖s form Web Crypto uses. */
export function ecdsaDerToRaw(der: Uint8Array, curve: CurveName): Uint8Array {
  const size = CURVE_SIZE[curve];
  const root = readTlv(der, 0, der.length);
  if (root.end !== der.length) throw new Failure('ERR_SEAL_SIGNATURE_INVALID', 'ecdsa der');
  const parts = children(der, expectTag(root, TAG.SEQUENCE, 'ecdsa signature'));
  if (parts.length !== 2) throw new Failure('ERR_SEAL_SIGNATURE_INVALID', 'ecdsa der');
  const out = new Uint8Array(2 * size);
  parts.forEach((part, i) => {
    const int = integerBytes(der, part, 'ecdsa integer');
    if ((int[0]! & 0x80) !== 0) throw new Failure('ERR_SEAL_SIGNATURE_INVALID', 'negative');
    const magnitude = int[0] === 0 && int.length > 1 ? int.subarray(1) : int;
    if (magnitude.length > size) throw new Failure('ERR_SEAL_SIGNATURE_INVALID', 'ecdsa size');
    out.set(magnitude, (i + 1) * size - magnitude.length);
  });
  return out;
}

/** Fixed-size r‖s to ECDSA-Sig-Value (DER). */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  return sequence(unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half)));
}

/** The AlgorithmIdentifier of a digest (parameters absent, RFC 5754 §2). */
export function encodeDigestAlgorithm(hash: HashName): Uint8Array {
  return sequence(oid(OID_BY_HASH[hash]));
}

/** The AlgorithmIdentifier of a signature algorithm (RFC 5754 §3, RFC 4055 §3.1). */
export function encodeSignatureAlgorithm(alg: SignatureAlgorithm): Uint8Array {
  if (alg.kind === 'ecdsa') {
    return sequence(oid(alg.hash === 'SHA-256' ? OID.ecdsaWithSha256 : alg.hash === 'SHA-384' ? OID.ecdsaWithSha384 : OID.ecdsaWithSha512));
  }
  if (alg.kind === 'rsa-pkcs1') {
    return sequence(oid(alg.hash === 'SHA-256' ? OID.sha256WithRsa : alg.hash === 'SHA-384' ? OID.sha384WithRsa : OID.sha512WithRsa), NULL_BYTES);
  }
  const hashAlg = sequence(oid(OID_BY_HASH[alg.hash]));
  return sequence(
    oid(OID.rsaPss),
    sequence(tlv(TAG.CTX0, hashAlg), tlv(TAG.CTX1, sequence(oid(OID.mgf1), hashAlg)), tlv(TAG.CTX2, smallInteger(alg.saltLength ?? hashLength(alg.hash)))),
  );
}

/** Verifies a signature with Web Crypto; `signature` in its CMS/X.509 form. */
export async function verifySignature(
  crypto: CryptoProvider,
  publicKey: WebCryptoKey,
  key: KeyInfo,
  alg: SignatureAlgorithm,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  let sig = signature;
  if (alg.kind === 'ecdsa') {
    if (key.kind !== 'ec') return false;
    try {
      sig = ecdsaDerToRaw(signature, key.curve);
    } catch {
      // A signature that is not an ECDSA-Sig-Value is simply not valid.
      return false;
    }
  }
  return crypto.subtle.verify(operationParams(alg), publicKey, buffer(sig), buffer(data));
}

import type { Locale } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import type { CurveName, HashName, SignatureAlgorithm } from './algorithms.js';
import { NULL_BYTES, TAG, decodeOid, oid, sequence, tlv, unsignedInteger } from './der.js';
import { OID } from './oids.js';
import { CK, PKCS11JS_PARAMS_RSA_PSS, type Pkcs11Binding, type Pkcs11Handle, type Pkcs11Mechanism } from './pkcs11-binding.js';

/** How one private key of the token signs: the CMS algorithm and the PKCS#11 mechanism that makes it. */
export interface KeyPlan {
  readonly algorithm: SignatureAlgorithm;
  readonly mechanism: Pkcs11Mechanism;
  readonly mechanismName: string;
  /** What the mechanism takes: the digest (CKM_ECDSA), a DigestInfo over it (CKM_RSA_PKCS), or the data (hash-and-sign mechanisms). */
  readonly input: 'digest' | 'digest-info' | 'data';
  /** Bytes of the signature (r‖s for ECDSA, the modulus size for RSA). */
  readonly signatureLength: number;
}

const CURVES: readonly { readonly oid: string; readonly curve: CurveName; readonly size: number; readonly hash: HashName }[] = [
  { oid: OID.p256, curve: 'P-256', size: 32, hash: 'SHA-256' },
  { oid: OID.p384, curve: 'P-384', size: 48, hash: 'SHA-384' },
  { oid: OID.p521, curve: 'P-521', size: 66, hash: 'SHA-512' },
];
const ECDSA_WITH: Readonly<Record<HashName, number>> = { 'SHA-256': CK.CKM_ECDSA_SHA256, 'SHA-384': CK.CKM_ECDSA_SHA384, 'SHA-512': CK.CKM_ECDSA_SHA512 };
const RSA_WITH: Readonly<Record<HashName, number>> = {
  'SHA-256': CK.CKM_SHA256_RSA_PKCS,
  'SHA-384': CK.CKM_SHA384_RSA_PKCS,
  'SHA-512': CK.CKM_SHA512_RSA_PKCS,
};
const RSA_PSS_WITH: Readonly<Record<HashName, number>> = {
  'SHA-256': CK.CKM_SHA256_RSA_PKCS_PSS,
  'SHA-384': CK.CKM_SHA384_RSA_PKCS_PSS,
  'SHA-512': CK.CKM_SHA512_RSA_PKCS_PSS,
};
/** `CK_RSA_PKCS_PSS_PARAMS` for a hash: MGF1 with the same hash, a salt as long as the hash (RFC 4055 §3.1, as the SDK's software keys). */
const PSS_PARAMS: Readonly<Record<HashName, { readonly hashAlg: number; readonly mgf: number; readonly saltLen: number }>> = {
  'SHA-256': { hashAlg: CK.CKM_SHA256, mgf: CK.CKG_MGF1_SHA256, saltLen: 32 },
  'SHA-384': { hashAlg: CK.CKM_SHA384, mgf: CK.CKG_MGF1_SHA384, saltLen: 48 },
  'SHA-512': { hashAlg: CK.CKM_SHA512, mgf: CK.CKG_MGF1_SHA512, saltLen: 64 },
};
const HASH_OID: Readonly<Record<HashName, string>> = { 'SHA-256': OID.sha256, 'SHA-384': OID.sha384, 'SHA-512': OID.sha512 };
const SUFFIX = (h: HashName): string => h.replace('-', '');

/** The curve named by a CKA_EC_PARAMS (an OID; explicit parameters are refused). */
export function curveOf(ecParams: Uint8Array | undefined): (typeof CURVES)[number] | undefined {
  if (ecParams === undefined || ecParams[0] !== TAG.OID || ecParams[1] !== ecParams.length - 2) return undefined;
  const dotted = decodeOid(ecParams.subarray(2));
  return CURVES.find((c) => c.oid === dotted);
}

/** The CK_ULONG array of CKA_ALLOWED_MECHANISMS (native byte order and width). */
export function readMechanismList(bytes: Uint8Array | undefined): number[] | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  const width = ULONG;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i + width <= bytes.length; i += width) out.push(width === 8 ? Number(view.getBigUint64(i, true)) : view.getUint32(i, true));
  return out;
}

/**
 * Picks the mechanism for a key (PKCS#11 v2.40 Current Mechanisms §2.3,
 * §2.1): the token must list it and the key must allow it. ECDSA prefers
 * `CKM_ECDSA` over the digest (the hash is computed here, so any hash fits
 * any curve) and falls back to `CKM_ECDSA_SHA…`; RSA prefers
 * `CKM_SHA…_RSA_PKCS` and falls back to `CKM_RSA_PKCS` over a DigestInfo;
 * with `rsaScheme: 'pss'`, RSA prefers `CKM_SHA…_RSA_PKCS_PSS` and falls
 * back to `CKM_RSA_PKCS_PSS` over the digest, MGF1 with the same hash and a
 * salt of the hash's length.
 */
export function planKey(
  key: {
    readonly type: number;
    readonly ecParams?: Uint8Array | undefined;
    readonly modulus?: Uint8Array | undefined;
    readonly allowed?: readonly number[] | undefined;
  },
  tokenMechanisms: readonly number[],
  hashOption: HashName | undefined,
  locale: Locale,
  rsaScheme: 'pkcs1' | 'pss' = 'pkcs1',
): KeyPlan {
  const unsupported = (detail: string): never => {
    throw new SealError('ERR_PKCS11_MECHANISM_UNSUPPORTED', { params: { detail }, locale });
  };
  const usable = (m: number): boolean => tokenMechanisms.includes(m) && (key.allowed === undefined || key.allowed.includes(m));
  if (key.type === CK.CKK_EC) {
    const curve = curveOf(key.ecParams);
    if (curve === undefined) return unsupported('EC curve');
    const hash = hashOption ?? curve.hash;
    const base = { algorithm: { kind: 'ecdsa', hash } as SignatureAlgorithm, signatureLength: 2 * curve.size };
    if (rsaScheme === 'pss') return unsupported('RSA-PSS with an EC key');
    if (usable(CK.CKM_ECDSA)) return { ...base, mechanism: { mechanism: CK.CKM_ECDSA }, mechanismName: 'CKM_ECDSA', input: 'digest' };
    if (usable(ECDSA_WITH[hash])) return { ...base, mechanism: { mechanism: ECDSA_WITH[hash] }, mechanismName: `CKM_ECDSA_${SUFFIX(hash)}`, input: 'data' };
    return unsupported(`CKM_ECDSA, CKM_ECDSA_${SUFFIX(hash)}`);
  }
  if (key.type === CK.CKK_RSA) {
    const n = key.modulus ?? new Uint8Array(0);
    let start = 0;
    while (start < n.length && n[start] === 0) start++;
    const bytes = n.length - start;
    const bits = bytes === 0 ? 0 : bytes * 8 - Math.clz32(n[start]!) + 24;
    if (bits < 2048) return unsupported(`RSA ${bits} bits`);
    const hash = hashOption ?? 'SHA-256';
    if (rsaScheme === 'pss') {
      const params = PSS_PARAMS[hash];
      const parameter = { type: PKCS11JS_PARAMS_RSA_PSS, ...params };
      const pss = { algorithm: { kind: 'rsa-pss', hash, saltLength: params.saltLen } as SignatureAlgorithm, signatureLength: bytes };
      if (usable(RSA_PSS_WITH[hash]))
        return { ...pss, mechanism: { mechanism: RSA_PSS_WITH[hash], parameter }, mechanismName: `CKM_${SUFFIX(hash)}_RSA_PKCS_PSS`, input: 'data' };
      if (usable(CK.CKM_RSA_PKCS_PSS))
        return { ...pss, mechanism: { mechanism: CK.CKM_RSA_PKCS_PSS, parameter }, mechanismName: 'CKM_RSA_PKCS_PSS', input: 'digest' };
      return unsupported(`CKM_${SUFFIX(hash)}_RSA_PKCS_PSS, CKM_RSA_PKCS_PSS`);
    }
    const base = { algorithm: { kind: 'rsa-pkcs1', hash } as SignatureAlgorithm, signatureLength: bytes };
    if (usable(RSA_WITH[hash])) return { ...base, mechanism: { mechanism: RSA_WITH[hash] }, mechanismName: `CKM_${SUFFIX(hash)}_RSA_PKCS`, input: 'data' };
    if (usable(CK.CKM_RSA_PKCS)) return { ...base, mechanism: { mechanism: CK.CKM_RSA_PKCS }, mechanismName: 'CKM_RSA_PKCS', input: 'digest-info' };
    return unsupported(`CKM_${SUFFIX(hash)}_RSA_PKCS, CKM_RSA_PKCS`);
  }
  return unsupported(`CKK 0x${key.type.toString(16)}`);
}

/** DigestInfo (RFC 8017 §9.2) of a digest, what CKM_RSA_PKCS signs for PKCS#1 v1.5. */
export function digestInfo(hash: HashName, digest: Uint8Array): Uint8Array {
  return sequence(sequence(oid(HASH_OID[hash]), NULL_BYTES), tlv(TAG.OCTET_STRING, digest));
}

/** An EC point as a token gives it: raw (04‖x‖y) or wrapped in a DER OCTET STRING, as PKCS#11 v2.40 says. */
function rawPoint(point: Uint8Array, size: number): Uint8Array | undefined {
  const raw = 1 + 2 * size;
  if (point.length === raw && point[0] === 4) return point;
  if (point[0] !== TAG.OCTET_STRING) return undefined;
  const long = point[1] === 0x81;
  const start = long ? 3 : 2;
  const length = long ? point[2] : point[1];
  if (length !== raw || point.length !== start + raw) return undefined;
  return point.subarray(start);
}

/** The SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) of a token public key, for a CSR or a certificate request. */
export function publicKeyInfo(pub: {
  readonly type: number;
  readonly ecParams?: Uint8Array | undefined;
  readonly ecPoint?: Uint8Array | undefined;
  readonly modulus?: Uint8Array | undefined;
  readonly exponent?: Uint8Array | undefined;
}): Uint8Array | undefined {
  const bitString = (bytes: Uint8Array): Uint8Array => tlv(TAG.BIT_STRING, Uint8Array.of(0), bytes);
  if (pub.type === CK.CKK_EC) {
    const curve = curveOf(pub.ecParams);
    const point = curve === undefined || pub.ecPoint === undefined ? undefined : rawPoint(pub.ecPoint, curve.size);
    if (curve === undefined || point === undefined) return undefined;
    return sequence(sequence(oid(OID.ecPublicKey), oid(curve.oid)), bitString(point));
  }
  if (pub.type === CK.CKK_RSA && pub.modulus !== undefined && pub.exponent !== undefined) {
    return sequence(sequence(oid(OID.rsaEncryption), NULL_BYTES), bitString(sequence(unsignedInteger(pub.modulus), unsignedInteger(pub.exponent))));
  }
  return undefined;
}

const ULONG = process.platform === 'win32' ? 4 : 8;

/** A CK_BBOOL attribute (the binding gives raw bytes); `undefined` when absent. */
export function attrBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  return value instanceof Uint8Array && value.length > 0 ? value[0] !== 0 : undefined;
}

/** A CK_ULONG attribute (native byte order and width); `undefined` when absent. */
export function attrUlong(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (!(value instanceof Uint8Array) || value.length !== ULONG) return undefined;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return ULONG === 8 ? Number(view.getBigUint64(0, true)) : view.getUint32(0, true);
}

/** A UTF-8 string attribute (CKA_LABEL); `''` when absent. */
export function attrText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : '';
}

/** Attribute values read one by one, so that an attribute a token does not know leaves the others readable. */
export function readAttributes(binding: Pkcs11Binding, session: Pkcs11Handle, object: Pkcs11Handle, types: readonly number[]): Map<number, unknown> {
  const out = new Map<number, unknown>();
  for (const type of types) {
    try {
      const [attr] = binding.C_GetAttributeValue(session, object, [{ type }]);
      if (attr?.value !== undefined) out.set(type, attr.value);
    } catch {
      // CKR_ATTRIBUTE_TYPE_INVALID or CKR_ATTRIBUTE_SENSITIVE: the attribute is simply absent.
    }
  }
  return out;
}

/** Finds the objects of a class matching a label and/or id (at most `limit`). */
export function findObjects(
  binding: Pkcs11Binding,
  session: Pkcs11Handle,
  objectClass: number,
  match: { readonly label?: string | undefined; readonly id?: Uint8Array | undefined },
  limit = 8,
): Pkcs11Handle[] {
  const template: { type: number; value: number | string | Uint8Array }[] = [{ type: CK.CKA_CLASS, value: objectClass }];
  if (match.label !== undefined) template.push({ type: CK.CKA_LABEL, value: match.label });
  if (match.id !== undefined) template.push({ type: CK.CKA_ID, value: Buffer.from(match.id) });
  binding.C_FindObjectsInit(session, template);
  try {
    return binding.C_FindObjects(session, limit);
  } finally {
    binding.C_FindObjectsFinal(session);
  }
}

import { readSigningCertificateV2, singleAttribute, type ParsedSignedData } from './cms-parse.js';
import type { ParsedCertificate } from './certificate.js';
import { type TrustStore, checkSealKeyUsage, checkValidityAt } from './chain.js';
import { resolveDigest, resolveSignatureAlgorithm, verifySignature, type SignatureAlgorithm } from './algorithms.js';
import type { CryptoProvider, WebCryptoKey } from '../web-crypto.js';
import { digest as digestOf } from './crypto.js';
import { bytesEqual } from '@s3404/core';
import { DerError, TAG, octetString, readOid, readTime } from './der.js';
import { Failure } from './failure.js';
import { OID } from './oids.js';

/** What a checked SignedData proves: who signed, with what, when, under which path. */
export interface SignedDataCheck {
  readonly cert: ParsedCertificate;
  readonly path: readonly ParsedCertificate[];
  readonly signingTime: Date;
  readonly alg: SignatureAlgorithm;
}

/**
 * What kind of SignedData {@link checkSignedData} expects: the seal's
 * (id-data, a seal certificate, the signing-time attribute) by default, or a
 * time-stamp token's (RFC 3161 §2.4.2: id-ct-TSTInfo, a TSA certificate,
 * dated by its TSTInfo's genTime).
 */
export interface SignedDataProfile {
  /** The expected eContentType (RFC 5652 §5.2). */
  readonly eContentType: string;
  /** Checks that the signer's certificate allows this signature; throws {@link Failure}. */
  readonly checkUsage: (cert: ParsedCertificate) => void;
  /**
   * The instant the content dates itself (a TSTInfo's genTime): the chain is
   * checked then, and the signing-time attribute is neither required nor read.
   * Absent: the signing-time attribute, required (the seal).
   */
  readonly at?: Date | undefined;
}

const SEAL_PROFILE: SignedDataProfile = { eContentType: OID.data, checkUsage: checkSealKeyUsage };

/**
 * Checks a parsed SignedData over `content` (attached or detached): content
 * type, signed attributes (RFC 5652 §5.3, §11; RFC 5035), digest, signature,
 * key usage, and the chain to the anchors at signing time (SIG-3).
 * Throws {@link Failure} or {@link DerError}.
 */
export async function checkSignedData(
  bytes: Uint8Array,
  p: ParsedSignedData,
  content: Uint8Array,
  store: TrustStore,
  crypto: CryptoProvider,
  profile: SignedDataProfile = SEAL_PROFILE,
): Promise<SignedDataCheck> {
  if (p.eContentType !== profile.eContentType) throw new Failure('ERR_SEAL_CONTENT_TYPE', 'eContentType');
  const hash = resolveDigest(bytes, p.digestAlgorithm);
  if (!p.digestAlgorithms.includes(p.digestAlgorithm.oid)) throw new DerError('digest algorithm not listed');
  const contentType = singleAttribute(p, OID.contentType);
  if (contentType.tag !== TAG.OID || readOid(bytes, contentType, 'content-type') !== p.eContentType)
    throw new Failure('ERR_SEAL_CONTENT_TYPE', 'content-type attribute');
  const messageDigest = octetString(bytes, singleAttribute(p, OID.messageDigest), 'message-digest');
  let signingTime: Date;
  if (profile.at !== undefined) signingTime = profile.at;
  else {
    try {
      signingTime = readTime(bytes, singleAttribute(p, OID.signingTime), 'signing-time');
    } catch (e) {
      if (e instanceof DerError) throw new Failure('ERR_SEAL_SIGNED_ATTRIBUTES', 'signing-time');
      throw e;
    }
  }
  let essCert: { hashOid: string; hash: Uint8Array };
  try {
    essCert = readSigningCertificateV2(p);
  } catch (e) {
    if (e instanceof DerError) throw new Failure('ERR_SEAL_SIGNED_ATTRIBUTES', 'signing-certificate-v2');
    throw e;
  }
  // The signer's certificate.
  const pool = p.certificates.map((der) => store.parse(der));
  const cert = findSigner(p, pool);
  const alg = resolveSignatureAlgorithm(bytes, p.signatureAlgorithm, cert.key, hash);
  const essHash = resolveDigest(new Uint8Array(0), { oid: essCert.hashOid, params: undefined });
  const certHash = await digestOf(crypto, essHash, cert.der);
  if (!bytesEqual(certHash, essCert.hash)) throw new Failure('ERR_CERT_MISMATCH');
  // Digest, then signature.
  const digest = await digestOf(crypto, hash, content);
  if (!bytesEqual(digest, messageDigest)) throw new Failure('ERR_SEAL_DIGEST_MISMATCH');
  let publicKey: WebCryptoKey;
  try {
    publicKey = await store.publicKey(cert, alg);
  } catch {
    throw new Failure('ERR_CERT_INVALID', 'key import');
  }
  if (!(await verifySignature(crypto, publicKey, cert.key, alg, p.signature, p.signedAttrs))) throw new Failure('ERR_SEAL_SIGNATURE_INVALID');
  // Certificate policy and chain at signing time.
  profile.checkUsage(cert);
  const path = await store.path(cert, pool);
  checkValidityAt(path, signingTime);
  return { cert, path, signingTime, alg };
}

function findSigner(p: ParsedSignedData, pool: readonly ParsedCertificate[]): ParsedCertificate {
  const sid = p.sid;
  const found = pool.find((c) =>
    sid.kind === 'ski'
      ? c.subjectKeyId !== undefined && bytesEqual(c.subjectKeyId, sid.ski)
      : bytesEqual(c.issuer, sid.issuer) && bytesEqual(c.serial, sid.serial),
  );
  if (found === undefined) throw new Failure('ERR_CERT_NOT_FOUND');
  return found;
}

/** The signer and algorithm as reported to callers (SIG-3). */
export function describeSigner(
  check: SignedDataCheck,
  toHex: (b: Uint8Array) => string,
): { signer: { subject: string; serialNumber: string; anchor: string }; algorithm: string } {
  const { cert, path, alg } = check;
  const anchor = path[path.length - 1]!;
  return {
    signer: { subject: cert.subjectText, serialNumber: toHex(cert.serial), anchor: anchor.subjectText },
    algorithm:
      cert.key.kind === 'ec' ? `ECDSA ${cert.key.curve} ${alg.hash}` : `${alg.kind === 'rsa-pss' ? 'RSA-PSS' : 'RSA PKCS#1 v1.5'} ${cert.key.bits} ${alg.hash}`,
  };
}

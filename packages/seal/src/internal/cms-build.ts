import { concatBytes } from '@s3404/core';
import { TAG, oid, sequence, setOf, tlv, time, unsignedInteger } from './der.js';
import { ecdsaRawToDer, encodeDigestAlgorithm, encodeSignatureAlgorithm, type SignatureAlgorithm } from './algorithms.js';
import type { ParsedCertificate } from './certificate.js';
import { OID } from './oids.js';

/**
 * The parts of a SignedData that do not change from one record to the next
 * for a given certificate and algorithm, encoded once (RFC 5652 §5).
 */
export interface SealTemplate {
  readonly algorithm: SignatureAlgorithm;
  readonly curveSize: number | undefined;
  readonly head: Uint8Array; // version + digestAlgorithms
  readonly certificates: Uint8Array; // [0] IMPLICIT CertificateSet
  readonly signerHead: Uint8Array; // SignerInfo version + sid + digestAlgorithm
  readonly signatureAlgorithm: Uint8Array;
  readonly contentTypeAttribute: Uint8Array;
  readonly signingCertificateAttribute: Uint8Array;
  readonly contentTypeOid: Uint8Array;
}

const attribute = (type: string, value: Uint8Array): Uint8Array => sequence(oid(type), tlv(TAG.SET, value));

/** Builds the constant parts for a seal certificate (and the chain to embed). */
export function buildTemplate(
  cert: ParsedCertificate,
  chain: readonly ParsedCertificate[],
  algorithm: SignatureAlgorithm,
  certSha256: Uint8Array,
): SealTemplate {
  const digestAlgorithm = encodeDigestAlgorithm(algorithm.hash);
  const serial = tlv(TAG.INTEGER, cert.serial); // already minimal INTEGER content
  const sid = sequence(cert.issuer, serial);
  // ESSCertIDv2 with SHA-256 (the DEFAULT, so omitted) and IssuerSerial (RFC 5035 §3).
  const issuerSerial = sequence(sequence(tlv(0xa4, cert.issuer)), serial);
  const essCertId = sequence(tlv(TAG.OCTET_STRING, certSha256), issuerSerial);
  const curveSize = cert.key.kind === 'ec' ? (cert.key.curve === 'P-256' ? 32 : cert.key.curve === 'P-384' ? 48 : 66) : undefined;
  return {
    algorithm,
    curveSize,
    head: concatBytes(unsignedInteger(Uint8Array.of(1)), tlv(TAG.SET, digestAlgorithm)),
    certificates: setOf(TAG.CTX0, [cert.der, ...chain.map((c) => c.der)]),
    signerHead: concatBytes(unsignedInteger(Uint8Array.of(1)), sid, digestAlgorithm),
    signatureAlgorithm: encodeSignatureAlgorithm(algorithm),
    contentTypeAttribute: attribute(OID.contentType, oid(OID.data)),
    signingCertificateAttribute: attribute(OID.signingCertificateV2, sequence(sequence(essCertId))),
    contentTypeOid: oid(OID.data),
  };
}

/** The signed attributes as a SET (what is signed, RFC 5652 §5.4) for one record. */
export function signedAttributes(t: SealTemplate, contentDigest: Uint8Array, signingTime: Date): Uint8Array {
  return setOf(TAG.SET, [
    t.contentTypeAttribute,
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.messageDigest, tlv(TAG.OCTET_STRING, contentDigest)),
    t.signingCertificateAttribute,
  ]);
}

/** Assembles the ContentInfo once the signature is known. */
export function assembleSignedData(
  t: SealTemplate,
  content: Uint8Array | undefined,
  signedAttrs: Uint8Array,
  signature: Uint8Array,
  ecdsaFormat: 'p1363' | 'der',
): Uint8Array {
  let sig = signature;
  if (t.algorithm.kind === 'ecdsa' && ecdsaFormat === 'p1363') {
    if (signature.length !== 2 * t.curveSize!) throw new RangeError('ECDSA signature of unexpected length');
    sig = ecdsaRawToDer(signature);
  }
  // [0] IMPLICIT: same bytes as the SET, with the context tag.
  const implicitAttrs = Uint8Array.from(signedAttrs);
  implicitAttrs[0] = TAG.CTX0;
  const signerInfo = sequence(t.signerHead, implicitAttrs, t.signatureAlgorithm, tlv(TAG.OCTET_STRING, sig));
  // A detached signature omits eContent (RFC 5652 §5.2).
  const encap = content === undefined ? sequence(t.contentTypeOid) : sequence(t.contentTypeOid, tlv(TAG.CTX0, tlv(TAG.OCTET_STRING, content)));
  const signedData = sequence(t.head, encap, t.certificates, tlv(TAG.SET, signerInfo));
  return sequence(oid(OID.signedData), tlv(TAG.CTX0, signedData));
}

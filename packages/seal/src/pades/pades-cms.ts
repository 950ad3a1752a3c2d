import { TAG, oid, sequence, setOf, tlv } from '../internal/der.js';
import type { SealKey } from '../internal/seal-key.js';
import { OID } from '../internal/oids.js';

/** id-aa-signatureTimeStampToken (RFC 3161 Appendix A, ETSI EN 319 122-1 §5.3). */
export const OID_SIGNATURE_TIMESTAMP = '1.2.840.113549.1.9.16.2.14';

const attribute = (type: string, value: Uint8Array): Uint8Array => sequence(oid(type), tlv(TAG.SET, value));

/**
 * The signed attributes of a PAdES baseline signature (ETSI EN 319 142-1
 * §5.4.2, EN 319 122-1 §5.2): content-type (id-data), message-digest of the
 * ByteRange bytes and ESS signing-certificate-v2. No signing-time: EN 319
 * 142-1 forbids it in PAdES baseline signatures, the claimed signing time
 * is the signature dictionary's `/M`.
 */
export function padesSignedAttributes(seal: SealKey, byteRangeDigest: Uint8Array): Uint8Array {
  return setOf(TAG.SET, [
    seal.template.contentTypeAttribute,
    attribute(OID.messageDigest, tlv(TAG.OCTET_STRING, byteRangeDigest)),
    seal.template.signingCertificateAttribute,
  ]);
}

/**
 * A detached CMS SignedData (RFC 5652) of one signer, with an optional
 * signature time-stamp token as unsigned attribute (PAdES B-T).
 */
export function assemblePadesCms(seal: SealKey, attrs: Uint8Array, signature: Uint8Array, timestampToken?: Uint8Array): Uint8Array {
  const t = seal.template;
  const implicitAttrs = Uint8Array.from(attrs);
  implicitAttrs[0] = TAG.CTX0;
  const unsigned = timestampToken === undefined ? new Uint8Array(0) : tlv(0xa1, attribute(OID_SIGNATURE_TIMESTAMP, timestampToken));
  const signerInfo = sequence(t.signerHead, implicitAttrs, t.signatureAlgorithm, tlv(TAG.OCTET_STRING, signature), unsigned);
  const signedData = sequence(t.head, sequence(t.contentTypeOid), t.certificates, tlv(TAG.SET, signerInfo));
  return sequence(oid(OID.signedData), tlv(TAG.CTX0, signedData));
}

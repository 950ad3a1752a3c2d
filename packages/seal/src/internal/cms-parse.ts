import { DerError, TAG, children, content, expectTag, integerBytes, readOid, readRoot, readSmallInt, whole, type Tlv } from './der.js';
import { readAlgorithmId, type AlgorithmId } from './algorithms.js';
import { Failure } from './failure.js';
import { OID } from './oids.js';

/** The signer identifier (RFC 5652 §5.3). */
export type SignerId =
  | { readonly kind: 'issuer-serial'; readonly issuer: Uint8Array; readonly serial: Uint8Array }
  | { readonly kind: 'ski'; readonly ski: Uint8Array };

/** A parsed single-signer, attached SignedData (RFC 5652 §5.1). */
export interface ParsedSignedData {
  readonly buf: Uint8Array;
  readonly eContentType: string;
  /** The encapsulated content; `undefined` for a detached signature. */
  readonly content: Uint8Array | undefined;
  readonly digestAlgorithms: readonly string[];
  readonly certificates: readonly Uint8Array[];
  readonly sid: SignerId;
  readonly digestAlgorithm: AlgorithmId;
  /** The signed attributes re-tagged as SET OF (what the signature covers). */
  readonly signedAttrs: Uint8Array;
  /** Attribute type → its values (TLVs in `buf`). */
  readonly attributes: ReadonlyMap<string, readonly Tlv[]>;
  readonly signatureAlgorithm: AlgorithmId;
  readonly signature: Uint8Array;
}

const MAX_CERTIFICATES = 10;

/**
 * Parses a DER ContentInfo holding a SignedData. Structure errors throw
 * {@link DerError}; a wrong content type throws `ERR_SEAL_CONTENT_TYPE`.
 */
export function parseSignedData(buf: Uint8Array, options: { readonly detached?: boolean } = {}): ParsedSignedData {
  const root = readRoot(buf);
  const [typeNode, explicit, extra] = children(buf, expectTag(root, TAG.SEQUENCE, 'ContentInfo'));
  if (extra !== undefined) throw new DerError('ContentInfo fields');
  if (readOid(buf, typeNode, 'contentType') !== OID.signedData) throw new Failure('ERR_SEAL_CONTENT_TYPE', 'not SignedData');
  const inner = children(buf, expectTag(explicit, TAG.CTX0, 'content'));
  if (inner.length !== 1) throw new DerError('content');
  const fields = children(buf, expectTag(inner[0], TAG.SEQUENCE, 'SignedData'));
  let i = 0;
  const version = readSmallInt(buf, fields[i++], 'version');
  if (version !== 1 && version !== 3) throw new DerError('SignedData version');
  const digestAlgorithms = children(buf, expectTag(fields[i++], TAG.SET, 'digestAlgorithms')).map((n) => readAlgorithmId(buf, n, 'digestAlgorithm').oid);
  const encap = children(buf, expectTag(fields[i++], TAG.SEQUENCE, 'encapContentInfo'));
  const eContentType = readOid(buf, encap[0], 'eContentType');
  let eContent: Uint8Array | undefined;
  if (encap[1] === undefined) {
    if (options.detached !== true) throw new Failure('ERR_SEAL_CONTENT_TYPE', 'detached content');
  } else {
    if (encap.length !== 2) throw new DerError('encapContentInfo');
    const wrapped = children(buf, expectTag(encap[1], TAG.CTX0, 'eContent'));
    if (wrapped.length !== 1) throw new DerError('eContent');
    eContent = content(buf, expectTag(wrapped[0], TAG.OCTET_STRING, 'eContent'));
  }
  const certificates: Uint8Array[] = [];
  if (fields[i]?.tag === TAG.CTX0) {
    for (const c of children(buf, fields[i]!)) {
      if (c.tag !== TAG.SEQUENCE) throw new DerError('certificate choice');
      certificates.push(whole(buf, c));
      if (certificates.length > MAX_CERTIFICATES) throw new DerError('too many certificates');
    }
    i++;
  }
  if (fields[i]?.tag === TAG.CTX1) throw new DerError('revocation data not supported');
  const signerInfos = children(buf, expectTag(fields[i++], TAG.SET, 'signerInfos'));
  if (i !== fields.length) throw new DerError('SignedData fields');
  if (signerInfos.length !== 1) throw new DerError('exactly one signer expected');
  const s = children(buf, expectTag(signerInfos[0], TAG.SEQUENCE, 'SignerInfo'));
  let j = 0;
  const signerVersion = readSmallInt(buf, s[j++], 'SignerInfo version');
  const sidNode = s[j++];
  let sid: SignerId;
  if (signerVersion === 1) {
    const [issuer, serial, more] = children(buf, expectTag(sidNode, TAG.SEQUENCE, 'IssuerAndSerialNumber'));
    if (more !== undefined) throw new DerError('sid');
    sid = { kind: 'issuer-serial', issuer: whole(buf, expectTag(issuer, TAG.SEQUENCE, 'issuer')), serial: integerBytes(buf, serial, 'serial') };
  } else if (signerVersion === 3) {
    sid = { kind: 'ski', ski: content(buf, expectTag(sidNode, TAG.CTX0_PRIMITIVE, 'subjectKeyIdentifier')) };
  } else throw new DerError('SignerInfo version');
  const digestAlgorithm = readAlgorithmId(buf, s[j++], 'digestAlgorithm');
  const attrsNode = s[j];
  if (attrsNode?.tag !== TAG.CTX0) throw new Failure('ERR_SEAL_SIGNED_ATTRIBUTES', 'no signed attributes');
  j++;
  const attributes = new Map<string, Tlv[]>();
  for (const attr of children(buf, attrsNode)) {
    const [typeOid, values, more] = children(buf, expectTag(attr, TAG.SEQUENCE, 'Attribute'));
    if (more !== undefined) throw new DerError('Attribute');
    const type = readOid(buf, typeOid, 'attribute type');
    if (attributes.has(type)) throw new Failure('ERR_SEAL_SIGNED_ATTRIBUTES', 'duplicate attribute');
    attributes.set(type, children(buf, expectTag(values, TAG.SET, 'attribute values')));
  }
  const signedAttrs = Uint8Array.from(whole(buf, attrsNode));
  signedAttrs[0] = TAG.SET;
  const signatureAlgorithm = readAlgorithmId(buf, s[j++], 'signatureAlgorithm');
  const signature = content(buf, expectTag(s[j++], TAG.OCTET_STRING, 'signature'));
  if (s[j] !== undefined && (s[j]!.tag !== TAG.CTX1 || j + 1 !== s.length)) throw new DerError('SignerInfo fields');
  return { buf, eContentType, content: eContent, digestAlgorithms, certificates, sid, digestAlgorithm, signedAttrs, attributes, signatureAlgorithm, signature };
}

/** The single value of a signed attribute, or a coded failure. */
export function singleAttribute(p: ParsedSignedData, type: string): Tlv {
  const values = p.attributes.get(type);
  if (values === undefined || values.length !== 1) throw new Failure('ERR_SEAL_SIGNED_ATTRIBUTES', `attribute ${type}`);
  return values[0]!;
}

/** Reads the signing-certificate-v2 attribute's first ESSCertIDv2 (RFC 5035 §3). */
export function readSigningCertificateV2(p: ParsedSignedData): { hashOid: string; hash: Uint8Array } {
  const { buf } = p;
  const value = singleAttribute(p, OID.signingCertificateV2);
  const [certs] = children(buf, expectTag(value, TAG.SEQUENCE, 'SigningCertificateV2'));
  const [first] = children(buf, expectTag(certs, TAG.SEQUENCE, 'certs'));
  const parts = children(buf, expectTag(first, TAG.SEQUENCE, 'ESSCertIDv2'));
  let k = 0;
  let hashOid: string = OID.sha256;
  if (parts[k]?.tag === TAG.SEQUENCE) hashOid = readAlgorithmId(buf, parts[k++], 'hashAlgorithm').oid;
  const hash = content(buf, expectTag(parts[k], TAG.OCTET_STRING, 'certHash'));
  return { hashOid, hash };
}

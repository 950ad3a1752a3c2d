import {
  DerError,
  TAG,
  bitStringBytes,
  children,
  content,
  expectTag,
  integerBytes,
  readBoolean,
  readNamedBits,
  readOid,
  readRoot,
  readSmallInt,
  readString,
  readTime,
  readTlv,
  whole,
  type Tlv,
} from './der.js';
import { readAlgorithmId, readKeyInfo, type AlgorithmId, type KeyInfo } from './algorithms.js';
import { Failure } from './failure.js';
import { KNOWN_EXTENSIONS, OID } from './oids.js';

/** Key usage bits (RFC 5280 §4.2.1.3), bit 0 first. */
export const KEY_USAGE = {
  digitalSignature: 1 << 0,
  nonRepudiation: 1 << 1,
  keyEncipherment: 1 << 2,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
} as const;

/** What the seal needs from an X.509 certificate (RFC 5280 §4.1). */
export interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmId;
  readonly signature: Uint8Array;
  /** INTEGER content of the serial number. */
  readonly serial: Uint8Array;
  /** Raw encodings of the issuer and subject Names, compared bytewise. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly subjectText: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo encoding, for Web Crypto import. */
  readonly spki: Uint8Array;
  readonly key: KeyInfo;
  readonly ca: boolean;
  readonly pathLength: number | undefined;
  /** Key usage mask, undefined when the extension is absent. */
  readonly keyUsage: number | undefined;
  readonly extKeyUsage: readonly string[] | undefined;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
}

const NAME_LABELS: Readonly<Record<string, string>> = {
  [OID.cn]: 'CN',
  [OID.o]: 'O',
  [OID.ou]: 'OU',
  [OID.c]: 'C',
  [OID.l]: 'L',
  [OID.serialNumber]: 'serialNumber',
  [OID.organizationIdentifier]: 'organizationIdentifier',
};

function nameText(buf: Uint8Array, name: Tlv): string {
  const parts: string[] = [];
  for (const rdn of children(buf, expectTag(name, TAG.SEQUENCE, 'name'))) {
    for (const atv of children(buf, expectTag(rdn, TAG.SET, 'rdn'))) {
      const [type, value] = children(buf, expectTag(atv, TAG.SEQUENCE, 'attribute'));
      const label = NAME_LABELS[readOid(buf, type, 'attribute type')];
      if (value === undefined) throw new DerError('attribute value');
      const text = readString(buf, value);
      if (label !== undefined && text !== undefined) parts.push(`${label}=${text}`);
    }
  }
  return parts.join(', ');
}

/**
 * Parses one DER certificate. Throws {@link Failure} `ERR_CERT_INVALID` for
 * structural problems and unknown critical extensions; key policy failures
 * keep their own codes.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  try {
    return parse(der);
  } catch (e) {
    if (e instanceof DerError) throw new Failure('ERR_CERT_INVALID', e.reason);
    throw e;
  }
}

function parse(der: Uint8Array): ParsedCertificate {
  const root = readRoot(der);
  const [tbsNode, sigAlgNode, sigNode, extra] = children(der, expectTag(root, TAG.SEQUENCE, 'certificate'));
  if (extra !== undefined) throw new DerError('certificate fields');
  const fields = children(der, expectTag(tbsNode, TAG.SEQUENCE, 'tbs'));
  let i = 0;
  let version = 0;
  if (fields[0]?.tag === TAG.CTX0) {
    const inner = readTlv(der, fields[0].contentStart, fields[0].end);
    version = readSmallInt(der, inner, 'version');
    i++;
  }
  if (version !== 2) throw new DerError('only X.509 v3 certificates');
  const serial = integerBytes(der, fields[i++], 'serial');
  if (serial.length > 21) throw new DerError('serial too long');
  const innerSigAlg = readAlgorithmId(der, fields[i++], 'tbs signature');
  const issuerNode = expectTag(fields[i++], TAG.SEQUENCE, 'issuer');
  const [nb, na, extraValidity] = children(der, expectTag(fields[i++], TAG.SEQUENCE, 'validity'));
  if (extraValidity !== undefined) throw new DerError('validity');
  const notBefore = readTime(der, nb, 'notBefore');
  const notAfter = readTime(der, na, 'notAfter');
  const subjectNode = expectTag(fields[i++], TAG.SEQUENCE, 'subject');
  const spkiNode = expectTag(fields[i++], TAG.SEQUENCE, 'spki');
  const signatureAlgorithm = readAlgorithmId(der, sigAlgNode, 'signature algorithm');
  if (!sameAlgorithm(der, innerSigAlg, signatureAlgorithm)) throw new DerError('signature algorithms differ');
  let ca = false;
  let pathLength: number | undefined;
  let keyUsage: number | undefined;
  let extKeyUsage: string[] | undefined;
  let subjectKeyId: Uint8Array | undefined;
  let authorityKeyId: Uint8Array | undefined;
  const seen = new Set<string>();
  for (; i < fields.length; i++) {
    const field = fields[i]!;
    if (field.tag === 0x81 || field.tag === 0x82) continue; // unique identifiers, ignored
    if (field.tag !== TAG.CTX3) throw new DerError('tbs field');
    const list = readTlv(der, field.contentStart, field.end);
    for (const ext of children(der, expectTag(list, TAG.SEQUENCE, 'extensions'))) {
      const parts = children(der, expectTag(ext, TAG.SEQUENCE, 'extension'));
      const id = readOid(der, parts[0], 'extension id');
      if (seen.has(id)) throw new DerError('duplicate extension');
      seen.add(id);
      let critical = false;
      let valueNode = parts[1];
      if (valueNode?.tag === TAG.BOOLEAN) {
        critical = readBoolean(der, valueNode, 'critical');
        valueNode = parts[2];
      }
      const value = content(der, expectTag(valueNode, TAG.OCTET_STRING, 'extension value'));
      if (critical && !KNOWN_EXTENSIONS.has(id)) throw new Failure('ERR_CERT_INVALID', 'unknown critical extension');
      const v = value.length === 0 ? undefined : readTlv(value, 0, value.length);
      if (v === undefined || v.end !== value.length) throw new DerError('extension value');
      if (id === OID.basicConstraints) {
        const bc = children(value, expectTag(v, TAG.SEQUENCE, 'basic constraints'));
        let j = 0;
        if (bc[j]?.tag === TAG.BOOLEAN) ca = readBoolean(value, bc[j++]!, 'ca');
        if (bc[j] !== undefined) pathLength = readSmallInt(value, bc[j], 'path length');
      } else if (id === OID.keyUsage) {
        keyUsage = readNamedBits(value, v, 'key usage');
      } else if (id === OID.extKeyUsage) {
        extKeyUsage = children(value, expectTag(v, TAG.SEQUENCE, 'eku')).map((n) => readOid(value, n, 'eku'));
      } else if (id === OID.subjectKeyIdentifier) {
        subjectKeyId = content(value, expectTag(v, TAG.OCTET_STRING, 'ski'));
      } else if (id === OID.authorityKeyIdentifier) {
        const first = children(value, expectTag(v, TAG.SEQUENCE, 'aki'))[0];
        if (first?.tag === TAG.CTX0_PRIMITIVE) authorityKeyId = content(value, first);
      }
    }
  }
  return {
    der,
    tbs: whole(der, tbsNode!),
    signatureAlgorithm,
    signature: bitStringBytes(der, sigNode, 'certificate signature'),
    serial,
    issuer: whole(der, issuerNode),
    subject: whole(der, subjectNode),
    subjectText: nameText(der, subjectNode),
    notBefore,
    notAfter,
    spki: whole(der, spkiNode),
    key: readKeyInfo(der, spkiNode),
    ca,
    pathLength,
    keyUsage,
    extKeyUsage,
    subjectKeyId,
    authorityKeyId,
  };
}

function sameAlgorithm(buf: Uint8Array, a: AlgorithmId, b: AlgorithmId): boolean {
  if (a.oid !== b.oid) return false;
  const pa = a.params === undefined ? undefined : whole(buf, a.params);
  const pb = b.params === undefined ? undefined : whole(buf, b.params);
  if (pa === undefined || pb === undefined) return pa === pb;
  return pa.length === pb.length && pa.every((x, k) => x === pb[k]);
}

import { KEY_USAGE, type ParsedCertificate } from '../internal/certificate.js';
import { Failure } from '../internal/failure.js';
import { OID } from '../internal/oids.js';

/**
 * A TSA certificate (RFC 3161 §2.3): the extended key usage extension holds
 * timeStamping and nothing else; a key usage, when present, allows signing.
 * (The criticality RFC 3161 asks of the extension is not checked.)
 * Throws {@link Failure} `ERR_CERT_KEY_USAGE`.
 */
export function checkTsaUsage(cert: ParsedCertificate): void {
  const eku = cert.extKeyUsage;
  if (eku === undefined || eku.length !== 1 || eku[0] !== OID.ekuTimeStamping) throw new Failure('ERR_CERT_KEY_USAGE', 'timeStamping');
  if (cert.keyUsage !== undefined && (cert.keyUsage & (KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation)) === 0) {
    throw new Failure('ERR_CERT_KEY_USAGE', 'key usage');
  }
}

/** A dotted object identifier as `der.oid` can encode it (RFC 3161 TSAPolicyId). */
export function isDottedOid(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 128 || !/^[0-2]\.(0|[1-9]\d{0,14})(\.(0|[1-9]\d{0,14}))*$/.test(value)) return false;
  const [first, second] = value.split('.').map(Number) as [number, number];
  return first === 2 || second < 40;
}

/** The largest TimeStampResp or TimeStampToken read, bytes. */
export const MAX_TSP_BYTES = 64 * 1024;

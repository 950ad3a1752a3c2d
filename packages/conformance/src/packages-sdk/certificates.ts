import { readPemCertificates } from '@s3404/seal';

/** The certificates of a trust anchor given as PEM (one or more) or as DER. */
export function certificates(bytes: Uint8Array): Uint8Array[] {
  const text = new TextDecoder().decode(bytes.subarray(0, 64));
  return text.trimStart().startsWith('-----BEGIN') ? readPemCertificates(new TextDecoder().decode(bytes)) : [bytes];
}

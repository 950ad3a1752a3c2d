/**
 * Set-up of the PKCS#11 tests: a SoftHSM2 token provisioned as an operator
 * would (keys generated inside it by `pkcs11-tool`), and seal certificates
 * issued by the development CA for the token's public keys.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { DevelopmentPki } from '@s3404/seal/pki';

type X509Crypto = Parameters<typeof x509.X509CertificateGenerator.create>[1];

/**
 * A seal certificate (digitalSignature, nonRepudiation) for a token public
 * key, signed by the development CA (ECDSA P-256), valid from `from` to `to`.
 */
export async function issueSealCertificate(
  pki: DevelopmentPki,
  spki: Uint8Array,
  options: { readonly cn: string; readonly rsa?: boolean; readonly from: Date; readonly to: Date; readonly serial: string },
): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const caKey = await subtle.importKey('pkcs8', Uint8Array.from(pki.ca.privateKey), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const publicKey = await subtle.importKey(
    'spki',
    Uint8Array.from(spki),
    options.rsa === true ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    ['verify'],
  );
  const ca = new x509.X509Certificate(Uint8Array.from(pki.ca.certificate));
  const F = x509.KeyUsageFlags;
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: options.serial,
      subject: `CN=${options.cn}, O=Clinique de démonstration, C=FR`,
      issuer: ca.subject,
      notBefore: options.from,
      notAfter: options.to,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      publicKey,
      signingKey: caKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(F.digitalSignature | F.nonRepudiation, true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, globalThis.crypto as unknown as X509Crypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca, false, globalThis.crypto as unknown as X509Crypto),
      ],
    },
    globalThis.crypto as unknown as X509Crypto,
  );
  return new Uint8Array(cert.rawData);
}

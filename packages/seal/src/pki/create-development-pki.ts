import { randomBytes, readClock, resolveClock, resolveRandom, toHex, type Clock, type RandomSource } from '@s3404/core';
import { writePem } from '../pem.js';
import type { CryptoProvider, SubtleCryptoLike, WebCryptoAlgorithm, WebCryptoKey } from '../web-crypto.js';
import { resolveCrypto } from '../internal/crypto.js';

/** Key algorithm of the development PKI (SIG-3). @public */
export type PkiAlgorithm = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048' | 'rsa-pss-2048' | 'rsa-3072';

/**
 * The Web Crypto the development PKI needs (SIG-3): what the seal uses, plus
 * key generation and export, and `getRandomValues` for @peculiar/x509. The
 * platform's `crypto` (browser, Node's `globalThis.crypto` or `webcrypto`)
 * fits as it is.
 *
 * `import type { DevelopmentPkiCrypto } from '@s3404/seal/pki'`
 *
 * @public
 */
export interface DevelopmentPkiCrypto extends CryptoProvider {
  readonly subtle: SubtleCryptoLike & {
    generateKey(
      algorithm: WebCryptoAlgorithm,
      extractable: boolean,
      keyUsages: ('sign' | 'verify')[],
    ): Promise<{ readonly publicKey: WebCryptoKey; readonly privateKey: WebCryptoKey } | WebCryptoKey>;
    exportKey(format: 'pkcs8', key: WebCryptoKey): Promise<ArrayBuffer>;
  };
  getRandomValues(array: Uint8Array<ArrayBuffer>): Uint8Array;
}

/** Options of {@link createDevelopmentPki} (SIG-3). @public */
export interface DevelopmentPkiOptions {
  /** Default `ecdsa-p256` (the seal's default algorithm). */
  readonly algorithm?: PkiAlgorithm;
  /** Organisation named in the certificates. Default « Clinique de démonstration ». */
  readonly organization?: string;
  /** The clock: validity starts one hour before its now. Default: the system clock. */
  readonly now?: Clock;
  /** Validity of the seal and TSA certificates in days (the CA gets twice as long). Default 825. */
  readonly validityDays?: number;
  /** Random source of the serial numbers. Default: Web Crypto's CSPRNG. */
  readonly random?: RandomSource;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: DevelopmentPkiCrypto;
}

/** A certificate with its PKCS#8 private key (DER). @public */
export interface IssuedKeyPair {
  readonly certificate: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** A development PKI (SIG-3). @public */
export interface DevelopmentPki {
  readonly ca: IssuedKeyPair;
  /** The seal certificate: keyUsage digitalSignature + nonRepudiation, critical. */
  readonly seal: IssuedKeyPair;
  /** A time-stamping certificate: extKeyUsage timeStamping, critical (RFC 3161 §2.3). */
  readonly tsa: IssuedKeyPair;
  /** The same as PEM files: `ca.pem`, `ca-key.pem`, `seal-cert.pem`, `seal-key.pem`, `tsa-cert.pem`, `tsa-key.pem`. */
  readonly files: Readonly<Record<'ca.pem' | 'ca-key.pem' | 'seal-cert.pem' | 'seal-key.pem' | 'tsa-cert.pem' | 'tsa-key.pem', string>>;
}

function keyAlgorithm(a: PkiAlgorithm): { generate: WebCryptoAlgorithm; sign: WebCryptoAlgorithm } {
  switch (a) {
    case 'ecdsa-p256':
      return { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } };
    case 'ecdsa-p384':
      return { generate: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } };
    case 'rsa-pss-2048':
      return {
        generate: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        sign: { name: 'RSA-PSS', saltLength: 32 },
      };
    case 'rsa-2048':
    case 'rsa-3072':
      return {
        generate: { name: 'RSASSA-PKCS1-v1_5', modulusLength: a === 'rsa-2048' ? 2048 : 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        sign: { name: 'RSASSA-PKCS1-v1_5' },
      };
    default:
      throw new TypeError(`createDevelopmentPki: unknown algorithm ${String(a)}`);
  }
}

/**
 * Creates a development CA, a seal certificate and key, and a TSA
 * certificate and key (SIG-3) — what `s3404 pki init DIR` writes. The
 * certificates verify with `openssl verify -CAfile ca.pem seal-cert.pem` and
 * seal records that `openssl cms -verify` accepts.
 *
 * `import { createDevelopmentPki } from '@s3404/seal/pki'`
 *
 * @example
 * ```ts
 * const pki = await createDevelopmentPki()
 * for (const [name, pem] of Object.entries(pki.files)) await writeFile(join(dir, name), pem)
 * ```
 * @throws TypeError for an unknown algorithm, a `validityDays` out of range or a `now` that is not a Clock.
 * @public
 */
export async function createDevelopmentPki(options: DevelopmentPkiOptions = {}): Promise<DevelopmentPki> {
  const crypto = resolveCrypto<DevelopmentPkiCrypto>(options.crypto);
  const now = resolveClock(options.now, 'createDevelopmentPki');
  const random = resolveRandom(options.random);
  const algorithm = keyAlgorithm(options.algorithm ?? 'ecdsa-p256');
  const days = options.validityDays ?? 825;
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new TypeError('validityDays must be an integer between 1 and 3650');
  const organization = (options.organization ?? 'Clinique de démonstration').replace(/[,=+<>#;"\\]/g, ' ');
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  // @peculiar/x509 types its engine and keys with the DOM's Crypto and CryptoKey: the same objects, described structurally here.
  type X509Crypto = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1];
  type X509KeyPair = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];
  const c = crypto as unknown as X509Crypto;
  const start = new Date(readClock(now, 'createDevelopmentPki').getTime() - 3600_000);
  start.setUTCMilliseconds(0);
  const end = (d: number): Date => new Date(start.getTime() + d * 86_400_000);
  const serial = (): string => {
    const b = Uint8Array.from(randomBytes(random, 16));
    b[0] = (b[0]! & 0x7f) | 0x01;
    return toHex(b);
  };
  const generate = async (): Promise<X509KeyPair> => (await crypto.subtle.generateKey(algorithm.generate, true, ['sign', 'verify'])) as unknown as X509KeyPair;
  const pkcs8 = async (key: WebCryptoKey): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.exportKey('pkcs8', key));
  const F = x509.KeyUsageFlags;

  const caKeys = await generate();
  const caName = `CN=S3404 Development Root CA, O=${organization}, C=FR`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: caName,
      notBefore: start,
      notAfter: end(2 * days),
      signingAlgorithm: algorithm.sign,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(F.keyCertSign | F.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, c),
      ],
    },
    c,
  );
  const issue = async (cn: string, extensions: InstanceType<typeof x509.Extension>[]): Promise<IssuedKeyPair> => {
    const keys = await generate();
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: serial(),
        subject: `CN=${cn}, O=${organization}, C=FR`,
        issuer: ca.subject,
        notBefore: start,
        notAfter: end(days),
        signingAlgorithm: algorithm.sign,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          ...extensions,
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, c),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, c),
        ],
      },
      c,
    );
    return { certificate: new Uint8Array(cert.rawData), privateKey: await pkcs8(keys.privateKey) };
  };
  const seal = await issue('Cachet S3404 (développement)', [new x509.KeyUsagesExtension(F.digitalSignature | F.nonRepudiation, true)]);
  const tsa = await issue('Horodatage S3404 (développement)', [
    new x509.KeyUsagesExtension(F.digitalSignature | F.nonRepudiation, true),
    new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.8'], true),
  ]);
  const caPair: IssuedKeyPair = { certificate: new Uint8Array(ca.rawData), privateKey: await pkcs8(caKeys.privateKey) };
  return {
    ca: caPair,
    seal,
    tsa,
    files: {
      'ca.pem': writePem(caPair.certificate, 'CERTIFICATE'),
      'ca-key.pem': writePem(caPair.privateKey, 'PRIVATE KEY'),
      'seal-cert.pem': writePem(seal.certificate, 'CERTIFICATE'),
      'seal-key.pem': writePem(seal.privateKey, 'PRIVATE KEY'),
      'tsa-cert.pem': writePem(tsa.certificate, 'CERTIFICATE'),
      'tsa-key.pem': writePem(tsa.privateKey, 'PRIVATE KEY'),
    },
  };
}

import type { Locale } from '@s3404/form/errors';
import { SealError } from '../errors/seal-error.js';
import { importPkcs8Signer, signerFromCryptoKey, type Signer } from '../signer.js';
import { checkSealKeyUsage } from './chain.js';
import { assembleSignedData, buildTemplate, signedAttributes, type SealTemplate } from './cms-build.js';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { ecdsaRawToDer, importParams, verifySignature } from './algorithms.js';
import { buffer, type CryptoProvider } from './crypto.js';
import { Failure } from './failure.js';

/** A seal key checked against its certificate, ready to sign CMS content. */
export interface SealKey {
  readonly cert: ParsedCertificate;
  readonly template: SealTemplate;
  readonly signer: Signer;
  readonly crypto: CryptoProvider;
}

export interface SealKeyOptions {
  readonly key: Signer | CryptoKey | Uint8Array;
  readonly certificate: Uint8Array;
  readonly chain?: readonly Uint8Array[] | undefined;
  readonly crypto: CryptoProvider;
  readonly locale: Locale;
}

/**
 * Parses the certificate, checks it allows signing, and proves once that
 * the key matches it, so nothing is ever sealed with a wrong key (SIG-3).
 */
export async function prepareSealKey(options: SealKeyOptions): Promise<SealKey> {
  const { crypto, locale } = options;
  if (!(options.certificate instanceof Uint8Array)) throw new TypeError('options.certificate must be DER bytes (Uint8Array)');
  let cert: ParsedCertificate;
  let chain: ParsedCertificate[];
  try {
    cert = parseCertificate(Uint8Array.from(options.certificate));
    chain = (options.chain ?? []).map((d) => parseCertificate(Uint8Array.from(d)));
    checkSealKeyUsage(cert);
  } catch (e) {
    if (e instanceof Failure) throw new SealError(e.code, { locale, cause: e });
    throw e;
  }
  const signer: Signer =
    options.key instanceof Uint8Array
      ? await importPkcs8Signer(options.key, { crypto, locale })
      : typeof (options.key as Signer | undefined)?.sign === 'function'
        ? (options.key as Signer)
        : signerFromCryptoKey(options.key as CryptoKey, { crypto, locale });
  const alg = signer.algorithm;
  if ((alg.kind === 'ecdsa') !== (cert.key.kind === 'ec')) throw new SealError('ERR_KEY_MISMATCH', { locale });
  const certSha256 = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer(cert.der)));
  const template = buildTemplate(cert, chain, alg, certSha256);
  const probe = new TextEncoder().encode('s3404 seal key check');
  try {
    let sig = await signer.sign({ data: probe, digest: async () => new Uint8Array(await crypto.subtle.digest(alg.hash, buffer(probe))) });
    if (alg.kind === 'ecdsa' && (signer.ecdsaFormat ?? 'p1363') === 'p1363') sig = ecdsaRawToDer(sig);
    const publicKey = await crypto.subtle.importKey('spki', buffer(cert.spki), importParams(cert.key, alg), false, ['verify']);
    if (!(await verifySignature(crypto, publicKey, cert.key, alg, sig, probe))) throw new SealError('ERR_KEY_MISMATCH', { locale });
  } catch (e) {
    if (e instanceof SealError) throw e;
    throw new SealError('ERR_KEY_MISMATCH', { locale, cause: e });
  }
  return { cert, template, signer, crypto };
}

/** Signs `content` as a CMS SignedData, attached or detached (RFC 5652). */
export async function signContent(key: SealKey, content: Uint8Array, signingTime: Date, detached: boolean): Promise<Uint8Array> {
  const { crypto, template, signer } = key;
  const hash = template.algorithm.hash;
  const contentDigest = new Uint8Array(await crypto.subtle.digest(hash, buffer(content)));
  const attrs = signedAttributes(template, contentDigest, signingTime);
  const signature = await signer.sign({ data: attrs, digest: async () => new Uint8Array(await crypto.subtle.digest(hash, buffer(attrs))) });
  return assembleSignedData(template, detached ? undefined : content, attrs, signature, signer.ecdsaFormat ?? 'p1363');
}

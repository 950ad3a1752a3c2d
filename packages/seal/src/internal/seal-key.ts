import type { Locale } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import { importPkcs8SigningKey, signingKeyFromCryptoKey, type SigningKey } from '../signing-key.js';
import type { CryptoProvider, WebCryptoKey } from '../web-crypto.js';
import { checkSealKeyUsage } from './chain.js';
import { assembleSignedData, buildTemplate, signedAttributes, type SealTemplate } from './cms-build.js';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { ecdsaRawToDer, importParams, verifySignature } from './algorithms.js';
import { buffer, digest } from './crypto.js';
import { Failure } from './failure.js';

/** A seal key checked against its certificate, ready to sign CMS content. */
export interface SealKey {
  readonly cert: ParsedCertificate;
  readonly template: SealTemplate;
  readonly key: SigningKey;
  readonly crypto: CryptoProvider;
}

export interface SealKeyOptions {
  readonly key: SigningKey | WebCryptoKey | Uint8Array;
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
  const key: SigningKey =
    options.key instanceof Uint8Array
      ? await importPkcs8SigningKey(options.key, { crypto, locale })
      : typeof (options.key as SigningKey | undefined)?.sign === 'function'
        ? (options.key as SigningKey)
        : signingKeyFromCryptoKey(options.key as WebCryptoKey, { crypto, locale });
  const alg = key.algorithm;
  if ((alg.kind === 'ecdsa') !== (cert.key.kind === 'ec')) throw new SealError('ERR_KEY_MISMATCH', { locale });
  const template = buildTemplate(cert, chain, alg, await digest(crypto, 'SHA-256', cert.der));
  const probe = new TextEncoder().encode('s3404 seal key check');
  try {
    let sig = await key.sign({ data: probe, digest: () => digest(crypto, alg.hash, probe) });
    if (alg.kind === 'ecdsa' && (key.ecdsaFormat ?? 'p1363') === 'p1363') sig = ecdsaRawToDer(sig);
    const publicKey = await crypto.subtle.importKey('spki', buffer(cert.spki), importParams(cert.key, alg), false, ['verify']);
    if (!(await verifySignature(crypto, publicKey, cert.key, alg, sig, probe))) throw new SealError('ERR_KEY_MISMATCH', { locale });
  } catch (e) {
    if (e instanceof SealError) throw e;
    throw new SealError('ERR_KEY_MISMATCH', { locale, cause: e });
  }
  return { cert, template, key, crypto };
}

/** Signs `content` as a CMS SignedData, attached or detached (RFC 5652). */
export async function signContent(seal: SealKey, content: Uint8Array, signingTime: Date, detached: boolean): Promise<Uint8Array> {
  const { crypto, template, key } = seal;
  const hash = template.algorithm.hash;
  const attrs = signedAttributes(template, await digest(crypto, hash, content), signingTime);
  const signature = await key.sign({ data: attrs, digest: () => digest(crypto, hash, attrs) });
  return assembleSignedData(template, detached ? undefined : content, attrs, signature, key.ecdsaFormat ?? 'p1363');
}

/** The signing time of a seal made at `at`: whole seconds, as the signing-time attribute holds it (RFC 5652 §11.3). */
export function signingTimeAt(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

import {
  concatBytes,
  randomBytes,
  readClock,
  resolveClock,
  resolveLocale,
  resolveRandom,
  type Clock,
  type Locale,
  type RandomSource,
  type TimeStamper,
  type TimeStampOptions,
} from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import { importPkcs8SigningKey, signingKeyFromCryptoKey, type SigningKey } from '../signing-key.js';
import type { CryptoProvider, WebCryptoKey } from '../web-crypto.js';
import { ecdsaRawToDer, encodeDigestAlgorithm, hashLength, importParams, resolveDigest, verifySignature } from '../internal/algorithms.js';
import { parseCertificate, type ParsedCertificate } from '../internal/certificate.js';
import { checkValidityAt } from '../internal/chain.js';
import { assembleSignedData, buildTemplate, type SealTemplate } from '../internal/cms-build.js';
import { buffer, digest as digestOf, resolveCrypto } from '../internal/crypto.js';
import { DerError, TAG, oid, sequence, setOf, tlv, unsignedInteger } from '../internal/der.js';
import { Failure } from '../internal/failure.js';
import { OID } from '../internal/oids.js';
import { encodeTimeStampRequest } from './encode-time-stamp-request.js';
import { readTimeStampReply } from './read-time-stamp-reply.js';
import { checkStampInput, nonceInteger } from './stamp-input.js';
import { MAX_TSP_BYTES, checkTsaUsage, isDottedOid } from './tsa-usage.js';
import { encodeResponse, encodeTstInfo, parseRequest, type FailureInfo, type TimeStampRequest } from './tsp-der.js';

/**
 * The TSA policy of {@link createDevelopmentTsa} tokens by default: a
 * development policy under a private arc, `1.3.6.1.4.1.99999.3161.1`. It
 * means "development only, no time source guarantee": no production
 * verifier should accept it.
 *
 * `import { DEVELOPMENT_TSA_POLICY } from '@s3404/seal'`
 *
 * @public
 */
export const DEVELOPMENT_TSA_POLICY = '1.3.6.1.4.1.99999.3161.1';

/** Options of {@link createDevelopmentTsa} (SIG-3, AUD-2). @public */
export interface DevelopmentTsaOptions {
  /** The TSA certificate (DER), with the sole extended key usage timeStamping (RFC 3161 §2.3), e.g. `createDevelopmentPki().tsa.certificate`. */
  readonly certificate: Uint8Array;
  /** Its private key: PKCS#8 DER bytes, a {@link SigningKey} or a Web Crypto private key. */
  readonly key: SigningKey | WebCryptoKey | Uint8Array;
  /** The TSA's clock: the genTime of its tokens, to the millisecond. Default: the system clock. */
  readonly now?: Clock;
  /** Random source of serial numbers (128 bits, positive) and of the stamper's nonces. Default: Web Crypto's CSPRNG. */
  readonly random?: RandomSource;
  /** The TSA policy OID of its tokens. Default {@link DEVELOPMENT_TSA_POLICY}. */
  readonly policy?: string;
  /** Web Crypto. Default: `globalThis.crypto`. */
  readonly crypto?: CryptoProvider;
  /** Language of error messages and of the stamper's name. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** An in-process RFC 3161 TSA (SIG-3, AUD-2): a {@link TimeStamper} and the raw request/response handler behind it. @public */
export interface DevelopmentTsa {
  /** A {@link TimeStamper} that asks this TSA directly, with the same checks as the HTTP one. */
  readonly stamper: TimeStamper;
  /**
   * Answers a DER TimeStampReq with a DER TimeStampResp (RFC 3161 §2.4.2):
   * `granted` with a token, or `rejection` with `badDataFormat` (not a
   * TimeStampReq), `badAlg` (a hash other than SHA-256/384/512),
   * `unacceptedPolicy`, `unacceptedExtension` or `systemFailure` (the TSA
   * certificate is not valid now, or signing failed). Never throws for bad
   * bytes: serve it over HTTP as `application/timestamp-reply`.
   * @throws TypeError when `request` is not a `Uint8Array`, or the clock gives no `Date`.
   */
  respond(request: Uint8Array): Promise<Uint8Array>;
}

interface TsaKey {
  readonly cert: ParsedCertificate;
  readonly key: SigningKey;
  readonly template: SealTemplate;
}

const attribute = (type: string, value: Uint8Array): Uint8Array => sequence(oid(type), tlv(TAG.SET, value));

/** Parses the certificate, checks the timeStamping usage, and proves once that the key matches it (RFC 3161 §2.3). */
async function prepareTsaKey(options: DevelopmentTsaOptions, crypto: CryptoProvider, locale: Locale): Promise<TsaKey> {
  if (!(options.certificate instanceof Uint8Array)) throw new TypeError('createDevelopmentTsa: options.certificate must be DER bytes (Uint8Array)');
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(Uint8Array.from(options.certificate));
    checkTsaUsage(cert);
  } catch (e) {
    if (e instanceof Failure) throw new SealError(e.code, { locale, cause: e });
    throw e;
  }
  const given = options.key;
  if (given === null || typeof given !== 'object') throw new TypeError('createDevelopmentTsa: options.key is required');
  const key: SigningKey =
    given instanceof Uint8Array
      ? await importPkcs8SigningKey(given, { crypto, locale })
      : typeof (given as SigningKey).sign === 'function'
        ? (given as SigningKey)
        : signingKeyFromCryptoKey(given as WebCryptoKey, { crypto, locale });
  const alg = key.algorithm;
  if ((alg.kind === 'ecdsa') !== (cert.key.kind === 'ec')) throw new SealError('ERR_KEY_MISMATCH', { locale });
  const base = buildTemplate(cert, [], alg, await digestOf(crypto, 'SHA-256', cert.der));
  // SignedData version 3: the eContentType is not id-data (RFC 5652 §5.1).
  const template: SealTemplate = {
    ...base,
    head: concatBytes(unsignedInteger(Uint8Array.of(3)), tlv(TAG.SET, encodeDigestAlgorithm(alg.hash))),
    contentTypeAttribute: attribute(OID.contentType, oid(OID.tstInfo)),
    contentTypeOid: oid(OID.tstInfo),
  };
  const probe = new TextEncoder().encode('s3404 tsa key check');
  try {
    let sig = await key.sign({ data: probe, digest: () => digestOf(crypto, alg.hash, probe) });
    if (alg.kind === 'ecdsa' && (key.ecdsaFormat ?? 'p1363') === 'p1363') sig = ecdsaRawToDer(sig);
    const publicKey = await crypto.subtle.importKey('spki', buffer(cert.spki), importParams(cert.key, alg), false, ['verify']);
    if (!(await verifySignature(crypto, publicKey, cert.key, alg, sig, probe))) throw new SealError('ERR_KEY_MISMATCH', { locale });
  } catch (e) {
    if (e instanceof SealError) throw e;
    throw new SealError('ERR_KEY_MISMATCH', { locale, cause: e });
  }
  return { cert, key, template };
}

/** The token over a checked request (RFC 3161 §2.4.2): TSTInfo in a SignedData, signed attributes contentType, messageDigest, signingCertificateV2 (RFC 5816). */
async function issueToken(
  tsa: TsaKey,
  crypto: CryptoProvider,
  request: TimeStampRequest,
  fields: { readonly policy: string; readonly serialNumber: Uint8Array; readonly genTime: Date },
): Promise<Uint8Array> {
  const tstInfo = encodeTstInfo({ ...fields, imprint: request.imprintDer, nonce: request.nonce });
  const hash = tsa.template.algorithm.hash;
  const attrs = setOf(TAG.SET, [
    tsa.template.contentTypeAttribute,
    attribute(OID.messageDigest, tlv(TAG.OCTET_STRING, await digestOf(crypto, hash, tstInfo))),
    tsa.template.signingCertificateAttribute,
  ]);
  const signature = await tsa.key.sign({ data: attrs, digest: () => digestOf(crypto, hash, attrs) });
  const template = request.certReq ? tsa.template : { ...tsa.template, certificates: new Uint8Array(0) };
  return assembleSignedData(template, tstInfo, attrs, signature, tsa.key.ecdsaFormat ?? 'p1363');
}

/**
 * An in-process RFC 3161 time-stamping authority for development and tests
 * (SIG-3, AUD-2), on the development PKI's TSA certificate and key. Its
 * tokens are SignedData over a TSTInfo v1 — policy, SHA-256/384/512
 * messageImprint, a random positive 128-bit serial number, genTime from
 * `now` to the millisecond, the request's nonce — with the signed attributes
 * contentType, messageDigest and signingCertificateV2 (ESSCertIDv2, RFC
 * 5816), and the TSA certificate when the request asks for it. They verify
 * with {@link verifyTimeStampToken} and `openssl ts -verify`.
 *
 * Never a production TSA: its clock is the host's and its policy
 * ({@link DEVELOPMENT_TSA_POLICY}) says so.
 *
 * `import { createDevelopmentTsa } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const pki = await createDevelopmentPki()                                   // @s3404/seal/pki
 * const tsa = await createDevelopmentTsa({ certificate: pki.tsa.certificate, key: pki.tsa.privateKey })
 * const token = await tsa.stamper.timestamp(digest)
 * const verdict = await verifyTimeStampToken(token, { digest, trust: [pki.ca.certificate] })
 * // or serve it: http.createServer(async (req, res) => res.end(await tsa.respond(body)))
 * ```
 * @throws {@link SealError} `ERR_CERT_INVALID`, `ERR_CERT_KEY_USAGE` (not a TSA certificate), `ERR_KEY_INVALID`, `ERR_KEY_MISMATCH`;
 * from `stamper.timestamp`: `ERR_TSA_REJECTED`, `ERR_TSA_RESPONSE_INVALID`.
 * @throws TypeError for malformed options (a `policy` that is not a dotted OID, a `now` that is not a Clock).
 * @public
 */
export async function createDevelopmentTsa(options: DevelopmentTsaOptions): Promise<DevelopmentTsa> {
  if (options === null || typeof options !== 'object') throw new TypeError('createDevelopmentTsa: options are required');
  const locale = resolveLocale(options.locale);
  const crypto = resolveCrypto(options.crypto);
  const now = resolveClock(options.now, 'createDevelopmentTsa');
  const random = resolveRandom(options.random);
  const policy = options.policy ?? DEVELOPMENT_TSA_POLICY;
  if (!isDottedOid(policy)) throw new TypeError('createDevelopmentTsa: options.policy must be a dotted OID, e.g. 1.3.6.1.4.1.99999.3161.1');
  const tsa = await prepareTsaKey(options, crypto, locale);

  const reject = (failInfo: FailureInfo, text: string): Uint8Array => encodeResponse(2, [failInfo], text, undefined);

  async function respond(request: Uint8Array): Promise<Uint8Array> {
    if (!(request instanceof Uint8Array)) throw new TypeError('respond: request must be a Uint8Array');
    let parsed: TimeStampRequest;
    try {
      if (request.length > MAX_TSP_BYTES) throw new DerError('too large');
      parsed = parseRequest(request);
    } catch (e) {
      if (e instanceof DerError || e instanceof Failure) return reject('badDataFormat', 'request is not a DER TimeStampReq');
      throw e;
    }
    try {
      const hash = resolveDigest(request, parsed.imprint.hashAlgorithm);
      if (parsed.imprint.hashedMessage.length !== hashLength(hash)) return reject('badDataFormat', 'hashedMessage length');
    } catch (e) {
      if (e instanceof Failure) return reject('badAlg', 'hash algorithm not accepted: SHA-256, SHA-384 or SHA-512');
      throw e;
    }
    if (parsed.policy !== undefined && parsed.policy !== policy) return reject('unacceptedPolicy', `policy not accepted: ${policy} only`);
    if (parsed.hasExtensions) return reject('unacceptedExtension', 'no extension accepted');
    const genTime = readClock(now, 'createDevelopmentTsa');
    try {
      checkValidityAt([tsa.cert], genTime);
    } catch (e) {
      if (e instanceof Failure) return reject('systemFailure', 'TSA certificate not valid at this time');
      throw e;
    }
    const serialNumber = Uint8Array.from(randomBytes(random, 16));
    serialNumber[0] = (serialNumber[0]! & 0x7f) | 0x01;
    let token: Uint8Array;
    try {
      token = await issueToken(tsa, crypto, parsed, { policy, serialNumber, genTime });
    } catch {
      // A key that no longer signs (a closed HSM session…): the RFC's answer, not an exception.
      return reject('systemFailure', 'signing failed');
    }
    return encodeResponse(0, [], undefined, token);
  }

  const stamper: TimeStamper = {
    name: locale === 'en' ? 'Development TSA (in memory)' : 'TSA de développement (en mémoire)',
    async timestamp(digest: Uint8Array, stampOptions?: TimeStampOptions): Promise<Uint8Array> {
      checkStampInput(digest, stampOptions, 'timestamp');
      const nonce = Uint8Array.from(randomBytes(random, 8));
      const reply = await respond(encodeTimeStampRequest({ digest, nonce }));
      return readTimeStampReply(reply, { digest, nonce: nonceInteger(nonce) }, locale);
    },
  };
  return { stamper, respond };
}

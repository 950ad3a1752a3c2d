import type { Locale, LocalizedText } from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import { importPkcs8SigningKey, signingKeyFromCryptoKey, type SigningKey } from '../signing-key.js';
import type { CryptoProvider, WebCryptoKey } from '../web-crypto.js';
import { checkSealKeyUsage } from './chain.js';
import { assembleSignedData, buildTemplate, signedAttributes, type SealTemplate } from './cms-build.js';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { ecdsaDerToRaw, ecdsaRawToDer, importParams, operationParams, type HashName, type SignatureAlgorithm } from './algorithms.js';
import { buffer, digest } from './crypto.js';
import { Failure } from './failure.js';
import { isPlatformKey } from './platform-keys.js';

/** A seal key checked against its certificate, ready to sign CMS content. */
export interface SealKey {
  readonly cert: ParsedCertificate;
  readonly template: SealTemplate;
  readonly key: SigningKey;
  readonly crypto: CryptoProvider;
  readonly locale: Locale;
  /** The key's `ecdsaFormat` as read and checked once (SIG-3). */
  readonly ecdsaFormat: 'p1363' | 'der';
  /** The certificate's public key, to verify each signature of a key that could change (SIG-3). */
  readonly publicKey: WebCryptoKey;
  /** Whether each signature is verified: every key but the SDK's own over the platform's Web Crypto. */
  readonly verifyEach: boolean;
  /** How long a `sign` of a vendor's key is awaited, ms (its `timeoutMs`, read once); undefined for the SDK's own keys. */
  readonly timeoutMs: number | undefined;
}

export interface SealKeyOptions {
  readonly key: SigningKey | WebCryptoKey | Uint8Array;
  readonly certificate: Uint8Array;
  readonly chain?: readonly Uint8Array[] | undefined;
  readonly crypto: CryptoProvider;
  readonly locale: Locale;
}

const KINDS: readonly string[] = ['ecdsa', 'rsa-pkcs1', 'rsa-pss'];
const HASHES: readonly string[] = ['SHA-256', 'SHA-384', 'SHA-512'];
const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value);

/** How long a vendor's `sign` is awaited when its key sets no `timeoutMs` (SIG-3): an HSM or KMS call, network included. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** The longest `timeoutMs` a key may set: a seal waits for it, with a capture context open. */
const MAX_TIMEOUT_MS = 600_000;

/**
 * The `algorithm`, `ecdsaFormat` and `timeoutMs` of a vendor's key, read
 * once and checked (SIG-3): a getter that throws, a kind, hash or format the
 * seal does not know, a time limit that is not a whole number of
 * milliseconds from 1 to 600,000 is `ERR_KEY_INVALID`, never a CMS that
 * names one algorithm and holds another's signature.
 */
function readAlgorithm(key: SigningKey, locale: Locale): { algorithm: SignatureAlgorithm; ecdsaFormat: 'p1363' | 'der'; timeoutMs: number } {
  const invalid = (detail: LocalizedText | string, cause?: unknown): never => {
    throw new SealError('ERR_KEY_INVALID', { params: { detail }, locale, cause });
  };
  let alg: unknown;
  let format: unknown;
  let timeout: unknown;
  try {
    alg = key.algorithm;
    format = key.ecdsaFormat;
    timeout = key.timeoutMs;
  } catch (e) {
    return invalid(
      { fr: 'algorithm, ecdsaFormat ou timeoutMs du SigningKey illisible', en: "the SigningKey's algorithm, ecdsaFormat or timeoutMs cannot be read" },
      e,
    );
  }
  if (timeout !== undefined && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout >= 1 && timeout <= MAX_TIMEOUT_MS)) {
    return invalid(`timeoutMs ${typeof timeout === 'number' ? String(timeout) : shown(timeout)}`);
  }
  if (alg === null || typeof alg !== 'object') return invalid({ fr: 'SigningKey sans algorithm', en: 'SigningKey without an algorithm' });
  const { kind, hash, saltLength } = alg as { kind?: unknown; hash?: unknown; saltLength?: unknown };
  if (typeof kind !== 'string' || !KINDS.includes(kind)) return invalid(`algorithm.kind ${shown(kind)}`);
  if (typeof hash !== 'string' || !HASHES.includes(hash)) return invalid(`algorithm.hash ${shown(hash)}`);
  if (kind === 'rsa-pss' && saltLength !== undefined && !(Number.isInteger(saltLength) && (saltLength as number) >= 0 && (saltLength as number) <= 512)) {
    return invalid(`algorithm.saltLength ${String(saltLength).slice(0, 20)}`);
  }
  if (kind === 'ecdsa' && format !== undefined && format !== 'p1363' && format !== 'der') return invalid(`ecdsaFormat ${shown(format)}`);
  const algorithm: SignatureAlgorithm = Object.freeze(
    kind === 'rsa-pss' && saltLength !== undefined
      ? { kind, hash: hash as HashName, saltLength: saltLength as number }
      : { kind: kind as SignatureAlgorithm['kind'], hash: hash as HashName },
  );
  return { algorithm, ecdsaFormat: format === 'der' ? 'der' : 'p1363', timeoutMs: (timeout as number | undefined) ?? DEFAULT_TIMEOUT_MS };
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
  const { algorithm: alg, ecdsaFormat, timeoutMs } = readAlgorithm(key, locale);
  if ((alg.kind === 'ecdsa') !== (cert.key.kind === 'ec')) throw new SealError('ERR_KEY_MISMATCH', { locale });
  const template = buildTemplate(cert, chain, alg, await digest(crypto, 'SHA-256', cert.der));
  let publicKey: WebCryptoKey;
  try {
    publicKey = await crypto.subtle.importKey('spki', buffer(cert.spki), importParams(cert.key, alg), false, ['verify']);
  } catch (e) {
    throw new SealError('ERR_KEY_MISMATCH', { locale, cause: e });
  }
  const own = isPlatformKey(key);
  const seal: SealKey = { cert, template, key, crypto, locale, ecdsaFormat, publicKey, verifyEach: !own, timeoutMs: own ? undefined : timeoutMs };
  // The test signature: what the key signs now must verify with the certificate. A key that cannot sign it
  // is not this certificate's key as configured (a KMS key id that does not exist): ERR_KEY_MISMATCH, its error as cause.
  await signAttributes(seal, new TextEncoder().encode('s3404 seal key check'), 'check');
  return seal;
}

/**
 * Signs `data` (the DER SET of signed attributes) with the seal key and
 * returns the signature as CMS holds it, ECDSA as DER (SIG-3). What the key
 * returns is checked before anything uses it: a `Uint8Array`, of the
 * declared ECDSA form and length, and — for every key but the SDK's own
 * over the platform's Web Crypto, and always at the check — verified
 * against the certificate's public key over the bytes the SDK holds (the
 * key gets a copy). Throws `SealError` only: `ERR_KEY_MISMATCH` for a
 * signature that is not the certificate's, `ERR_KEY_UNAVAILABLE` for a
 * `sign` that throws after the check (`ERR_KEY_MISMATCH` at the check) or
 * that has not answered within the key's `timeoutMs` (at the check too:
 * the key may be right, its service is not there), a `SealError` of the
 * key as it is. A late answer is dropped.
 */
export async function signAttributes(seal: SealKey, data: Uint8Array, when: 'check' | 'seal' = 'seal'): Promise<Uint8Array> {
  const { crypto, template, key, locale } = seal;
  const alg = template.algorithm;
  const mismatch = (detail?: LocalizedText, cause?: unknown): SealError =>
    new SealError('ERR_KEY_MISMATCH', { params: detail === undefined ? {} : { detail }, locale, cause });
  let signature: unknown;
  try {
    // A copy: a key that writes into its input (a wipe, a transfer) cannot change what the CMS holds.
    const input = Uint8Array.from(data);
    const answer = key.sign({ data: input, digest: () => digest(crypto, alg.hash, data) });
    signature = seal.timeoutMs === undefined ? await answer : await withinTime(answer, seal.timeoutMs, locale);
  } catch (e) {
    if (e instanceof SealError) throw e;
    if (when === 'check') throw mismatch(undefined, e);
    throw new SealError('ERR_KEY_UNAVAILABLE', { locale, cause: e });
  }
  if (!(signature instanceof Uint8Array)) {
    const got = typeName(signature);
    throw mismatch({ fr: `sign a rendu ${got} au lieu d'un Uint8Array`, en: `sign returned ${got} instead of a Uint8Array` });
  }
  // Our own copy, verified and then written: the key keeps no hold on the bytes the CMS will hold.
  const own = Uint8Array.from(signature);
  // The form Web Crypto verifies (ECDSA r‖s) and the one CMS holds (ECDSA as DER, re-encoded: minimal and canonical).
  let raw: Uint8Array = own;
  let cms: Uint8Array = own;
  if (alg.kind === 'ecdsa') {
    const size = 2 * template.curveSize!;
    if (seal.ecdsaFormat === 'p1363') {
      if (own.length !== size) {
        throw mismatch({
          fr: `signature ECDSA de ${own.length} octets, ${size} attendus (r‖s, ecdsaFormat p1363)`,
          en: `ECDSA signature of ${own.length} bytes, ${size} expected (r‖s, ecdsaFormat p1363)`,
        });
      }
    } else {
      try {
        raw = ecdsaDerToRaw(own, (seal.cert.key as { curve: 'P-256' | 'P-384' | 'P-521' }).curve);
      } catch (e) {
        throw mismatch(
          {
            fr: 'signature ECDSA qui n’est pas un ECDSA-Sig-Value DER (ecdsaFormat der)',
            en: 'ECDSA signature that is not a DER ECDSA-Sig-Value (ecdsaFormat der)',
          },
          e,
        );
      }
    }
    cms = ecdsaRawToDer(raw);
  }
  if (seal.verifyEach || when === 'check') {
    let valid: boolean;
    try {
      valid = await crypto.subtle.verify(operationParams(alg), seal.publicKey, buffer(raw), buffer(data));
    } catch (e) {
      throw mismatch(undefined, e);
    }
    if (!valid) {
      throw when === 'check'
        ? mismatch()
        : mismatch({
            fr: 'la signature de la clé ne se vérifie plus avec le certificat ; rien n’a été scellé',
            en: "the key's signature no longer verifies with the certificate; nothing was sealed",
          });
    }
  }
  return cms;
}

/**
 * `answer`, or `ERR_KEY_UNAVAILABLE` once `ms` have passed without it
 * (SIG-3): a KMS or HSM call that never returns must not hold a seal, and
 * the capture context it was made for, for ever. The timer is cleared as
 * soon as the answer comes; an answer after the limit, or its rejection,
 * is dropped (no unhandled rejection).
 */
function withinTime(answer: unknown, ms: number, locale: Locale): Promise<unknown> {
  const settled = Promise.resolve(answer);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SealError('ERR_KEY_UNAVAILABLE', {
            params: { detail: { fr: `aucune réponse en ${ms} ms`, en: `no answer within ${ms} ms` } },
            locale,
          }),
        ),
      ms,
    );
  });
  settled.catch(() => undefined);
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

/** What a `sign` returned instead of bytes, for a message: `null`, `string`, `ArrayBuffer`… (`object` when its class cannot be read safely). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  try {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && /^[A-Za-z0-9_$]{1,40}$/.test(name) ? name : 'object';
  } catch {
    // A proxy whose traps throw: its name is not worth a failure of its own.
    return 'object';
  }
}

/** Signs `content` as a CMS SignedData, attached or detached (RFC 5652). */
export async function signContent(seal: SealKey, content: Uint8Array, signingTime: Date, detached: boolean): Promise<Uint8Array> {
  const { crypto, template } = seal;
  const attrs = signedAttributes(template, await digest(crypto, template.algorithm.hash, content), signingTime);
  const signature = await signAttributes(seal, attrs);
  return assembleSignedData(template, detached ? undefined : content, attrs, signature, 'der');
}

/** The signing time of a seal made at `at`: whole seconds, as the signing-time attribute holds it (RFC 5652 §11.3). */
export function signingTimeAt(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

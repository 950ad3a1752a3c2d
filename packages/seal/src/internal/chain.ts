import { bytesEqual } from '@s3404/core';
import { importParams, isWeakAlgorithm, resolveSignatureAlgorithm, verifySignature, type SignatureAlgorithm } from './algorithms.js';
import { KEY_USAGE, parseCertificate, type ParsedCertificate } from './certificate.js';
import type { CryptoProvider, WebCryptoKey } from '../web-crypto.js';
import { buffer } from './crypto.js';
import { Failure } from './failure.js';

const latin1 = new TextDecoder('latin1');
/** A map key for DER bytes (injective: every byte maps to its own code point). */
export const bytesKey = (bytes: Uint8Array): string => latin1.decode(bytes);

const MAX_DEPTH = 6;
const MAX_CACHE = 10_000;

/** What a {@link TrustStore} remembers: pure functions of the bytes (and of the crypto provider that computed them). */
interface ChainCaches {
  readonly parsed: Map<string, ParsedCertificate | Failure>;
  readonly keys: Map<string, Promise<WebCryptoKey>>;
  readonly links: Map<string, Promise<boolean>>;
}

/**
 * The caches of every trust store of one crypto provider (issue 19): a
 * verification that builds its own store — each PAdES seal, each time-stamp
 * token — still imports the seal certificate's key and checks its chain once
 * per process, not once per PDF.
 */
const sharedCaches = new WeakMap<CryptoProvider, ChainCaches>();

function cachesOf(crypto: CryptoProvider): ChainCaches {
  let c = sharedCaches.get(crypto);
  if (c === undefined) {
    c = { parsed: new Map(), keys: new Map(), links: new Map() };
    sharedCaches.set(crypto, c);
  }
  return c;
}

/**
 * Trust anchors plus caches of parsed certificates, imported public keys and
 * certificate signature checks (RFC 5280 §6), shared by the stores of the
 * same crypto provider. Verifying many records from the same seal certificate
 * costs one chain check.
 */
export class TrustStore {
  readonly anchors: readonly ParsedCertificate[];
  readonly #parsed: Map<string, ParsedCertificate | Failure>;
  readonly #keys: Map<string, Promise<WebCryptoKey>>;
  readonly #links: Map<string, Promise<boolean>>;

  constructor(
    anchorDers: readonly Uint8Array[],
    readonly crypto: CryptoProvider,
  ) {
    const caches = cachesOf(crypto);
    this.#parsed = caches.parsed;
    this.#keys = caches.keys;
    this.#links = caches.links;
    this.anchors = anchorDers.map((d) => this.parse(d));
  }

  /** Parses (once) a certificate; failures are cached too. */
  parse(der: Uint8Array): ParsedCertificate {
    const key = bytesKey(der);
    let entry = this.#parsed.get(key);
    if (entry === undefined) {
      try {
        entry = parseCertificate(Uint8Array.from(der));
      } catch (e) {
        if (!(e instanceof Failure)) throw e;
        entry = e;
      }
      if (this.#parsed.size >= MAX_CACHE) this.#parsed.clear();
      this.#parsed.set(key, entry);
    }
    if (entry instanceof Failure) throw entry;
    return entry;
  }

  /** The Web Crypto public key of a certificate for an algorithm (cached). */
  publicKey(cert: ParsedCertificate, alg: SignatureAlgorithm): Promise<WebCryptoKey> {
    const params = importParams(cert.key, alg);
    const key = `${bytesKey(cert.spki)}|${JSON.stringify(params)}`;
    let p = this.#keys.get(key);
    if (p === undefined) {
      p = this.crypto.subtle.importKey('spki', buffer(cert.spki), params, false, ['verify']);
      p.catch(() => this.#keys.delete(key));
      if (this.#keys.size >= MAX_CACHE) this.#keys.clear();
      this.#keys.set(key, p);
    }
    return p;
  }

  /** Whether `issuer` signed `child` (cached). */
  signs(issuer: ParsedCertificate, child: ParsedCertificate): Promise<boolean> {
    const key = `${bytesKey(issuer.der)}|${bytesKey(child.der)}`;
    let p = this.#links.get(key);
    if (p === undefined) {
      p = (async () => {
        // A weak algorithm (SHA-1, MD5) in the chain is reported as such; a key of another type is simply not this issuer.
        if (isWeakAlgorithm(child.signatureAlgorithm.oid)) throw new Failure('ERR_SEAL_ALGORITHM_REFUSED', 'weak certificate signature');
        let alg: SignatureAlgorithm;
        try {
          alg = resolveSignatureAlgorithm(child.der, child.signatureAlgorithm, issuer.key);
        } catch {
          return false;
        }
        try {
          return await verifySignature(this.crypto, await this.publicKey(issuer, alg), issuer.key, alg, child.signature, child.tbs);
        } catch {
          // A key Web Crypto will not import, or a malformed signature: not a valid link.
          return false;
        }
      })();
      if (this.#links.size >= MAX_CACHE) this.#links.clear();
      this.#links.set(key, p);
    }
    return p;
  }

  /**
   * Builds a path from `leaf` to an anchor through `pool` (RFC 5280 §6.1,
   * simplified: names by bytes, basic constraints, key usage, path length).
   * Returns the path, leaf first, anchor last.
   */
  async path(leaf: ParsedCertificate, pool: readonly ParsedCertificate[]): Promise<ParsedCertificate[]> {
    for (const anchor of this.anchors) if (bytesEqual(anchor.der, leaf.der)) return [leaf];
    const found = await this.#extend([leaf], pool);
    if (found === null) throw new Failure('ERR_CERT_UNTRUSTED');
    return found;
  }

  async #extend(path: ParsedCertificate[], pool: readonly ParsedCertificate[]): Promise<ParsedCertificate[] | null> {
    const current = path[path.length - 1]!;
    if (path.length > MAX_DEPTH) return null;
    const intermediates = path.length - 1;
    const canIssue = (c: ParsedCertificate): boolean =>
      c.ca && (c.keyUsage === undefined || (c.keyUsage & KEY_USAGE.keyCertSign) !== 0) && (c.pathLength === undefined || c.pathLength >= intermediates);
    for (const anchor of this.anchors) {
      if (bytesEqual(anchor.subject, current.issuer) && canIssue(anchor) && (await this.signs(anchor, current))) return [...path, anchor];
    }
    for (const candidate of pool) {
      if (path.includes(candidate) || !bytesEqual(candidate.subject, current.issuer) || !canIssue(candidate)) continue;
      if (!(await this.signs(candidate, current))) continue;
      const longer = await this.#extend([...path, candidate], pool);
      if (longer !== null) return longer;
    }
    return null;
  }
}

/** Checks every certificate of a path at an instant (RFC 5652 §11.3 signing time). */
export function checkValidityAt(path: readonly ParsedCertificate[], at: Date): void {
  const t = at.getTime();
  for (const c of path) {
    if (t < c.notBefore.getTime()) throw new Failure('ERR_CERT_NOT_YET_VALID');
    if (t > c.notAfter.getTime()) throw new Failure('ERR_CERT_EXPIRED');
  }
}

/** A seal certificate must allow signing (RFC 5280 §4.2.1.3) and must not be a time-stamping-only certificate. */
export function checkSealKeyUsage(cert: ParsedCertificate): void {
  if (cert.keyUsage === undefined || (cert.keyUsage & (KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation)) === 0) {
    throw new Failure('ERR_CERT_KEY_USAGE');
  }
  if (cert.extKeyUsage !== undefined && cert.extKeyUsage.length === 1 && cert.extKeyUsage[0] === '1.3.6.1.5.5.7.3.8') {
    throw new Failure('ERR_CERT_KEY_USAGE');
  }
}

/**
 * The one seeded byte source of the generators (X-3), and a development PKI whose keys come from
 * it: the same seed gives the same keys, serial numbers and certificates' contents on every run,
 * so the vectors differ between runs only by signature values (ECDSA draws its nonce from the
 * platform; RSA PKCS #1 v1.5 signatures do not change).
 *
 * `createDevelopmentPki` of `@s3404/seal/pki` takes the random source of its serial numbers and the
 * Web Crypto it generates keys with: `seededPki` gives it a Web Crypto whose `generateKey` derives
 * each key from the seeded bytes — an ECDSA private scalar (the public point is computed by the
 * platform on import), or RSA primes found by trial division and Miller–Rabin — and leaves every
 * other operation to the platform's.
 */
import type { webcrypto } from 'node:crypto';
import { createDevelopmentPki, type DevelopmentPki, type DevelopmentPkiCrypto, type DevelopmentPkiOptions } from '@s3404/seal/pki';

/** A seeded source of bytes (xorshift32): fills and returns the array given. Same seed, same bytes. */
export function seeded(seed: number): (b: Uint8Array) => Uint8Array {
  let s = seed >>> 0 || 1;
  return (b) => {
    for (let i = 0; i < b.length; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      b[i] = s & 0xff;
    }
    return b;
  };
}

type Bytes = (b: Uint8Array) => Uint8Array;
const bigOf = (b: Uint8Array): bigint => b.reduce((n, x) => (n << 8n) | BigInt(x), 0n);
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));

function bytesOf(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return fromHex(hex);
}
const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('seeded RSA: no inverse');
  return ((s0 % m) + m) % m;
}

const SMALL_PRIMES = ((): bigint[] => {
  const out: bigint[] = [];
  for (let n = 3; n < 2000; n += 2) if (out.every((p) => BigInt(n) % p !== 0n)) out.push(BigInt(n));
  return out;
})();

/** Miller–Rabin with 32 bases drawn from the seeded bytes. */
function probablyPrime(n: bigint, random: Bytes, byteLength: number): boolean {
  if (SMALL_PRIMES.some((p) => n % p === 0n)) return false;
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (let i = 0; i < 32; i++) {
    const a = 2n + (bigOf(random(new Uint8Array(byteLength))) % (n - 3n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let witness = true;
    for (let j = 1; j < r && witness; j++) {
      x = (x * x) % n;
      if (x === n - 1n) witness = false;
    }
    if (witness) return false;
  }
  return true;
}

/** A prime of `bits` bits, its two top bits set (so that p·q has exactly 2·bits bits) and p − 1 prime to e. */
function seededPrime(bits: number, e: bigint, random: Bytes): bigint {
  const bytes = bits / 8;
  for (;;) {
    const b = random(new Uint8Array(bytes));
    b[0] = b[0]! | 0xc0;
    b[bytes - 1] = b[bytes - 1]! | 1;
    const p = bigOf(b);
    if ((p - 1n) % e !== 0n && probablyPrime(p, random, bytes)) return p;
  }
}

/** DER of an EC private key without its public point (RFC 5915 in PKCS #8), for P-256 or P-384. */
function ecPkcs8(curve: 'P-256' | 'P-384', d: Uint8Array): Uint8Array {
  const prefix =
    curve === 'P-256'
      ? '304102010030130607' + '2a8648ce3d0201' + '0608' + '2a8648ce3d030107' + '04273025020101' + '0420'
      : '304e02010030100607' + '2a8648ce3d0201' + '0605' + '2b81040022' + '04373035020101' + '0430';
  return Uint8Array.from([...fromHex(prefix), ...d]);
}

type Subtle = DevelopmentPkiCrypto['subtle'];
type Algorithm = { readonly name: string; readonly namedCurve?: string; readonly modulusLength?: number; readonly hash?: unknown };

async function ecKeyPair(subtle: Subtle & webcrypto.SubtleCrypto, algorithm: Algorithm, random: Bytes) {
  const curve = algorithm.namedCurve === 'P-384' ? 'P-384' : 'P-256';
  const d = random(new Uint8Array(curve === 'P-256' ? 32 : 48));
  d[0] = (d[0]! & 0x7f) | 0x01; // below the group order, never zero
  const privateKey = await subtle.importKey('pkcs8', ecPkcs8(curve, d), { name: algorithm.name, namedCurve: curve }, true, ['sign']);
  const { kty, crv, x, y } = (await subtle.exportKey('jwk', privateKey)) as Record<string, string>;
  const publicKey = await subtle.importKey('jwk', { kty: kty!, crv: crv!, x: x!, y: y!, ext: true }, { name: algorithm.name, namedCurve: curve }, true, [
    'verify',
  ]);
  return { publicKey, privateKey };
}

async function rsaKeyPair(subtle: Subtle & webcrypto.SubtleCrypto, algorithm: Algorithm, random: Bytes) {
  const e = 65537n;
  const half = (algorithm.modulusLength ?? 2048) / 2;
  const p = seededPrime(half, e, random);
  let q = seededPrime(half, e, random);
  while (q === p) q = seededPrime(half, e, random);
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const u = (x: bigint) => b64url(bytesOf(x));
  const jwk = { kty: 'RSA', n: u(n), e: u(e), d: u(d), p: u(p), q: u(q), dp: u(d % (p - 1n)), dq: u(d % (q - 1n)), qi: u(modInverse(q, p)), ext: true };
  const params = { name: algorithm.name, hash: algorithm.hash } as webcrypto.RsaHashedImportParams;
  const privateKey = await subtle.importKey('jwk', jwk, params, true, ['sign']);
  const publicKey = await subtle.importKey('jwk', { kty: 'RSA', n: jwk.n, e: jwk.e, ext: true }, params, true, ['verify']);
  return { publicKey, privateKey };
}

/** The platform's Web Crypto, with `generateKey` (ECDSA P-256 / P-384, RSA) derived from the seeded bytes of `seed`. */
export function seededPkiCrypto(seed: number): DevelopmentPkiCrypto {
  const random = seeded(seed);
  const platform = globalThis.crypto;
  const subtle = platform.subtle as unknown as Subtle & webcrypto.SubtleCrypto;
  const generateKey = async (algorithm: Algorithm) => {
    const name = algorithm.name.toUpperCase();
    if (name === 'ECDSA') return ecKeyPair(subtle, algorithm, random);
    if (name === 'RSASSA-PKCS1-V1_5' || name === 'RSA-PSS') return rsaKeyPair(subtle, algorithm, random);
    throw new Error(`seededPkiCrypto: no seeded keys for ${algorithm.name}`);
  };
  const seededSubtle = new Proxy(subtle, {
    get: (target, prop) => (prop === 'generateKey' ? generateKey : (Reflect.get(target, prop) as (...a: unknown[]) => unknown).bind(target)),
  });
  return {
    subtle: seededSubtle as unknown as Subtle,
    getRandomValues: (array) => random(array),
  } as DevelopmentPkiCrypto;
}

/**
 * A development PKI made from `seed`: serial numbers from `seeded(seed)`, keys from `seededPkiCrypto`
 * (a seed of its own, derived from `seed`). Certificates differ between runs only by their signature values.
 */
export function seededPki(seed: number, options: Omit<DevelopmentPkiOptions, 'random' | 'crypto'> = {}): Promise<DevelopmentPki> {
  return createDevelopmentPki({ ...options, random: seeded(seed), crypto: seededPkiCrypto((seed * 2654435761) >>> 0 || 7) });
}

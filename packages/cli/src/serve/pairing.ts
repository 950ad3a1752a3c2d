import { timingSafeEqual } from 'node:crypto';
import { randomBytes, readClock, type Clock, type RandomSource } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';

/** Crockford's base32 alphabet: no I, L, O, U, so a code read aloud or typed is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 characters × 5 bits = 80 random bits. */
const CODE_CHARS = 16;
/** Most codes waiting at once; the oldest goes first. */
const MAX_CODES = 1000;

/** A pairing code given to a person who enrols a tablet (SIG-7). @public */
export interface PairingCode {
  /** `XXXX-XXXX-XXXX-XXXX`, Crockford base32, 80 random bits. */
  readonly code: string;
  /** ISO 8601 UTC instant after which the code is refused. */
  readonly expiresAt: string;
}

interface Waiting {
  readonly hash: Uint8Array;
  readonly expiresAt: number;
}

/**
 * The one-time pairing codes of a signing service (SIG-7): random (80 bits
 * from the random source), short-lived, usable once. Only their SHA-256 is
 * kept; a code given is compared with every waiting one in constant time
 * (`timingSafeEqual` on the hashes, all of them checked), so neither its
 * content nor its position leaks through timing.
 */
export class PairingCodes {
  readonly #waiting: Waiting[] = [];
  readonly #now: Clock;
  readonly #random: RandomSource;

  constructor(o: { readonly now: Clock; readonly random: RandomSource }) {
    this.#now = o.now;
    this.#random = o.random;
  }

  /** A new code, valid `ttlSeconds` from now. */
  create(ttlSeconds: number): PairingCode {
    const at = readClock(this.#now, 'createPairingCode').getTime();
    this.#drop(at);
    const bytes = randomBytes(this.#random, CODE_CHARS);
    // 32 symbols from the 5 low bits of each byte: uniform, 5 bits per character.
    const raw = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
    bytes.fill(0);
    const expiresAt = at + ttlSeconds * 1000;
    if (this.#waiting.length >= MAX_CODES) this.#waiting.shift();
    this.#waiting.push({ hash: nodeSha256(new TextEncoder().encode(raw)), expiresAt });
    return { code: raw.match(/.{4}/g)!.join('-'), expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Takes a code: `true` once for a waiting, unexpired code (then it is
   * gone), `false` otherwise. Spaces, dashes and case are ignored, and the
   * letters Crockford maps (O → 0, I and L → 1) are read as digits.
   */
  take(given: string): boolean {
    const at = readClock(this.#now, 'pairing').getTime();
    this.#drop(at);
    const normalized = given.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
    if (normalized.length !== CODE_CHARS || [...normalized].some((c) => !ALPHABET.includes(c))) return false;
    const hash = nodeSha256(new TextEncoder().encode(normalized));
    let found = -1;
    for (let i = 0; i < this.#waiting.length; i++) if (timingSafeEqual(this.#waiting[i]!.hash, hash) && found < 0) found = i;
    if (found < 0) return false;
    this.#waiting.splice(found, 1);
    return true;
  }

  /** Codes still waiting. */
  get size(): number {
    return this.#waiting.length;
  }

  #drop(at: number): void {
    for (let i = this.#waiting.length - 1; i >= 0; i--) if (this.#waiting[i]!.expiresAt <= at) this.#waiting.splice(i, 1);
  }
}

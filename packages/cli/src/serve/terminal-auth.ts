import type { IncomingMessage } from 'node:http';
import { fromBase64url, readClock, toHex, type Clock, type Locale } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { CliError, type CliErrorCode } from '../errors.js';
import type { NonceCache } from './nonce-cache.js';
import type { PairingCodes } from './pairing.js';
import { TERMINAL_HEADERS, terminalSigningInput } from './request-signing.js';
import type { EnrolledTerminal, TerminalPublicKey, TerminalStore } from './terminal-store.js';

const TERMINAL_ID = /^[A-Za-z0-9._-]{1,64}$/;
const TIMESTAMP = /^\d{1,15}$/;
const NONCE = /^[A-Za-z0-9_-]{22,128}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{80,100}$/;
const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/** A refusal of terminal authentication, with the terminal it named (for the trace). */
export class TerminalRefusal extends CliError {
  readonly terminalId: string;
  constructor(code: CliErrorCode, terminalId: string, locale: Locale, params: Record<string, string | number> = {}) {
    super(code, { params, locale });
    this.terminalId = terminalId;
  }
}

/** What the headers of a request said, checked before its body is read. */
export interface PendingAuthentication {
  readonly terminal: EnrolledTerminal;
  readonly key: CryptoKey;
  readonly timestamp: string;
  readonly nonce: string;
  readonly signature: Uint8Array<ArrayBuffer>;
}

/** The text shown in a trace for an identifier a client sent: printable, bounded. */
export function claimedTerminal(value: unknown): string {
  return typeof value === 'string' && TERMINAL_ID.test(value) ? value : '(invalid)';
}

/**
 * Terminal authentication of the signing service (SIG-7). Every request but
 * the tablet page, its script, the OpenAPI document, the health check and
 * the enrolment carries four headers; the server checks, in this order:
 *
 *  1. the headers are there and well formed (`ERR_TERMINAL_AUTH_MISSING`);
 *  2. `|S3404-Timestamp − now| ≤ clockSkewSeconds` (`ERR_TERMINAL_CLOCK_SKEW`);
 *  3. the terminal is enrolled (`ERR_TERMINAL_UNKNOWN`);
 *     — these three before a byte of the body is read —
 *  4. the ECDSA P-256 / SHA-256 signature over
 *     `METHOD\nPATH\nTIMESTAMP\nNONCE\nSHA256HEX(BODY)` with the terminal's
 *     enrolled public key (`ERR_TERMINAL_SIGNATURE_INVALID`);
 *  5. the nonce was not seen from this terminal within the window
 *     (`ERR_TERMINAL_NONCE_REPLAYED`); it is then remembered — in the
 *     service's {@link NonceCache}, shared by a fleet — until the timestamp
 *     leaves the window, after which step 2 refuses the request anyway.
 */
export class TerminalAuth {
  readonly #terminals: TerminalStore;
  readonly #now: Clock;
  readonly #skewMs: number;
  readonly #locale: Locale;
  readonly #keys = new Map<string, { readonly jwk: string; readonly key: CryptoKey }>();
  readonly #nonces: NonceCache;

  constructor(o: {
    readonly terminals: TerminalStore;
    readonly nonces: NonceCache;
    readonly now: Clock;
    readonly clockSkewSeconds: number;
    readonly locale: Locale;
  }) {
    this.#terminals = o.terminals;
    this.#nonces = o.nonces;
    this.#now = o.now;
    this.#skewMs = o.clockSkewSeconds * 1000;
    this.#locale = o.locale;
  }

  /** Steps 1–3, from the headers alone. */
  async checkHeaders(req: IncomingMessage): Promise<PendingAuthentication> {
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const terminalId = header(TERMINAL_HEADERS.terminal);
    const claimed = claimedTerminal(terminalId);
    const missing = (name: string): TerminalRefusal => new TerminalRefusal('ERR_TERMINAL_AUTH_MISSING', claimed, this.#locale, { header: name });
    if (terminalId === undefined || !TERMINAL_ID.test(terminalId)) throw missing('S3404-Terminal');
    const timestamp = header(TERMINAL_HEADERS.timestamp);
    if (timestamp === undefined || !TIMESTAMP.test(timestamp)) throw missing('S3404-Timestamp');
    const nonce = header(TERMINAL_HEADERS.nonce);
    if (nonce === undefined || !NONCE.test(nonce)) throw missing('S3404-Nonce');
    const encoded = header(TERMINAL_HEADERS.signature);
    const signature = encoded === undefined || !SIGNATURE.test(encoded) ? null : fromBase64url(encoded);
    if (signature === null || signature.length !== 64) throw missing('S3404-Signature');
    const now = readClock(this.#now, 'signing service').getTime();
    if (Math.abs(Number(timestamp) - now) > this.#skewMs)
      throw new TerminalRefusal('ERR_TERMINAL_CLOCK_SKEW', claimed, this.#locale, { seconds: this.#skewMs / 1000 });
    const terminal = await this.#terminals.get(terminalId);
    if (terminal === null) throw new TerminalRefusal('ERR_TERMINAL_UNKNOWN', claimed, this.#locale);
    return { terminal, key: await this.#keyOf(terminal), timestamp, nonce, signature: new Uint8Array(signature) };
  }

  /** Steps 4–5, once the body is read: the authenticated terminal's identifier. */
  async verify(pending: PendingAuthentication, method: string, path: string, body: Uint8Array): Promise<string> {
    const id = pending.terminal.id;
    const input = terminalSigningInput({ method, path, timestamp: pending.timestamp, nonce: pending.nonce, bodySha256: toHex(nodeSha256(body)) });
    const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pending.key, pending.signature, new TextEncoder().encode(input));
    if (!ok) throw new TerminalRefusal('ERR_TERMINAL_SIGNATURE_INVALID', id, this.#locale);
    // Only a request signed by the terminal's key reaches the nonce cache: nobody else can fill it.
    const now = readClock(this.#now, 'signing service').getTime();
    const first = await this.#nonces.remember(`${id}\n${pending.nonce}`, Number(pending.timestamp) + this.#skewMs, now);
    if (!first) throw new TerminalRefusal('ERR_TERMINAL_NONCE_REPLAYED', id, this.#locale);
    return id;
  }

  /** Forgets a revoked terminal's key. */
  forget(id: string): void {
    this.#keys.delete(id);
  }

  async #keyOf(terminal: EnrolledTerminal): Promise<CryptoKey> {
    const jwk = JSON.stringify([terminal.publicKey.x, terminal.publicKey.y]);
    const cached = this.#keys.get(terminal.id);
    if (cached !== undefined && cached.jwk === jwk) return cached.key;
    const key = await importTerminalKey(terminal.publicKey, this.#locale);
    this.#keys.set(terminal.id, { jwk, key });
    return key;
  }
}

/**
 * Checks a terminal's public key as enrolled (SIG-7): a public ECDSA P-256
 * JWK — `kty` `EC`, `crv` `P-256`, 32-byte `x` and `y` on the curve, and no
 * private part (`d`): a private key sent over the network is refused, not
 * stored.
 *
 * @throws CliError `ERR_TERMINAL_KEY_INVALID`.
 */
export async function importTerminalKey(value: unknown, locale: Locale): Promise<CryptoKey> {
  const invalid = (cause?: unknown): CliError => new CliError('ERR_TERMINAL_KEY_INVALID', { locale, cause });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid();
  const jwk = value as Record<string, unknown>;
  if (jwk['kty'] !== 'EC' || jwk['crv'] !== 'P-256' || 'd' in jwk) throw invalid();
  const x = jwk['x'];
  const y = jwk['y'];
  if (typeof x !== 'string' || typeof y !== 'string' || !COORDINATE.test(x) || !COORDINATE.test(y)) throw invalid();
  try {
    // Web Crypto checks that the point is on the curve.
    return await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x, y, ext: true }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  } catch (e) {
    throw invalid(e);
  }
}

/** The public key as stored: its four members only. */
export function storedKey(value: Record<string, unknown>): TerminalPublicKey {
  return { kty: 'EC', crv: 'P-256', x: String(value['x']), y: String(value['y']) };
}

/** Checks an enrolment request and takes its pairing code (SIG-7). */
export async function checkEnrolment(
  body: Record<string, unknown>,
  codes: PairingCodes,
  locale: Locale,
): Promise<{ readonly terminalId: string; readonly publicKey: TerminalPublicKey }> {
  const bad = (detail: string): CliError => new CliError('ERR_HTTP_REQUEST_INVALID', { params: { detail }, locale });
  const { terminalId, publicKey, pairingCode } = body;
  if (typeof terminalId !== 'string' || !TERMINAL_ID.test(terminalId)) throw bad('terminalId ([A-Za-z0-9._-]{1,64})');
  if (typeof pairingCode !== 'string' || pairingCode.length > 64) throw bad('pairingCode');
  for (const k of Object.keys(body)) if (!['terminalId', 'publicKey', 'pairingCode'].includes(k)) throw bad(k.slice(0, 40));
  await importTerminalKey(publicKey, locale);
  // The code is taken last: a request malformed otherwise does not burn it.
  if (!codes.take(pairingCode)) throw new TerminalRefusal('ERR_PAIRING_CODE_INVALID', terminalId, locale);
  return { terminalId, publicKey: storedKey(publicKey as Record<string, unknown>) };
}

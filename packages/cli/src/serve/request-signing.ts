import { randomBytes, readClock, resolveClock, resolveRandom, toBase64url, toHex, type Clock, type RandomSource } from '@s3404/core';

/**
 * The four headers of a terminal-signed request of the signing service
 * (`s3404 serve`), lowercase as Node reads them.
 *
 * `import { TERMINAL_HEADERS } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * req.headers[TERMINAL_HEADERS.terminal] // 'tablette-accueil'
 * ```
 * @public
 */
export const TERMINAL_HEADERS = Object.freeze({
  terminal: 's3404-terminal',
  timestamp: 's3404-timestamp',
  nonce: 's3404-nonce',
  signature: 's3404-signature',
} as const);

/** The parts of a request a terminal signs. @public */
export interface SignedRequestParts {
  /** `GET`, `POST`… in capitals. */
  readonly method: string;
  /** The request target as sent: path and query string (`/v1/bordereaux/ID/pdf`). */
  readonly path: string;
  /** Unix time in milliseconds, decimal (`S3404-Timestamp`). */
  readonly timestamp: string;
  /** At least 128 random bits, base64url (`S3404-Nonce`). */
  readonly nonce: string;
  /** SHA-256 of the exact body bytes, lowercase hex (of zero bytes for a request without a body). */
  readonly bodySha256: string;
}

/**
 * The text a terminal signs with its ECDSA P-256 key (SIG-7, terminal
 * authentication of the signing service): five lines joined by `\n`,
 * `METHOD`, `PATH`, `TIMESTAMP`, `NONCE`, `SHA256HEX(BODY)`, encoded in
 * UTF-8. The signature (`S3404-Signature`) is ECDSA-SHA256 over it, in the
 * IEEE P1363 form Web Crypto produces (r ‖ s, 64 bytes), base64url.
 *
 * `import { terminalSigningInput } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * terminalSigningInput({ method: 'GET', path: '/v1/bordereaux', timestamp: '1774000800000', nonce, bodySha256: EMPTY_SHA256 })
 * // 'GET\n/v1/bordereaux\n1774000800000\n…\ne3b0c442…'
 * ```
 * @public
 */
export function terminalSigningInput(parts: SignedRequestParts): string {
  return [parts.method, parts.path, parts.timestamp, parts.nonce, parts.bodySha256].join('\n');
}

/** Web Crypto's subtle interface, as far as request signing needs it. @public */
export interface TerminalSubtle {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
  sign(algorithm: { name: string; hash: string }, key: never, data: Uint8Array): Promise<ArrayBuffer>;
}

/** Options of {@link signTerminalRequest}. @public */
export interface SignTerminalRequestOptions {
  /** The terminal's identifier, as enrolled. */
  readonly terminalId: string;
  /** The terminal's ECDSA P-256 private key (Web Crypto `CryptoKey`, non-extractable). */
  readonly key: unknown;
  readonly method: string;
  /** Path and query string, exactly as the request will be sent. */
  readonly path: string;
  /** The exact body bytes; none for a GET. */
  readonly body?: Uint8Array;
  /** Clock of the timestamp. Default: the system clock. */
  readonly now?: Clock;
  /** Source of the nonce. Default: Web Crypto's CSPRNG. */
  readonly random?: RandomSource;
  /** Web Crypto. Default: `globalThis.crypto.subtle`. */
  readonly subtle?: TerminalSubtle;
}

/**
 * Signs a request of a terminal for the signing service (SIG-7): returns the
 * four headers to send with it (`S3404-Terminal`, `S3404-Timestamp`,
 * `S3404-Nonce`, `S3404-Signature`). Runs wherever Web Crypto does (the
 * tablet page, Node); the private key never leaves the `CryptoKey`.
 *
 * `import { signTerminalRequest } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * const body = new TextEncoder().encode(JSON.stringify({ handle, bordereauId }))
 * const headers = await signTerminalRequest({ terminalId: 'tablette-1', key: pair.privateKey, method: 'POST', path: '/v1/records/consume', body })
 * await fetch(url + '/v1/records/consume', { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } })
 * ```
 * @throws TypeError when Web Crypto is not available or the key cannot sign ECDSA P-256.
 * @public
 */
export async function signTerminalRequest(options: SignTerminalRequestOptions): Promise<Record<string, string>> {
  const subtle = options.subtle ?? (globalThis.crypto?.subtle as unknown as TerminalSubtle | undefined);
  if (subtle === undefined) throw new TypeError('signTerminalRequest: Web Crypto is not available (a secure context: https or loopback)');
  const now = readClock(resolveClock(options.now, 'signTerminalRequest'), 'signTerminalRequest');
  const nonce = toBase64url(randomBytes(resolveRandom(options.random), 18));
  const bodySha256 = toHex(new Uint8Array(await subtle.digest('SHA-256', options.body ?? new Uint8Array(0))));
  const timestamp = String(now.getTime());
  const input = new TextEncoder().encode(terminalSigningInput({ method: options.method.toUpperCase(), path: options.path, timestamp, nonce, bodySha256 }));
  const signature = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, options.key as never, input));
  return {
    [TERMINAL_HEADERS.terminal]: options.terminalId,
    [TERMINAL_HEADERS.timestamp]: timestamp,
    [TERMINAL_HEADERS.nonce]: nonce,
    [TERMINAL_HEADERS.signature]: toBase64url(signature),
  };
}

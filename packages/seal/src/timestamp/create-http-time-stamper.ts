import {
  randomBytes,
  resolveLocale,
  resolveRandom,
  truncateForMessage,
  type Locale,
  type LocalizedText,
  type RandomSource,
  type TimeStamper,
  type TimeStampOptions,
} from '@s3404/core';
import { SealError } from '../errors/seal-error.js';
import { encodeTimeStampRequest } from './encode-time-stamp-request.js';
import { invalidReply, readTimeStampReply } from './read-time-stamp-reply.js';
import { checkStampInput, nonceInteger } from './stamp-input.js';
import { MAX_TSP_BYTES } from './tsa-usage.js';

/**
 * The request {@link createHttpTimeStamper} hands to `fetch` (RFC 3161 §3.4).
 * Where the platform has `AbortController`, the object also carries a
 * `signal` that aborts at the timeout: pass it on.
 * @public
 */
export interface TsaFetchInit {
  readonly method: 'POST';
  /** `content-type: application/timestamp-query`, `accept: application/timestamp-reply`, and the caller's headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The DER TimeStampReq. */
  readonly body: Uint8Array<ArrayBuffer>;
}

/** The part of a `fetch` Response the time-stamper reads: the platform's `Response` fits. @public */
export interface TsaFetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The body as a stream, read up to the size limit; when absent, `arrayBuffer()` is used. */
  readonly body?: {
    getReader(): {
      read(): Promise<{ readonly done: boolean; readonly value?: Uint8Array | undefined }>;
      cancel(reason?: unknown): Promise<void>;
    };
  } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch` function as the time-stamper calls it: the platform's `fetch` (browsers, Deno, Node ≥ 18) fits. @public */
export type TsaFetch = (url: string, init: TsaFetchInit) => Promise<TsaFetchResponse>;

/** Options of {@link createHttpTimeStamper} (SIG-3, AUD-2). @public */
export interface HttpTimeStamperOptions {
  /** The TSA's URL, `http:` or `https:` (RFC 3161 §3.4). */
  readonly url: string;
  /** The HTTP client. Default: the platform's `fetch`. */
  readonly fetch?: TsaFetch;
  /** Time allowed for the whole exchange, milliseconds. Default 10,000. */
  readonly timeoutMs?: number;
  /** Random source of the 64-bit nonces. Default: Web Crypto's CSPRNG. */
  readonly random?: RandomSource;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
  /** Extra request headers (e.g. `authorization` for a TSA account). Default: none. Content type and accept are always RFC 3161's. */
  readonly headers?: Readonly<Record<string, string>>;
}

const REPLY_TYPES = new Set(['application/timestamp-reply', 'application/timestamp-response']);
const TIMEOUT = Symbol('timeout');

/** Reads a body up to `max` bytes; `null` past it (the stream is cancelled). */
async function readBounded(response: TsaFetchResponse, max: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const body = response.body;
  if (Number.isFinite(declared) && declared > max) {
    await body
      ?.getReader()
      .cancel()
      .catch(() => undefined);
    return null;
  }
  if (body === undefined || body === null || typeof body.getReader !== 'function') {
    const all = new Uint8Array(await response.arrayBuffer());
    return all.length > max ? null : all;
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value === undefined) continue;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/**
 * A {@link TimeStamper} over an RFC 3161 TSA reached by HTTP (SIG-3, AUD-2;
 * RFC 3161 §3.4): each `timestamp(digest)` POSTs a TimeStampReq
 * (`application/timestamp-query`, SHA-256 imprint, a fresh 64-bit nonce,
 * certReq) and reads the `application/timestamp-reply` — at most 64 KiB —
 * then checks the status (granted or grantedWithMods), that the token is a
 * SignedData over a TSTInfo for this digest and that it echoes the nonce,
 * and returns the token. It does not check the TSA's signature and
 * certificate: {@link verifyTimeStampToken} does, against your trust
 * anchors. Uses the platform's `fetch`: browsers, Deno, Node.
 *
 * `import { createHttpTimeStamper } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const stamper = createHttpTimeStamper({ url: 'https://tsa.example.fr/tsp', timeoutMs: 5000 })
 * const token = await stamper.timestamp(digest)
 * const verdict = await verifyTimeStampToken(token, { digest, trust: [tsaRootDer] })
 * ```
 * @throws TypeError for a URL that is not `http:` or `https:`, a `timeoutMs` that is not a positive integer, no `fetch` available.
 * From `timestamp`: {@link SealError} `ERR_TSA_UNAVAILABLE` (network error, timeout, HTTP status other than 200,
 * wrong content type — retry later), `ERR_TSA_REJECTED` (the TSA's PKIStatus, with `params.status`, `params.failInfo`,
 * `params.statusText`), `ERR_TSA_RESPONSE_INVALID` (not a TimeStampResp, too large, a token for another digest,
 * a nonce not echoed, not a SignedData over id-ct-TSTInfo).
 * @public
 */
export function createHttpTimeStamper(options: HttpTimeStamperOptions): TimeStamper {
  if (options === null || typeof options !== 'object') throw new TypeError('createHttpTimeStamper: options are required');
  let parsed: URL;
  try {
    parsed = new URL(String(options.url));
  } catch {
    throw new TypeError('createHttpTimeStamper: options.url must be an http(s) URL, e.g. https://tsa.example.fr/tsp');
  }
  if (typeof options.url !== 'string' || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError('createHttpTimeStamper: options.url must be an http(s) URL, e.g. https://tsa.example.fr/tsp');
  }
  const url = options.url;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000)
    throw new TypeError('createHttpTimeStamper: timeoutMs must be an integer from 1 to 600000');
  const fetchFn = options.fetch ?? (globalThis as { fetch?: TsaFetch }).fetch;
  if (typeof fetchFn !== 'function') throw new TypeError('createHttpTimeStamper: no fetch available: pass options.fetch');
  if (options.headers !== undefined && (options.headers === null || typeof options.headers !== 'object')) {
    throw new TypeError('createHttpTimeStamper: options.headers must be an object of strings');
  }
  const extraHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value !== 'string') throw new TypeError(`createHttpTimeStamper: header ${name} must be a string`);
    if (!/^(content-type|accept)$/i.test(name)) extraHeaders[name] = value;
  }
  const random = resolveRandom(options.random);
  const locale = resolveLocale(options.locale);
  // The name and messages show the TSA without credentials or query (an API key may sit there).
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  const unavailable = (detail: LocalizedText, cause?: unknown): SealError =>
    new SealError('ERR_TSA_UNAVAILABLE', { params: { url: truncateForMessage(shown, 80), detail }, locale, cause });

  return {
    name: shown,
    async timestamp(digest: Uint8Array, stampOptions?: TimeStampOptions): Promise<Uint8Array> {
      checkStampInput(digest, stampOptions, 'timestamp');
      const nonce = Uint8Array.from(randomBytes(random, 8));
      const body = encodeTimeStampRequest({ digest, nonce }) as Uint8Array<ArrayBuffer>;
      const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
      const init: TsaFetchInit & { readonly signal?: unknown } = {
        method: 'POST',
        headers: { ...extraHeaders, 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        body,
        ...(controller === undefined ? {} : { signal: controller.signal }),
      };
      let timer: ReturnType<typeof setTimeout> | undefined;
      let timedOut = false;
      const timeoutError = (): SealError => unavailable({ fr: `pas de réponse en ${timeoutMs} ms`, en: `no reply within ${timeoutMs} ms` });
      const expiry = new Promise<typeof TIMEOUT>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          resolve(TIMEOUT);
          controller?.abort();
        }, timeoutMs);
      });
      let reply: Uint8Array | null;
      try {
        const exchange = (async (): Promise<Uint8Array | null> => {
          let response: TsaFetchResponse;
          try {
            response = await fetchFn(url, init);
          } catch (e) {
            throw timedOut ? timeoutError() : unavailable({ fr: 'erreur réseau', en: 'network error' }, e);
          }
          if (response.status !== 200) {
            await response.body
              ?.getReader()
              .cancel()
              .catch(() => undefined);
            throw unavailable({ fr: `statut HTTP ${response.status}, attendu 200`, en: `HTTP status ${response.status}, expected 200` });
          }
          const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
          if (!REPLY_TYPES.has(type)) {
            await response.body
              ?.getReader()
              .cancel()
              .catch(() => undefined);
            const got = truncateForMessage(type);
            throw unavailable({
              fr: `type de contenu ${got}, attendu application/timestamp-reply`,
              en: `content type ${got}, expected application/timestamp-reply`,
            });
          }
          try {
            return await readBounded(response, MAX_TSP_BYTES);
          } catch (e) {
            throw timedOut ? timeoutError() : unavailable({ fr: 'réponse interrompue', en: 'reply interrupted' }, e);
          }
        })();
        exchange.catch(() => undefined); // settled later by the race, or ignored after a timeout
        const outcome = await Promise.race([exchange, expiry]);
        if (outcome === TIMEOUT) throw timeoutError();
        reply = outcome;
      } finally {
        clearTimeout(timer);
      }
      if (reply === null) throw invalidReply('too-large', locale);
      return readTimeStampReply(reply, { digest, nonce: nonceInteger(nonce) }, locale);
    },
  };
}

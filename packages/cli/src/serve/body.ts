import type { IncomingMessage } from 'node:http';
import type { Locale } from '@s3404/core';
import { CliError } from '../errors.js';

/** Limits of one request body: the bytes read at most, and how long the body may take to arrive. */
export interface BodyLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/**
 * Reads a request body, bounded: a body over the limit is refused
 * (`ERR_HTTP_BODY_TOO_LARGE`, 413) — never kept, read on to its end (so that
 * the client reads the answer) up to four times the limit, and refused at
 * once beyond, or when its `Content-Length` says so; a body that does not
 * arrive within `timeoutMs` is refused (`ERR_HTTP_BODY_TIMEOUT`, 408) — a
 * slow client cannot hold a request open. The caller closes the connection
 * after answering a refusal whose body was not read to its end.
 *
 * @throws CliError `ERR_HTTP_BODY_TOO_LARGE`, `ERR_HTTP_BODY_TIMEOUT`, `ERR_HTTP_REQUEST_INVALID` (the client aborted).
 */
export function readBody(req: IncomingMessage, limits: BodyLimits, locale: Locale): Promise<Uint8Array> {
  const tooLarge = (): CliError => new CliError('ERR_HTTP_BODY_TOO_LARGE', { params: { limit: limits.maxBytes }, locale });
  // A body over the limit is still read to its end, without keeping it, up to this many bytes: the
  // client then reads the 413 instead of a broken pipe. Beyond, the connection is cut after the answer.
  const drainBytes = Math.min(Math.max(4 * limits.maxBytes, 1 << 20), 32 << 20);
  const declared = req.headers['content-length'];
  if (declared !== undefined && (!/^\d{1,15}$/.test(declared) || Number(declared) > drainBytes)) return Promise.reject(tooLarge());
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let done = false;
    const finish = (error: CliError | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (error === null) resolve(new Uint8Array(Buffer.concat(chunks, size)));
      else {
        // Stop reading: unless the body was read to its end, the refusal closes the connection.
        req.pause();
        for (const c of chunks) c.fill(0);
        reject(error);
      }
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > drainBytes) finish(tooLarge());
      else if (size > limits.maxBytes) {
        if (!over) for (const c of chunks) c.fill(0);
        over = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    };
    const onEnd = (): void => finish(over ? tooLarge() : null);
    const aborted = (): CliError =>
      new CliError('ERR_HTTP_REQUEST_INVALID', { params: { detail: { fr: 'requête interrompue', en: 'request aborted' } }, locale });
    const onError = (): void => finish(aborted());
    const onAborted = (): void => finish(aborted());
    const timer = setTimeout(
      () => finish(over ? tooLarge() : new CliError('ERR_HTTP_BODY_TIMEOUT', { params: { seconds: Math.round(limits.timeoutMs / 100) / 10 }, locale })),
      limits.timeoutMs,
    );
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * Checks that a request declares a JSON body (`application/json`, optionally
 * with `charset=utf-8`): anything else is refused before the body is read
 * (`ERR_HTTP_CONTENT_TYPE`, 415).
 *
 * @throws CliError `ERR_HTTP_CONTENT_TYPE`.
 */
export function requireJsonContentType(req: IncomingMessage, locale: Locale): void {
  const type = req.headers['content-type'] ?? '';
  const [media, ...params] = type.split(';').map((s) => s.trim().toLowerCase());
  const charsetOk = params.every((p) => !p.startsWith('charset=') || p === 'charset=utf-8' || p === 'charset="utf-8"');
  if (media !== 'application/json' || !charsetOk)
    throw new CliError('ERR_HTTP_CONTENT_TYPE', { params: { received: type === '' ? '(none)' : type.slice(0, 60).replace(/[^\x20-\x7e]/g, '?') }, locale });
}

/**
 * Parses a JSON object from a body: strict UTF-8 (no replacement
 * characters), one JSON value, an object at the top (`ERR_HTTP_JSON_INVALID`, 400).
 *
 * @throws CliError `ERR_HTTP_JSON_INVALID`.
 */
export function parseJsonObject(body: Uint8Array, locale: Locale): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body));
  } catch (e) {
    // A syntax error, invalid UTF-8, or a nesting too deep for the parser (RangeError): all unreadable input.
    throw new CliError('ERR_HTTP_JSON_INVALID', { locale, cause: e });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError('ERR_HTTP_JSON_INVALID', { locale });
  return value as Record<string, unknown>;
}

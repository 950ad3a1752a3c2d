import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  isS3404Error,
  notifyQuietly,
  readClock,
  resolveClock,
  resolveLocale,
  resolveRandom,
  type Clock,
  type Locale,
  type RandomSource,
  type TraceSink,
} from '@s3404/core';
import { toErrorMessage, type CaptureLimits, type Consumer, type Sealer } from '@s3404/seal';
import { CAPTURE_LIMITS } from '@s3404/seal';
import { CliError } from '../errors.js';
import { VERSION } from '../version.js';
import { parseJsonObject, readBody, requireJsonContentType } from './body.js';
import type { BordereauSource } from './bordereau-source.js';
import { httpStatusOf } from './http-status.js';
import { signingServiceOpenApi, type OpenApiDocument } from './openapi.js';
import { MemoryNonceCache, type NonceCache } from './nonce-cache.js';
import { PairingCodes, type PairingCode } from './pairing.js';
import { signingRoutes, type Reply, type Route } from './routes.js';
import { tabletPage } from './tablet-page.js';
import { TerminalAuth, TerminalRefusal, type PendingAuthentication } from './terminal-auth.js';
import { MemoryTerminalStore, type TerminalStore } from './terminal-store.js';

/** Options of {@link createSigningService} (SIG-1…SIG-7). @public */
export interface SigningServiceOptions {
  /**
   * The vendor's sealer (`createSealer` of `@s3404/seal`): its seal key and
   * certificate, its context registry (contexts are taken back by the
   * process that issued them), its authoriser (SIG-7), mandates and proof agreements.
   */
  readonly sealer: Sealer;
  /**
   * The consumer of sealed records (`createConsumer`): its store is the
   * single-use ledger. Give it `keyHolder: null` so the pending record's key
   * lives only in the handle the capture's answer carries (SIG-6), and a
   * store shared by every process (`postgres://`, `redis://`) when several
   * processes serve the same bordereaux (SIG-5).
   */
  readonly consumer: Consumer;
  /** The bordereaux offered for signature and where their signed PDFs are kept. */
  readonly bordereaux: BordereauSource;
  /** Enrolled terminals (public keys). Default: a {@link MemoryTerminalStore} of this service. */
  readonly terminals?: TerminalStore;
  /**
   * The request nonces seen, for refusing replays (SIG-7). Default: a
   * {@link MemoryNonceCache} of this service; several processes behind a load
   * balancer share one ({@link openNonceCache}). A given cache is not closed
   * by the service.
   */
  readonly nonces?: NonceCache;
  /** Where enrolments and refusals of terminals and captures are traced (AUD-1); awaited. Default: none. */
  readonly trace?: TraceSink;
  /** Clock of timestamps, pairing codes and the trace. Default: the system clock. */
  readonly now?: Clock;
  /** Random source of pairing codes. Default: Web Crypto's CSPRNG. */
  readonly random?: RandomSource;
  /** Language of answers when a request does not ask (`Accept-Language`). Default French. */
  readonly locale?: Locale;
  /**
   * The capture limits sent to tablets and applied to captures before the
   * sealer applies its own (SIG-2). Default: `CAPTURE_LIMITS` of
   * `@s3404/seal` with at most 50,000 pen points.
   */
  readonly captureLimits?: Partial<CaptureLimits>;
  /** Size of the PNG tablets produce. Default 1000 × 400 (`toContextMessage`'s). */
  readonly image?: { readonly width: number; readonly height: number };
  /** Largest difference between a request's `S3404-Timestamp` and the server's clock, seconds. Default 60. */
  readonly clockSkewSeconds?: number;
  /** How long a pairing code stays usable, seconds. Default 600 (10 minutes). */
  readonly pairingCodeTtlSeconds?: number;
  /** Largest JSON body of every request but a capture, bytes. Default 16 KiB. */
  readonly maxBodyBytes?: number;
  /**
   * Largest capture body, bytes. Default: what the capture limits allow —
   * the base64 of the largest PNG, 40 bytes per pen point, and 64 KiB for the context.
   */
  readonly maxCaptureBytes?: number;
  /** How long a request body may take to arrive, milliseconds. Default 10,000. */
  readonly bodyTimeoutMs?: number;
  /** The tablet page's script (a browser bundle). Default: the one built with `@s3404/cli` (`dist/serve/tablet.js`). */
  readonly tabletScript?: string;
  /**
   * Called with every error that is not a coded error of the SDK (a bug):
   * the client gets `ERR_INTERNAL` and no detail, the operator gets the
   * error here. Default: none. What it throws or rejects is dropped: a
   * failing reporter never keeps a request from its answer, nor brings the
   * process down.
   */
  readonly onInternalError?: (error: unknown) => void;
}

/** Where {@link SigningService.listen} listens. @public */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** Address. Default `127.0.0.1` (loopback only). */
  readonly host?: string;
}

/** A listening signing service. @public */
export interface ListeningService {
  /** `http://host:port`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly server: Server;
}

/**
 * The reference signing service (SIG-1…SIG-7): a `node:http` handler, no
 * framework. Its routes and answers are described by {@link SigningService.openapi}.
 *
 * @public
 */
export interface SigningService {
  /** Answers one request; never throws, never leaves a request unanswered. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Creates a `node:http` server for {@link SigningService.handle} and listens; {@link SigningService.close} closes it. */
  listen(options?: ListenOptions): Promise<ListeningService>;
  /** A new one-time pairing code (80 random bits) for a person enrolling a tablet (SIG-7). */
  createPairingCode(options?: { readonly ttlSeconds?: number }): PairingCode;
  /** Revokes an enrolled terminal: its requests are refused from now on. `false` when it was not enrolled. */
  revokeTerminal(terminalId: string): Promise<boolean>;
  /** The OpenAPI 3.1 document of the service, with the wire format's JSON Schemas (`/openapi.json`). */
  readonly openapi: OpenApiDocument;
  /** Stops the servers `listen` created (open requests get 2 s to finish) and the terminal store it opened itself. Idempotent. */
  close(): Promise<void>;
}

/** The tablet bundle: built with the CLI (`dist/serve/tablet.js`), next to whichever file this code was bundled into. */
function builtTabletScript(): string | null {
  const candidates = ['./serve/tablet.js', './tablet.js', '../../dist/serve/tablet.js'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((p) => existsSync(p));
  return found === undefined ? null : readFileSync(found, 'utf8');
}

/** The language a request asks for: the first tag of `Accept-Language`, else the service's. */
function requestLocale(req: IncomingMessage, fallback: Locale): Locale {
  const header = req.headers['accept-language'];
  if (typeof header !== 'string' || header === '') return fallback;
  const first = header.split(',')[0]!.split(';')[0]!.trim();
  return first === '*' ? fallback : resolveLocale(first);
}

/** Headers of every answer: nothing cached, nothing sniffed, no referrer, never framed. */
const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

/** The tablet page may load its own script and styles, talk to its own origin, show a blob PDF; nothing else. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-src blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Creates the reference signing service (SIG-1…SIG-7, X-2): the tablet page
 * at `/` (the `<s3404-signature-pad>` of `@s3404/capture`), its script, the
 * OpenAPI 3.1 document at `/openapi.json`, a health check, terminal
 * enrolment, and the signed routes that list bordereaux, open a capture
 * context, receive a capture (sealed at once and deposited encrypted),
 * consume it once onto the bordereau's PDF and serve the PDF.
 *
 * **Terminal authentication.** Each tablet generates its own ECDSA P-256
 * key pair (Web Crypto, private key non-extractable) and enrols its public
 * key with `POST /v1/terminals` and a one-time pairing code
 * ({@link SigningService.createPairingCode}: 80 random bits, 10 minutes,
 * compared in constant time). Every other request of the terminal carries
 * `S3404-Terminal`, `S3404-Timestamp` (Unix ms), `S3404-Nonce` (≥ 128 bits)
 * and `S3404-Signature`, ECDSA-SHA256 over
 * `METHOD\nPATH\nTIMESTAMP\nNONCE\nSHA256HEX(BODY)`: the server refuses
 * (401, coded, traced as `authorization.denied` with the code and the reason `terminal-authentication`) an unknown terminal, a bad
 * signature, a timestamp more than 60 s away, a nonce seen in that window.
 * A capture is read for the AUTHENTICATED terminal: a capture for a context
 * opened for another terminal is refused (`ERR_CONTEXT_MISMATCH`, field
 * `terminal`). Serve it over HTTPS beyond loopback: Web Crypto needs a
 * secure context, and the requests carry personal data.
 *
 * **No image stored.** A capture lives in memory for the time of one
 * request: decoded, sealed, deposited encrypted under a fresh key that only
 * the answer's handle carries (with a consumer created with
 * `keyHolder: null`), its buffers wiped; only the signed PDF carries the
 * signature after its use (SIG-6).
 *
 * **Bad input.** Every request is answered, every error as JSON
 * (`ErrorMessage` of `@s3404/core/wire`, `type: 's3404.error'`) with its
 * code and an HTTP status by kind: input 400 (413 body too large, 415 not
 * JSON, 408 body too slow), unauthenticated 401, not allowed 403, already
 * used 409, verdict 422, unavailable 503, internal 500 without detail.
 *
 * `import { createSigningService } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * const service = createSigningService({ sealer, consumer, bordereaux: await createRenderedBordereauSource({ bordereaux }) })
 * const { url } = await service.listen({ port: 8080 })
 * console.log(url, service.createPairingCode().code)
 * ```
 * @throws TypeError for malformed options (no sealer, consumer or bordereaux; limits out of range; a `now` that is not a Clock).
 * @public
 */
export function createSigningService(options: SigningServiceOptions): SigningService {
  if (options === null || typeof options !== 'object') throw new TypeError('createSigningService: options are required');
  const { sealer, consumer, bordereaux } = options;
  if (sealer === undefined || consumer === undefined || bordereaux === undefined)
    throw new TypeError('createSigningService: options.sealer, options.consumer and options.bordereaux are required');
  const now = resolveClock(options.now, 'createSigningService');
  const random = resolveRandom(options.random);
  const locale = resolveLocale(options.locale);
  const positive = (name: string, value: number | undefined, fallback: number, max: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 1 || v > max) throw new TypeError(`createSigningService: ${name} must be an integer from 1 to ${max}`);
    return v;
  };
  const skew = positive('clockSkewSeconds', options.clockSkewSeconds, 60, 600);
  const pairingTtl = positive('pairingCodeTtlSeconds', options.pairingCodeTtlSeconds, 600, 86_400);
  const captureLimits: Partial<CaptureLimits> = { maxPoints: Math.min(50_000, CAPTURE_LIMITS.maxPoints), ...options.captureLimits };
  const maxImageBytes = captureLimits.maxImageBytes ?? CAPTURE_LIMITS.maxImageBytes;
  const maxPoints = captureLimits.maxPoints ?? CAPTURE_LIMITS.maxPoints;
  const small = positive('maxBodyBytes', options.maxBodyBytes, 16 * 1024, 1 << 20);
  const capture = positive('maxCaptureBytes', options.maxCaptureBytes, Math.ceil(maxImageBytes / 3) * 4 + 40 * maxPoints + 64 * 1024, 64 << 20);
  const timeoutMs = positive('bodyTimeoutMs', options.bodyTimeoutMs, 10_000, 600_000);
  const ownTerminals = options.terminals === undefined;
  const terminals = options.terminals ?? new MemoryTerminalStore();
  const codes = new PairingCodes({ now, random });
  const auth = new TerminalAuth({ terminals, nonces: options.nonces ?? new MemoryNonceCache({ locale }), now, clockSkewSeconds: skew, locale });
  const openapi = signingServiceOpenApi({ version: VERSION });
  let script: string | null | undefined = options.tabletScript;
  const routes: Route[] = signingRoutes({
    sealer,
    consumer,
    bordereaux,
    terminals,
    auth,
    codes,
    trace: options.trace,
    now,
    captureLimits,
    image: options.image,
    tabletPage,
    tabletScript: () => {
      script ??= builtTabletScript();
      if (script === null) throw new CliError('ERR_TABLET_UNAVAILABLE', { locale });
      return script;
    },
    openapi,
    version: VERSION,
  });
  const servers = new Set<Server>();
  let closed: Promise<void> | null = null;

  const traceRefusal = async (e: TerminalRefusal): Promise<void> => {
    await options.trace?.record({
      action: 'authorization.denied',
      at: readClock(now, 'signing service').toISOString(),
      actor: { personId: `terminal:${e.terminalId}`, role: 'service', terminalId: e.terminalId },
      subject: {},
      outcome: 'refused',
      code: e.code,
      reason: 'terminal-authentication',
    });
  };

  const send = (res: ServerResponse, reply: Reply, extra: Readonly<Record<string, string>> = {}): void => {
    const headers: Record<string, string> = { ...COMMON_HEADERS, ...extra, ...reply.headers };
    let bytes: Uint8Array | string;
    if ('json' in reply) {
      bytes = JSON.stringify(reply.json);
      headers['content-type'] = 'application/json; charset=utf-8';
    } else {
      bytes = reply.bytes;
      headers['content-type'] = reply.type;
      if (reply.type.startsWith('text/html')) headers['content-security-policy'] = PAGE_CSP;
    }
    headers['content-length'] = String(typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength);
    res.writeHead(reply.status, headers);
    res.end(bytes);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const reqLocale = requestLocale(req, locale);
    // A client that goes away must not crash the process.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    try {
      const target = req.url ?? '/';
      const method = req.method ?? 'GET';
      if (!target.startsWith('/') || target.length > 2048)
        throw new CliError('ERR_HTTP_NOT_FOUND', { params: { path: target.slice(0, 80).replace(/[^\x21-\x7e]/g, '?') }, locale: reqLocale });
      let url: URL;
      try {
        url = new URL(target, 'http://service.invalid');
      } catch {
        throw new CliError('ERR_HTTP_NOT_FOUND', { params: { path: target.slice(0, 80).replace(/[^\x21-\x7e]/g, '?') }, locale: reqLocale });
      }
      const path = url.pathname;
      const matching = routes.filter((r) => r.pattern.test(path));
      const shown = path.slice(0, 80).replace(/[^\x21-\x7e]/g, '?');
      if (matching.length === 0) throw new CliError('ERR_HTTP_NOT_FOUND', { params: { path: shown }, locale: reqLocale });
      const route = matching.find((r) => r.method === method);
      if (route === undefined) {
        const allowed = matching.map((r) => r.method).join(', ');
        const e = new CliError('ERR_HTTP_METHOD', { params: { method: method.slice(0, 10), path: shown, allowed }, locale: reqLocale });
        return send(res, errorReply(e, reqLocale), { allow: allowed });
      }
      const params = route.pattern.exec(path)!.slice(1);
      // Steps 1–3 of the authentication, before a byte of the body is read.
      let pending: PendingAuthentication | null = null;
      if (route.auth === 'terminal') pending = await auth.checkHeaders(req);
      let body: Uint8Array = new Uint8Array(0);
      if (route.body !== 'none') {
        requireJsonContentType(req, reqLocale);
        body = await readBody(req, { maxBytes: route.body === 'capture' ? capture : small, timeoutMs }, reqLocale);
      } else req.resume();
      const terminalId = pending === null ? null : await auth.verify(pending, method, target, body);
      let json: Record<string, unknown> | null = null;
      try {
        json = route.body === 'none' ? null : parseJsonObject(body, reqLocale);
      } finally {
        body.fill(0); // a capture's image, in base64: wiped as soon as it is parsed (SIG-6)
      }
      const reply = await route.handler({ terminalId, body: json, params, query: url.searchParams, locale: reqLocale });
      send(res, reply);
    } catch (e) {
      if (e instanceof TerminalRefusal) {
        try {
          await traceRefusal(e);
        } catch (traceError) {
          return answerError(req, res, traceError, reqLocale);
        }
      }
      answerError(req, res, e, reqLocale);
    }
  };

  /** The operator's `onInternalError`, its own failure dropped (a logger that is down): the request is still answered. */
  const reportInternal = (e: unknown): void => notifyQuietly(options.onInternalError, e);

  const errorReply = (e: unknown, reqLocale: Locale): Reply => {
    if (!isS3404Error(e)) reportInternal(e);
    return { status: httpStatusOf(e), json: toErrorMessage(e, { locale: reqLocale }) };
  };

  const answerError = (req: IncomingMessage, res: ServerResponse, e: unknown, reqLocale: Locale): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A body left unread (refused before or while reading it) is not drained: the connection closes after the answer.
    const unread = !req.complete;
    send(res, errorReply(e, reqLocale), unread ? { connection: 'close' } : {});
    if (unread) res.on('finish', () => res.socket?.destroySoon());
  };

  return {
    handle: (req, res) =>
      handle(req, res).catch((e: unknown) => {
        // Last resort: even a failure to answer leaves the process up.
        reportInternal(e);
        res.destroy();
      }),
    listen: async (o = {}) => {
      if (closed !== null) throw new TypeError('SigningService.listen: the service is closed');
      const server = createServer({ requestTimeout: timeoutMs + 10_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
        void handle(req, res).catch((e: unknown) => {
          reportInternal(e);
          res.destroy();
        });
      });
      // A malformed request line or headers: a coded 400, then the connection closes.
      server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
        if (!socket.writable || err.code === 'ECONNRESET') {
          socket.destroy();
          return;
        }
        const body = JSON.stringify(toErrorMessage(new CliError('ERR_HTTP_REQUEST_INVALID', { params: { detail: 'HTTP' }, locale }), { locale }));
        socket.end(
          `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      });
      await new Promise<void>((done, fail) => {
        server.once('error', fail);
        server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => {
          server.off('error', fail);
          done();
        });
      });
      servers.add(server);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${host}:${address.port}`, host: address.address, port: address.port, server };
    },
    createPairingCode: (o = {}) => {
      const ttl = o.ttlSeconds ?? pairingTtl;
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) throw new TypeError('createPairingCode: ttlSeconds must be an integer from 1 to 86400');
      return codes.create(ttl);
    },
    revokeTerminal: async (terminalId) => {
      const removed = await terminals.delete(terminalId);
      auth.forget(terminalId);
      if (removed) {
        await options.trace?.record({
          action: 'terminal.revoked',
          at: readClock(now, 'signing service').toISOString(),
          // The service acts on the terminal it revokes, named as the actor's terminal.
          actor: { personId: 'service', role: 'service', terminalId },
          subject: {},
          outcome: 'success',
        });
      }
      return removed;
    },
    openapi,
    close: () => {
      closed ??= (async () => {
        await Promise.all(
          [...servers].map(
            (server) =>
              new Promise<void>((done) => {
                const force = setTimeout(() => server.closeAllConnections(), 2_000);
                server.close(() => {
                  clearTimeout(force);
                  done();
                });
                server.closeIdleConnections();
              }),
          ),
        );
        servers.clear();
        if (ownTerminals) await terminals.close();
      })();
      return closed;
    },
  };
}

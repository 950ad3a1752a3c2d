/**
 * A loopback RFC 3161 TSA over HTTP (RFC 3161 §3.4) for the time-stamp
 * tests: serves a `respond(request)` handler (e.g. `createDevelopmentTsa`'s)
 * on 127.0.0.1, on a free port. The path chooses how it behaves, so one
 * server covers every case: `/ok`, and the misbehaviours below.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers a request sent to `/<behaviour>`. */
export type TsaBehaviour =
  /** The genuine reply. */
  | 'ok'
  /** A PKIStatus rejection (badDataFormat), as the TSA gives for a bad request. */
  | 'rejection'
  /** A granted reply for another digest (the request's imprint altered, its nonce kept). */
  | 'wrong-digest'
  /** A granted reply with another nonce (the request's nonce altered). */
  | 'wrong-nonce'
  /** Random bytes as application/timestamp-reply. */
  | 'garbage'
  /** The genuine reply after `slowMs`. */
  | 'slow'
  /** HTTP 500. */
  | 'http-500'
  /** HTTP 200 with text/html. */
  | 'wrong-type'
  /** 70 KiB as application/timestamp-reply. */
  | 'too-large';

export interface TsaServer {
  /** The URL of a behaviour, e.g. `http://127.0.0.1:41234/ok`. */
  url(behaviour: TsaBehaviour): string;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

const MAX_REQUEST = 64 * 1024;

/** One TLV's content bounds (DER, short or long lengths). */
function tlvAt(buf: Uint8Array, pos: number): { contentStart: number; end: number } {
  const first = buf[pos + 1]!;
  let length = first;
  let cursor = pos + 2;
  if (first >= 0x80) {
    length = 0;
    for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + buf[cursor++]!;
  }
  return { contentStart: cursor, end: cursor + length };
}

/** The request with the last byte of its hashedMessage (`what: 'digest'`) or of its nonce flipped. */
export function alterRequest(request: Uint8Array, what: 'digest' | 'nonce'): Uint8Array {
  const out = Uint8Array.from(request);
  const root = tlvAt(out, 0);
  const version = tlvAt(out, root.contentStart);
  const imprint = tlvAt(out, version.end);
  if (what === 'digest') {
    const alg = tlvAt(out, imprint.contentStart);
    const hashed = tlvAt(out, alg.end);
    out[hashed.end - 1]! ^= 0x01;
  } else {
    const nonce = tlvAt(out, imprint.end);
    if (out[imprint.end] !== 0x02) throw new Error('request without nonce');
    out[nonce.end - 1]! ^= 0x01;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST) return null;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Starts the server on 127.0.0.1:0. */
export async function startTsaServer(respond: (request: Uint8Array) => Promise<Uint8Array>, options: { readonly slowMs?: number } = {}): Promise<TsaServer> {
  const slowMs = options.slowMs ?? 2000;
  let requests = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const reply = (res: ServerResponse, status: number, type: string, body: Uint8Array): void => {
    res.writeHead(status, { 'content-type': type, 'content-length': body.length });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests++;
    const behaviour = (req.url ?? '/').slice(1) as TsaBehaviour;
    const body = await readBody(req);
    if (req.method !== 'POST' || body === null || req.headers['content-type'] !== 'application/timestamp-query') {
      reply(res, 400, 'text/plain', new TextEncoder().encode('bad request'));
      return;
    }
    const tsr = 'application/timestamp-reply';
    switch (behaviour) {
      case 'ok':
        return reply(res, 200, tsr, await respond(body));
      case 'rejection':
        return reply(res, 200, tsr, await respond(Uint8Array.of(0x30, 0x00)));
      case 'wrong-digest':
        return reply(res, 200, tsr, await respond(alterRequest(body, 'digest')));
      case 'wrong-nonce':
        return reply(res, 200, tsr, await respond(alterRequest(body, 'nonce')));
      case 'garbage':
        return reply(res, 200, tsr, crypto.getRandomValues(new Uint8Array(300)));
      case 'slow': {
        const answer = await respond(body);
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, slowMs);
          timers.add(t);
          res.on('close', () => {
            clearTimeout(t);
            timers.delete(t);
            resolve();
          });
        });
        if (!res.destroyed) reply(res, 200, tsr, answer);
        return;
      }
      case 'http-500':
        return reply(res, 500, 'text/plain', new TextEncoder().encode('internal error'));
      case 'wrong-type':
        return reply(res, 200, 'text/html; charset=utf-8', new TextEncoder().encode('<html>proxy login</html>'));
      case 'too-large':
        return reply(res, 200, tsr, new Uint8Array(70 * 1024));
      default:
        reply(res, 404, 'text/plain', new TextEncoder().encode('unknown behaviour'));
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (behaviour) => `http://127.0.0.1:${port}/${behaviour}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

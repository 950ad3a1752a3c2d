import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';

/**
 * A tiny HTTP server on 127.0.0.1 (a secure context for Web Crypto) for the browser run: `/` an
 * empty page, `/suite.mjs` the bundle, `/v/<path>` a file of `vectors` (nothing outside it).
 */
export async function serveVectors(vectors: string, bundle: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, type: string, body: string | Uint8Array): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (pathname === '/') return send(200, 'text/html; charset=utf-8', '<!doctype html><meta charset="utf-8"><title>s3404</title>');
    if (pathname === '/suite.mjs') return send(200, 'text/javascript; charset=utf-8', bundle);
    const file = resolve(vectors, decodeURIComponent(pathname.slice('/v/'.length)));
    if (!pathname.startsWith('/v/') || !file.startsWith(`${vectors}${sep}`)) return send(404, 'text/plain', 'not found');
    readFile(file).then(
      (bytes) => send(200, 'application/octet-stream', bytes),
      () => send(404, 'text/plain', 'not found'),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

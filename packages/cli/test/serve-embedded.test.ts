import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { RecordingTraceSink } from '@s3404/core';
import { parseBordereauJson } from '@s3404/form';
import { createConsumer, createRoleAuthorizer, createSealer, MemoryContextRegistry } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { createRenderedBordereauSource, createSigningService, signTerminalRequest, type SigningService } from '@s3404/cli/serve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFor, noisePng, TestTerminal } from './serve-kit.js';

/**
 * The signing service embedded as a vendor embeds it (`@s3404/cli/serve`),
 * with an injected clock: what the command line cannot show in a test —
 * expiries, a slow body, a revoked terminal, a failing backend that must not
 * leak — and the SDK's own request signer against the server.
 */
const EXAMPLE = new URL('../../../examples/data/mco-chirurgie-pth.json', import.meta.url);
let clock = Date.now();
const now = (): Date => new Date(clock);
const trace = new RecordingTraceSink();
const internal: unknown[] = [];
let service: SigningService;
let url: string;
let failList = false;
let failReporter: 'throw' | 'reject' | undefined;
let ID: string;

beforeAll(async () => {
  const pki = await createDevelopmentPki({ now: () => new Date(clock - 60_000) });
  const bordereau = parseBordereauJson(readFileSync(EXAMPLE));
  ID = bordereau.id;
  const sealer = await createSealer({
    key: pki.seal.privateKey,
    certificate: pki.seal.certificate,
    contexts: new MemoryContextRegistry({ now }),
    authorizer: createRoleAuthorizer({ staff: [] }),
    now,
  });
  const consumer = createConsumer({ store: await MemoryConsumptionStore.open(), trustAnchors: [pki.ca.certificate], now, keyHolder: null });
  const source = await createRenderedBordereauSource({ bordereaux: [bordereau], now });
  service = createSigningService({
    sealer,
    consumer,
    bordereaux: {
      ...source,
      list: async () => {
        if (failList) throw new Error('database password hunter2 rejected');
        return source.list();
      },
    },
    trace,
    now,
    bodyTimeoutMs: 300,
    captureLimits: { maxImageBytes: 200_000 },
    onInternalError: (e) => {
      internal.push(e);
      if (failReporter === 'throw') throw new Error('log sink down');
      // A reporter that returns a promise (typed `void`, as an async function passed by an operator may be).
      if (failReporter === 'reject') return Promise.reject(new Error('log sink down')) as unknown as undefined;
      return undefined;
    },
  });
  ({ url } = await service.listen({ port: 0 }));
});

afterAll(async () => {
  await service?.close();
  await service?.close(); // idempotent
});

const paired = async (id: string): Promise<TestTerminal> => {
  const t = await new TestTerminal(url, id).init();
  const r = await t.pair(service.createPairingCode().code);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return t;
};

describe('createSigningService (@s3404/cli/serve), embedded with an injected clock', () => {
  it('refuses an expired pairing code, and one used once already', async () => {
    const t = await new TestTerminal(url, 'tablette-tardive').init();
    const code = service.createPairingCode({ ttlSeconds: 60 });
    clock += 61_000;
    const late = await t.pair(code.code);
    expect([late.status, late.json.code]).toEqual([401, 'ERR_PAIRING_CODE_INVALID']);
    // Lowercase, spaces, and O for 0 are read as the printed code.
    const fresh = service.createPairingCode();
    const typed = fresh.code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    expect((await t.pair(typed)).status).toBe(201);
    const second = await new TestTerminal(url, 'tablette-bis').init();
    expect((await second.pair(fresh.code)).json.code).toBe('ERR_PAIRING_CODE_INVALID');
    expect(trace.events.filter((e) => e.code === 'ERR_PAIRING_CODE_INVALID')).toHaveLength(2);
  });

  it('refuses a capture after its context expired (ERR_CONTEXT_EXPIRED)', async () => {
    const t = await paired('tablette-lente');
    const ctx = await t.request('POST', '/v1/contexts', { bordereauId: ID, slot: 'insured' }, { timestamp: clock });
    expect(ctx.status).toBe(201);
    expect(ctx.json.limits.maxImageBytes).toBe(200_000);
    clock += 301_000;
    const late = await t.request('POST', '/v1/captures', captureFor(ctx.json, noisePng(1000, 400, 7), { capturedAt: new Date(clock - 300_500) }), {
      timestamp: clock,
    });
    expect([late.status, late.json.code]).toEqual([422, 'ERR_CONTEXT_EXPIRED']);
  });

  it('refuses a body that does not arrive in time (408) and answers the next request', async () => {
    const t = await paired('tablette-goutte');
    const body = JSON.stringify({ bordereauId: ID, slot: 'insured' });
    const headers = await t.sign('POST', '/v1/contexts', new TextEncoder().encode(body), { timestamp: clock });
    const answer = await new Promise<{ status: number; body: string }>((done, fail) => {
      const req = request(
        `${url}/v1/contexts`,
        { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => done({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', fail);
      req.write(body.slice(0, 5)); // and never the rest
    });
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body).code).toBe('ERR_HTTP_BODY_TIMEOUT');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("accepts requests signed by the SDK's own signTerminalRequest, and refuses them once the terminal is revoked", async () => {
    const t = await paired('tablette-sdk');
    const body = new TextEncoder().encode(JSON.stringify({ bordereauId: ID, slot: 'insured' }));
    const signed = await signTerminalRequest({ terminalId: t.id, key: t.keys.privateKey, method: 'POST', path: '/v1/contexts', body, now });
    const ok = await fetch(`${url}/v1/contexts`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { type: string }).type).toBe('s3404.capture-context');
    expect(await service.revokeTerminal(t.id)).toBe(true);
    expect(await service.revokeTerminal(t.id)).toBe(false);
    // AUD-1: the enrolment and the revocation are traced, once each.
    const about = (action: string) => trace.events.filter((e) => e.action === action && JSON.stringify(e).includes(t.id));
    expect(about('terminal.enrolled')).toHaveLength(1);
    expect(about('terminal.revoked')).toHaveLength(1);
    const list = await fetch(`${url}/v1/bordereaux`, {
      headers: await signTerminalRequest({ terminalId: t.id, key: t.keys.privateKey, method: 'GET', path: '/v1/bordereaux', now }),
    });
    expect(list.status).toBe(401);
    expect(((await list.json()) as { code: string }).code).toBe('ERR_TERMINAL_UNKNOWN');
  });

  it('answers a failure of the vendor backend with ERR_INTERNAL (500) that leaks nothing; the operator gets the error', async () => {
    const t = await paired('tablette-panne');
    failList = true;
    try {
      const r = await t.request('GET', '/v1/bordereaux', undefined, { timestamp: clock });
      expect([r.status, r.json.code, r.json.kind]).toEqual([500, 'ERR_INTERNAL', 'internal']);
      expect(r.bytes.toString()).not.toContain('hunter2');
      expect(String(internal.at(-1))).toContain('hunter2');
    } finally {
      failList = false;
    }
    expect((await t.request('GET', '/v1/bordereaux', undefined, { timestamp: clock })).status).toBe(200);
  });

  it("still answers ERR_INTERNAL (500) when the operator's onInternalError throws or rejects, and keeps serving", async () => {
    // A reporter that threw used to leave the request unanswered and end the process (unhandled rejection).
    const t = await paired('tablette-journal');
    for (const how of ['throw', 'reject'] as const) {
      failList = true;
      failReporter = how;
      try {
        const r = await t.request('GET', '/v1/bordereaux', undefined, { timestamp: clock });
        expect([how, r.status, r.json.code]).toEqual([how, 500, 'ERR_INTERNAL']);
      } finally {
        failList = false;
        failReporter = undefined;
      }
    }
    expect((await t.request('GET', '/v1/bordereaux', undefined, { timestamp: clock })).status).toBe(200);
  });

  it('answers with handle() on a server of its own, and refuses a misconfiguration as TypeError', async () => {
    expect(() => createSigningService({} as never)).toThrow(TypeError);
    expect(() => createSigningService({ sealer: {}, consumer: {}, bordereaux: {}, clockSkewSeconds: 0 } as never)).toThrow(TypeError);
    const key = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])) as webcrypto.CryptoKeyPair;
    await expect(signTerminalRequest({ terminalId: 'x', key: key.privateKey, method: 'GET', path: '/', now: 'no' as never })).rejects.toThrow(TypeError);
    expect(service.openapi).toHaveProperty('openapi', '3.1.0');
    const own = createServer((req, res) => void service.handle(req, res));
    await new Promise<void>((done) => own.listen(0, '127.0.0.1', done));
    try {
      const base = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'ok' });
      const missing = await fetch(`${base}/v1/contexts`, { method: 'POST' });
      expect([missing.status, ((await missing.json()) as { code: string }).code]).toEqual([401, 'ERR_TERMINAL_AUTH_MISSING']);
    } finally {
      await new Promise((done) => own.close(done));
    }
  });

  it('examples/signing-service/server.ts starts with its own settings, pairs a tablet and opens a context', async () => {
    const root = new URL('../../../', import.meta.url).pathname;
    const dir = mkdtempSync(join(tmpdir(), 's3404-example-service-'));
    const proc = spawn(join(root, 'examples/node_modules/.bin/tsx'), ['--conditions=@s3404/source', 'signing-service/server.ts'], {
      cwd: join(root, 'examples'),
      env: { ...process.env, PORT: '0', S3404_STATE: dir },
    });
    try {
      let out = '';
      const started = await new Promise<{ url: string; code: string }>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`example did not start: ${out}`)), 30_000);
        proc.stdout.on('data', (d) => {
          out += d;
          const u = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          const c = /pairing code \(until [^)]*\): ([0-9A-Z-]{19})/.exec(out);
          if (u !== null && c !== null) {
            clearTimeout(timer);
            done({ url: u[1]!, code: c[1]! });
          }
        });
        proc.on('exit', (code) => fail(new Error(`example exited ${code}: ${out}`)));
      });
      const t = await new TestTerminal(started.url, 'tablette-editeur').init();
      expect((await t.pair(started.code)).status).toBe(201);
      const list = await t.request('GET', '/v1/bordereaux');
      expect(list.json.bordereaux).toHaveLength(2);
      const ctx = await t.request('POST', '/v1/contexts', { bordereauId: list.json.bordereaux[0].id, slot: 'insured' });
      expect(ctx.status, JSON.stringify(ctx.json)).toBe(201);
      expect(ctx.json.image).toEqual({ width: 1200, height: 480 });
      expect(ctx.json.limits.maxImageBytes).toBe(256 * 1024);
      expect(existsSync(join(dir, 'terminals.json'))).toBe(true);
    } finally {
      // Wait for the service to end before removing its state: it may still be writing its trace's lock
      // (a removal racing it failed ENOTEMPTY now and then).
      const ended = new Promise((done) => (proc.exitCode !== null || proc.signalCode !== null ? done(undefined) : proc.once('exit', done)));
      proc.kill('SIGTERM');
      await Promise.race([ended, new Promise((done) => setTimeout(done, 10_000).unref())]);
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });
});

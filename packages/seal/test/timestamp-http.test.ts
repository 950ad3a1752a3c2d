import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { isS3404Error, type TimeStamper } from '@s3404/core';
import { createDevelopmentTsa, createHttpTimeStamper, verifyTimeStampToken, type HttpTimeStamperOptions } from '@s3404/seal';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { pki, seededRandom, T0 } from './helpers.js';
import { startTsaServer, type TsaBehaviour, type TsaServer } from './support/tsa-server.js';

const DIGEST = new Uint8Array(createHash('sha256').update('lot SCOR 2026-03-20').digest());

let p: DevelopmentPki;
let server: TsaServer;

beforeAll(async () => {
  p = await pki();
  const tsa = await createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.tsa.privateKey, now: () => T0 });
  server = await startTsaServer(tsa.respond, { slowMs: 3000 });
});
afterAll(async () => {
  await server.close();
});

const stamper = (behaviour: TsaBehaviour, extra: Partial<HttpTimeStamperOptions> = {}): TimeStamper =>
  createHttpTimeStamper({ url: server.url(behaviour), random: seededRandom(42), timeoutMs: 5000, ...extra });

async function failure(promise: Promise<unknown>): Promise<{ code: string; kind: string; params: Record<string, unknown>; message: string }> {
  try {
    await promise;
  } catch (e) {
    if (!isS3404Error(e)) throw e;
    return { code: e.code, kind: e.kind, params: e.params as Record<string, unknown>, message: e.message };
  }
  throw new Error('expected a coded error');
}

describe('createHttpTimeStamper against a loopback TSA (SIG-3, AUD-2, RFC 3161 §3.4)', () => {
  it('gets a token that verifies, and names the TSA by its URL', async () => {
    const s = stamper('ok', { headers: { authorization: 'Bearer test', 'Content-Type': 'text/plain' } });
    expect(s.name).toBe(server.url('ok'));
    const token = await s.timestamp(DIGEST);
    const verdict = await verifyTimeStampToken(token, { digest: DIGEST, trust: [p.ca.certificate] });
    expect(verdict.ok && verdict.genTime.toISOString()).toBe(T0.toISOString());
    // The platform's fetch fits the option's type.
    const typed = createHttpTimeStamper({ url: server.url('ok'), fetch: globalThis.fetch });
    expect((await verifyTimeStampToken(await typed.timestamp(DIGEST), { digest: DIGEST, trust: [p.ca.certificate] })).ok).toBe(true);
  });

  it('PKIStatus rejection: ERR_TSA_REJECTED (verdict) with status and failInfo', async () => {
    const e = await failure(stamper('rejection').timestamp(DIGEST));
    expect(e).toMatchObject({ code: 'ERR_TSA_REJECTED', kind: 'verdict', params: { status: 'rejection', failInfo: 'badDataFormat' } });
    expect(e.message).toContain('statut rejection (badDataFormat)');
  });

  it('a token for another digest, a nonce not echoed, garbage, too large: ERR_TSA_RESPONSE_INVALID (verdict)', async () => {
    for (const [behaviour, en] of [
      ['wrong-digest', 'token issued for another digest'],
      ['wrong-nonce', 'the nonce of the request is not echoed'],
      ['garbage', 'not a DER TimeStampResp'],
      ['too-large', 'more than 65536 bytes'],
    ] as const) {
      const e = await failure(stamper(behaviour, { locale: 'en' }).timestamp(DIGEST));
      expect(e, behaviour).toMatchObject({ code: 'ERR_TSA_RESPONSE_INVALID', kind: 'verdict' });
      expect(e.message, behaviour).toContain(en);
    }
  });

  it('HTTP 500, a wrong content type, a timeout, an unreachable port: ERR_TSA_UNAVAILABLE (unavailable)', async () => {
    const e500 = await failure(stamper('http-500').timestamp(DIGEST));
    expect(e500).toMatchObject({ code: 'ERR_TSA_UNAVAILABLE', kind: 'unavailable' });
    expect(e500.message).toContain('statut HTTP 500, attendu 200');
    const html = await failure(stamper('wrong-type', { locale: 'en' }).timestamp(DIGEST));
    expect(html).toMatchObject({ code: 'ERR_TSA_UNAVAILABLE' });
    expect(html.message).toContain('content type "text/html", expected application/timestamp-reply');
    const started = Date.now();
    const slow = await failure(stamper('slow', { timeoutMs: 200, locale: 'en' }).timestamp(DIGEST));
    expect(slow).toMatchObject({ code: 'ERR_TSA_UNAVAILABLE' });
    expect(slow.message).toContain('no reply within 200 ms');
    expectWithinBound(Date.now() - started, 2000, 'a timeout of 200 ms', { clock: 'wall' });
    // A port nothing listens on.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const refused = await failure(createHttpTimeStamper({ url: `http://127.0.0.1:${port}/tsp`, locale: 'en' }).timestamp(DIGEST));
    expect(refused).toMatchObject({ code: 'ERR_TSA_UNAVAILABLE', kind: 'unavailable' });
    expect(refused.message).toContain('network error');
  });

  it('a custom fetch that ignores the abort signal still times out', async () => {
    const never = createHttpTimeStamper({ url: 'https://tsa.example.invalid/', timeoutMs: 50, fetch: () => new Promise(() => undefined) });
    expect(await failure(never.timestamp(DIGEST))).toMatchObject({ code: 'ERR_TSA_UNAVAILABLE' });
  });

  it('shows the URL without credentials or query, and refuses what is not http(s)', () => {
    expect(createHttpTimeStamper({ url: 'https://user:secret@tsa.example.fr/tsp?key=abc' }).name).toBe('https://tsa.example.fr/tsp');
    for (const url of ['ftp://tsa.example.fr/', 'file:///etc/passwd', 'tsa.example.fr', '']) {
      expect(() => createHttpTimeStamper({ url }), url).toThrow(TypeError);
    }
    expect(() => createHttpTimeStamper({ url: 'https://tsa.example.fr/', timeoutMs: 0 })).toThrow(TypeError);
    expect(() => createHttpTimeStamper({ url: 42 as unknown as string })).toThrow(TypeError);
  });

  it('checks its arguments: a 32-byte digest, SHA-256 only', async () => {
    const s = stamper('ok');
    await expect(s.timestamp(new Uint8Array(48))).rejects.toThrow(TypeError);
    await expect(s.timestamp(DIGEST, { hash: 'SHA-512' as 'SHA-256' })).rejects.toThrow(TypeError);
    expect(await s.timestamp(DIGEST, { hash: 'SHA-256' })).toBeInstanceOf(Uint8Array);
  });
});

import type { Browser } from 'playwright-core';
import { browserAvailable as available, browserRequired as required, bundleForBrowser, launchChromium, openBundlePage } from '@s3404/tooling/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, createVerifier } from '@s3404/seal';
import { CONTENT_HASH, T0, at, fixture, makePng, opensslCmsVerify, pki, sealInsured, withDir, write } from './helpers.js';

/**
 * `@s3404/seal` runs in a browser with Web Crypto only. The root entry
 * is bundled for the browser and run in headless Chromium: a record sealed
 * there verifies in Node and with OpenSSL, and a record sealed in Node
 * verifies there. The bundle carries neither pdf-lib nor @peculiar/x509.
 */
const ENTRY = `
import * as seal from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const out = (u) => { let s = ''; for (const x of u) s += String.fromCharCode(x); return btoa(s); };
globalThis.sealInBrowser = async ({ key, cert, ca, png, bordereauId, now, nodeRecord, nodeBordereauId }) => {
  const clock = () => new Date(now);
  const sealer = await seal.createSealer({ key: b64(key), certificate: b64(cert), contexts: new seal.MemoryContextRegistry({ now: clock }),
    authorizer: seal.createRoleAuthorizer({ staff: [] }), now: clock });
  const ctx = await sealer.openContext({ scope: { kind: 'bordereau', bordereauId, contentHash: '${CONTENT_HASH}' }, role: 'insured', signer: { id: 'p', name: 'Élise Brûlé' }, terminalId: 'navigateur' });
  const sealed = await sealer.seal(seal.createCapture(ctx, { image: b64(png), capturedAt: new Date(Date.parse(now) + 2000),
    strokes: [{ pointerType: 'pen', points: [[1, 1, 0, 0.5], [20, 10, 16, 0.7]] }] }));
  const verifier = seal.createVerifier({ trustAnchors: [b64(ca)], now: () => new Date(Date.parse(now) + 60000) });
  const own = await verifier.verify(sealed.bytes, { expect: { bordereauId } });
  const fromNode = await verifier.verify(b64(nodeRecord));
  // Crypto-shredding with the browser's Web Crypto (SIG-6): deposit, then consume by handle once.
  const store = new MemoryConsumptionStore();
  const consumer = seal.createConsumer({ store, verifier, now: clock, keyHolder: null });
  const deposit = await consumer.deposit(sealed);
  const envelope = (await store.getPending(sealed.recordId)).bytes;
  const second = await consumer.deposit({ bytes: b64(nodeRecord) });
  const used = await consumer.consume({ handle: second.handle }, { target: { bordereauId: nodeBordereauId, contentHash: '${CONTENT_HASH}' }, requestId: 'browser' });
  return { bytes: out(sealed.bytes), display: ctx.display.lines, own: own.ok, fromNode: fromNode.ok, tampered: (await verifier.verify(b64(nodeRecord).subarray(1))).code,
    handle: deposit.handle, envelope: out(envelope), expiresAt: deposit.expiresAt, used: used.status };
};
`;

describe.runIf(available || required)('X-1 seals and verifies in a browser (headless Chromium)', () => {
  let browser: Browser;
  let bundle: string;

  beforeAll(async () => {
    bundle = await bundleForBrowser(ENTRY, new URL('.', import.meta.url).pathname);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('bundles without Node built-ins, pdf-lib or the x509 DI container', () => {
    expect(bundle).not.toMatch(/require\(["']node:|from ["']node:/);
    expect(bundle).not.toContain('tsyringe');
    expect(bundle).not.toContain('PDFDocument');
  });

  it('a record sealed in the browser verifies in Node and OpenSSL, and the reverse', async () => {
    const p = await pki();
    const f = await fixture();
    const nodeRecord = await sealInsured(f);
    const { page, errors } = await openBundlePage(browser, bundle);
    const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
    const args = {
      key: b64(p.seal.privateKey),
      cert: b64(p.seal.certificate),
      ca: b64(p.ca.certificate),
      png: b64(makePng()),
      bordereauId: f.bordereauId,
      now: T0.toISOString(),
      nodeRecord: b64(nodeRecord.bytes),
      nodeBordereauId: (nodeRecord.record.scope as { bordereauId: string }).bordereauId,
    };
    const res = await page.evaluate((a) => (globalThis as unknown as { sealInBrowser: (x: typeof a) => Promise<any> }).sealInBrowser(a), args);
    expect(errors).toEqual([]);
    expect(res.own).toBe(true);
    expect(res.fromNode).toBe(true);
    expect(res.tampered).toBe('ERR_SEAL_MALFORMED');
    expect(res.display[0]).toBe('Signature du 20/03/2026 11:00:00');
    const bytes = new Uint8Array(Buffer.from(res.bytes, 'base64'));
    const verifier = createVerifier({ trustAnchors: [p.ca.certificate], now: () => at(120) });
    expect(await verifier.verify(bytes, { expect: { bordereauId: f.bordereauId } })).toMatchObject({ ok: true, record: { signer: { name: 'Élise Brûlé' } } });
    await withDir(async (dir) => {
      write(dir, { 'ca.pem': p.files['ca.pem'], 'b.p7m': bytes });
      expect(opensslCmsVerify(dir, 'b.p7m').stderr).toContain('Verification successful');
    });
    // The browser encrypted a pending record (and consumed another by its handle); Node opens the
    // browser's envelope with the browser's handle: one format, the same AES-256-GCM everywhere.
    expect(res.used).toBe('consumed');
    const envelope = new Uint8Array(Buffer.from(res.envelope, 'base64'));
    expect(Buffer.from(envelope.subarray(0, 4)).toString()).toBe('S3PE');
    const { MemoryConsumptionStore } = await import('@s3404/seal/memory');
    const store = new MemoryConsumptionStore();
    const v = await verifier.verify(bytes);
    if (!v.ok) throw new Error(v.code);
    await store.putPending({ recordId: v.recordId, digest: v.digest, bytes: envelope, expiresAt: res.expiresAt });
    const consumer = createConsumer({ store, trustAnchors: [p.ca.certificate], now: () => at(120), keyHolder: null });
    expect(
      await consumer.consume({ handle: res.handle }, { target: { bordereauId: f.bordereauId, contentHash: f.contentHash }, requestId: 'node' }),
    ).toMatchObject({ status: 'consumed' });
  });
});

import type { Browser } from 'playwright-core';
import { browserAvailable as available, browserRequired as required, bundleForBrowser, launchChromium, openBundlePage } from '@s3404/tooling/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPj, packLot } from '@s3404/scor';
import { lotFixture } from './fixtures/lot.js';
import { scanPdf } from './fixtures/pdf-writer.js';

/**
 * the core of `@s3404/scor` runs in a browser with Web APIs only. Its
 * root entry and `/memory` are bundled for the browser and run in headless
 * Chromium: a PJ check gives the same report as in Node, a lot packed there
 * has the same bytes (and SHA-256, through Web Crypto) as in Node for the
 * same clock, and its lifecycle runs on the memory store.
 */
const ENTRY = `
import * as scor from '@s3404/scor';
import { MemoryLotStore } from '@s3404/scor/memory';
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
globalThis.scorInBrowser = async ({ scan, description, files, now }) => {
  const clock = () => new Date(now);
  const report = scor.checkPj(b64(scan), { colour: 'grey' });
  const lot = await scor.packLot(description, { files: new Map(Object.entries(files).map(([k, v]) => [k, b64(v)])), now: clock });
  const verified = await scor.verifyLot(lot.container.bytes);
  const sent = [];
  const lots = scor.createLotManager({ store: new MemoryLotStore(), transport: { id: 'b', send: async (t) => { sent.push(t.bytes.length); return { reference: 'r' }; } }, now: clock });
  const record = await lots.register(lot, { b2Arl: { kind: 'b2', finess: lot.finess, b2LotNumber: lot.b2LotNumber, positive: true, receivedAt: now } });
  return { report, sha256: lot.container.sha256, lotId: lot.lotId, valid: verified.ok, state: record.state, sent };
};
`;

describe.runIf(available || required)('X-1 checks PJ and packs lots in a browser (headless Chromium)', () => {
  let browser: Browser;
  let bundle: string;

  beforeAll(async () => {
    bundle = await bundleForBrowser(ENTRY, new URL('.', import.meta.url).pathname);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('bundles without Node built-ins, the PDF engine or the seal package', () => {
    expect(bundle).not.toMatch(/require\(["']node:|from ["']node:/);
    expect(bundle).not.toContain('PDFDocument');
    expect(bundle).not.toContain('pkijs');
  });

  it('gives the same report and the same lot bytes as Node', async () => {
    const fx = await lotFixture(2);
    const scan = scanPdf([{ dpi: 200 }, { dpi: 150, colour: 'rgb', via: 'form' }]);
    const now = '2026-03-23T08:00:00.000Z';
    const nodeReport = checkPj(scan, { colour: 'grey' });
    const nodeLot = await packLot(fx.description, { files: fx.files, now: () => new Date(now) });
    const { page, errors } = await openBundlePage(browser, bundle);
    const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
    const args = { scan: b64(scan), description: fx.description, files: Object.fromEntries([...fx.files].map(([k, v]) => [k, b64(v)])), now };
    const res = await page.evaluate((a) => (globalThis as unknown as { scorInBrowser: (x: typeof a) => Promise<any> }).scorInBrowser(a), args);
    expect(errors).toEqual([]);
    expect(res.report).toEqual(JSON.parse(JSON.stringify(nodeReport)));
    expect(res.report.issues.map((i: { code: string }) => i.code)).toEqual(['ERR_PJ_RESOLUTION_TOO_LOW', 'ERR_PJ_COLOUR_NOT_ALLOWED']);
    expect(res).toMatchObject({ sha256: nodeLot.container.sha256, lotId: nodeLot.lotId, valid: true, state: 'sent', sent: [nodeLot.container.bytes.length] });
    await page.close();
  });
});

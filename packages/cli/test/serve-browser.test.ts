import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSignatureSlots } from '@s3404/form/pdf';
import { browserAvailable, browserRequired, launchChromium } from '@s3404/tooling/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Served } from './serve-kit.js';

/**
 * The real tablet page of `s3404 serve` in headless Chromium (SIG-1…SIG-7,
 * the page served at `/` pairs the tablet with a code (its ECDSA key
 * made by the browser's Web Crypto, non-extractable, kept in IndexedDB),
 * lists the bordereaux, opens a context, mounts `<s3404-signature-pad>`; a
 * signature drawn with the mouse and confirmed on the pad is sealed,
 * consumed and placed on the bordereau by the service.
 */
type Browser = Awaited<ReturnType<typeof launchChromium>>;
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H';

describe.runIf(browserAvailable || browserRequired)('s3404 serve: the tablet page in headless Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 's3404-serve-browser-'));
  const state = join(work, 'state');
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    [served, browser] = await Promise.all([startServe(['--state', state, '--count', '2']), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    expect(await served?.stop()).toBe(0);
    rmSync(work, { recursive: true, force: true });
  });

  it('pairs, signs with the mouse, confirms: the service sealed, consumed and placed the signature', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'fr-FR' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${served.url}/`);
    await page.locator('#terminal-id').fill('tablette-chromium');
    await page.locator('#pairing-code').fill(served.codes[0]!);
    await page.locator('#pair').click();
    const slot = page.locator(`button[data-bordereau="${ID}"][data-slot="insured"]`);
    await slot.waitFor({ state: 'visible', timeout: 15_000 });
    await slot.click();

    // The pad shows the context the service issued: the bordereau identifier is on screen.
    const pad = page.locator('s3404-signature-pad');
    await pad.waitFor({ state: 'visible' });
    await expect.poll(async () => pad.evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain(ID);
    const canvas = page.locator('s3404-signature-pad canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    expect(box.width).toBeGreaterThan(100);
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.6);
    await page.mouse.down();
    for (let i = 1; i <= 40; i++)
      await page.mouse.move(box.x + box.width * (0.1 + i * 0.02), box.y + box.height * (0.6 - 0.25 * Math.sin(i / 5)), { steps: 2 });
    await page.mouse.up();
    await page.locator('s3404-signature-pad button[data-action="confirm"]').click();

    await page.locator('#done').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#done-text').textContent()).toContain(ID);
    expect(await page.locator('#pdf-link').getAttribute('href')).toMatch(/^blob:/);
    expect(await page.locator('#error').textContent()).toBe('');
    expect(errors).toEqual([]);

    // On the service's side: the bordereau's PDF now has the insured slot signed.
    const pdf = new Uint8Array(readFileSync(join(state, 'bordereaux', `${ID}.pdf`)));
    const slots = await readSignatureSlots(pdf);
    expect(slots.slots.find((s) => s.id === 'insured')!.signed).toBe(true);
    const trace = readFileSync(join(state, 'audit', 'trace.jsonl'), 'utf8');
    for (const action of ['signature.context-shown', 'signature.sealed', 'signature.consumed']) expect(trace).toContain(`"${action}"`);
    expect(trace).toContain('"tablette-chromium"');

    // The key pair stayed in the browser (IndexedDB, non-extractable): after a reload the tablet is still paired.
    await page.reload();
    await page.locator(`button[data-bordereau="${ID}"][data-slot="director"]`).waitFor({ state: 'visible', timeout: 15_000 });
    const extractable = await page.evaluate(
      () =>
        new Promise<boolean | null>((done) => {
          const open = indexedDB.open('s3404-tablet', 1);
          open.onsuccess = () => {
            const get = open.result.transaction('terminal').objectStore('terminal').get('current');
            get.onsuccess = () => done((get.result as { keys: CryptoKeyPair } | undefined)?.keys.privateKey.extractable ?? null);
          };
        }),
    );
    expect(extractable).toBe(false);
    expect(await page.locator(`button[data-bordereau="${ID}"][data-slot="insured"]`).isDisabled()).toBe(true);
    await context.close();
  });
});

import type { Browser } from 'playwright-core';
import { CHROMIUM, browserAvailable as available, browserRequired as required, bundleForBrowser, launchChromium } from '@s3404/tooling/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, NOW, example, pdfText, qpdfCheck } from './helpers.js';

/**
 * the core runs in a browser. The public entry points are bundled for
 * the browser (no Node built-ins available) and run in headless Chromium:
 * validation, identifier generation and PDF rendering — and the PDF made in
 * the browser is byte-identical to the one made in Node with the same clock.
 *
 * Needs Debian's chromium (/usr/bin/chromium). CI installs it and sets
 * S3404_REQUIRE_BROWSER=1 so that a missing browser fails the run.
 */
const ENTRY = `
import { validateBordereau, createBordereauId, checkBordereauId } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
globalThis.s3404 = async (input, nowIso) => {
  const v = validateBordereau(input, { locale: 'en' });
  const bad = { ...input, insured: { ...input.insured, nirKey: '00' } };
  const invalid = validateBordereau(bad);
  const id = createBordereauId();
  const { bytes, pageCount } = await renderBordereauPdf(input, { now: () => new Date(nowIso) });
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return { valid: v.ok, firstIssue: invalid.ok ? null : invalid.issues[0], idValid: checkBordereauId(id).ok, pageCount, pdf: btoa(bin) };
};
`;

describe.runIf(available || required)('X-1 runs in a browser (headless Chromium)', () => {
  let browser: Browser;
  let bundle: string;

  beforeAll(async () => {
    bundle = await bundleForBrowser(ENTRY, new URL('.', import.meta.url).pathname);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('bundles for the browser without any Node built-in', () => {
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(bundle).not.toMatch(/require\(["']node:|from ["']node:/);
  });

  it('validates, creates identifiers and renders the same PDF bytes as Node', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><meta charset="utf-8"><title>s3404</title>');
    await page.addScriptTag({ content: bundle });
    const data = example('mco-chirurgie-pth');
    const out = await page.evaluate(([input, now]) => (globalThis as unknown as { s3404: (i: unknown, n: string) => Promise<any> }).s3404(input, now), [
      data,
      NOW.toISOString(),
    ] as const);
    expect(errors).toEqual([]);
    expect(out.valid).toBe(true);
    expect(out.idValid).toBe(true);
    expect(out.firstIssue.code).toBe('ERR_NIR_KEY');
    const bytes = new Uint8Array(Buffer.from(out.pdf, 'base64'));
    expect(qpdfCheck(bytes).ok).toBe(true);
    expect(pdfText(bytes).join('\n')).toContain('Lefèvre');
    const node = await renderBordereauPdf(data, { now: CLOCK });
    expect(Buffer.from(bytes).equals(Buffer.from(node.bytes))).toBe(true);
    await page.close();
  });
});

if (!available && !required) {
  describe('X-1 runs in a browser', () => {
    it.skip(`skipped: no Chromium at ${CHROMIUM} (CI installs it and requires this test)`, () => {});
  });
}

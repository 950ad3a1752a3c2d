import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureMessage } from '@s3404/core/wire';
import { createVerifier, readCaptureMessage, toContextMessage } from '@s3404/seal';
import { browserAvailable as available, browserRequired as required, bundleForBrowser, launchChromium, openBundlePage } from '@s3404/tooling/test-kit';
import type { Browser, BrowserContextOptions, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { at, BORDEREAU_ID, CONTENT_HASH, contextMessage, sealerFixture, T0 } from './helpers.js';
import { canvasRect, drawStroke, PAGE_ENTRY, signaturePath, type ImagePoint } from './page.js';

/**
 * X-1, SIG-1, SIG-2: `<s3404-signature-pad>` in headless Chromium, driven
 * through the browser's own input pipeline (CDP `Input.dispatchMouseEvent`
 * with `pointerType: 'pen'`, pressure and tilt; `Input.dispatchTouchEvent`;
 * the mouse): no point lost through resizing, rotation, scrolling or device
 * pixel ratios; the capture sealed by `@s3404/seal`; the context legible
 * (tesseract reads it back) and impossible to hide with the page's CSS; an
 * axe-core scan.
 */
const IMAGE = { width: 1000, height: 400 };
const TESSERACT = '/usr/bin/tesseract';
const require = createRequire(import.meta.url);

interface PadState {
  strokes: { pointerType: string; points: { x: number; y: number; t: number; pressure: number; tiltX: number; tiltY: number; twist: number }[] }[];
  isEmpty: boolean;
  canvas: { width: number; height: number; cssWidth: number; cssHeight: number };
  dpr: number;
  error: string;
  events: { type: string; detail: any }[];
}

describe.runIf(available || required)('<s3404-signature-pad> in headless Chromium (SIG-1, SIG-2, X-1)', () => {
  let browser: Browser;
  let bundle: string;
  const pages: Page[] = [];

  beforeAll(async () => {
    bundle = await bundleForBrowser(PAGE_ENTRY, new URL('.', import.meta.url).pathname);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(options: BrowserContextOptions = {}): Promise<{ page: Page; cdp: CDPSession; errors: string[] }> {
    const { page, errors } = await openBundlePage(browser, bundle, { viewport: { width: 1280, height: 800 }, ...options });
    pages.push(page);
    return { page, cdp: await page.context().newCDPSession(page), errors };
  }
  const mount = (page: Page, args: { message?: unknown; now?: Date; lang?: string; css?: string; before?: string }) =>
    page.evaluate((a) => (globalThis as any).mount(a), { ...args, now: (args.now ?? at(5)).toISOString() });
  const state = (page: Page): Promise<PadState> => page.evaluate(() => (globalThis as any).state());
  const frames = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const capture = (page: Page, now?: Date): Promise<{ ok: boolean; code?: string; message?: any }> =>
    page.evaluate((n) => (globalThis as any).capture(n), now?.toISOString());
  /** Whether the screen canvas has ink within 2 image px of an image point. */
  const inked = (page: Page, points: readonly ImagePoint[]): Promise<boolean[]> =>
    page.evaluate(
      ({ points, image }) => {
        const c = (globalThis as any).pad.shadowRoot.querySelector('canvas') as HTMLCanvasElement;
        const ctx = c.getContext('2d')!;
        return points.map((p) => {
          const sx = c.width / image.width;
          const sy = c.height / image.height;
          const x = Math.round((p.x - 2) * sx);
          const y = Math.round((p.y - 2) * sy);
          const d = ctx.getImageData(Math.max(0, x), Math.max(0, y), Math.max(1, Math.round(4 * sx)), Math.max(1, Math.round(4 * sy))).data;
          for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) return true;
          return false;
        });
      },
      { points, image: IMAGE },
    );

  /** Every stored point is where the test put it, in image pixels. */
  function expectPoints(stored: PadState['strokes'][number], sent: readonly ImagePoint[], tolerance: number): void {
    expect(stored.points).toHaveLength(sent.length);
    stored.points.forEach((p, i) => {
      expect(Math.abs(p.x - sent[i]!.x)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(p.y - sent[i]!.y)).toBeLessThanOrEqual(tolerance);
    });
  }

  it('bundles for the browser with @s3404/core only: no Node built-in, no zod, no pdf engine', () => {
    expect(bundle).not.toMatch(/require\(["']node:|from ["']node:/);
    expect(bundle).not.toContain('ZodError');
    expect(bundle).not.toContain('PDFDocument');
  });

  it('captures a pen (pressure, tilt, twist), a finger and a mouse losslessly, and ignores the palm once a pen is used', async () => {
    const { page, cdp, errors } = await open({ hasTouch: true });
    await mount(page, { message: contextMessage() });
    const touch = signaturePath(30, IMAGE, 0.5);
    const mouse = signaturePath(25, IMAGE, 1);
    const pen = signaturePath(60, IMAGE, 2);
    await drawStroke(page, cdp, 'touch', touch, IMAGE);
    await drawStroke(page, cdp, 'mouse', mouse, IMAGE);
    await drawStroke(page, cdp, 'pen', pen, IMAGE);
    await drawStroke(page, cdp, 'touch', signaturePath(12, IMAGE, 3), IMAGE); // the palm, after the pen
    const s = await state(page);
    expect(errors).toEqual([]);
    expect(s.strokes.map((x) => [x.pointerType, x.points.length])).toEqual([
      ['touch', 30],
      ['mouse', 25],
      ['pen', 60],
    ]);
    expectPoints(s.strokes[0]!, touch, 1);
    expectPoints(s.strokes[1]!, mouse, 0.05);
    expectPoints(s.strokes[2]!, pen, 0.05);
    s.strokes[2]!.points.forEach((p, i) => {
      expect(p.pressure).toBeCloseTo(pen[i]!.force, 5);
      expect([p.tiltX, p.tiltY, p.twist]).toEqual([pen[i]!.tiltX, pen[i]!.tiltY, pen[i]!.twist]);
    });
    // Time is the events' monotonic timeStamp (ms since the page's origin), never Date.now(), never decreasing.
    const times = s.strokes.flatMap((x) => x.points.map((p) => p.t));
    expect(times.every((t, i) => t > 0 && t < 1e7 && (i === 0 || t >= times[i - 1]!))).toBe(true);
    const changes = s.events.filter((e) => e.type === 's3404-change');
    expect(changes.map((e) => e.detail.pointCount)).toEqual([30, 55, 115]);
    expect(await inked(page, [touch[5]!, mouse[10]!, pen[30]!])).toEqual([true, true, true]);
  });

  it('loses no point when the window is resized, scrolled and rotated mid-signature', async () => {
    const { page, cdp } = await open();
    await mount(page, { message: contextMessage(), css: 'body { padding-bottom: 900px; }' });
    const path = signaturePath(90, IMAGE, 0.3);
    const rects: { width: number }[] = [];
    await drawStroke(page, cdp, 'pen', path, IMAGE, async (i) => {
      if (i === 30) await page.setViewportSize({ width: 900, height: 700 });
      else if (i === 45) await page.evaluate(() => scrollBy(0, 40));
      else if (i === 60) {
        await cdp.send('Emulation.setDeviceMetricsOverride', {
          width: 760,
          height: 1000,
          deviceScaleFactor: 1,
          mobile: true,
          screenOrientation: { type: 'portraitPrimary', angle: 0 },
        });
      } else return false;
      await frames(page);
      rects.push(await canvasRect(page));
      return true;
    });
    const s = await state(page);
    expect(await page.evaluate(() => [screen.orientation.type, scrollY])).toEqual(['portrait-primary', 40]);
    expect(new Set(rects.map((r) => Math.round(r.width))).size).toBeGreaterThanOrEqual(2);
    expect(s.strokes).toHaveLength(1);
    expectPoints(s.strokes[0]!, path, 0.1);
    // The backing store follows the new size, and the whole stroke was drawn again from the stored points.
    expect(s.canvas.width).toBe(Math.round(s.canvas.cssWidth * s.dpr));
    expect(await inked(page, [path[5]!, path[40]!, path[55]!, path[85]!])).toEqual([true, true, true, true]);
  });

  it('stores the same strokes and draws the same PNG at device pixel ratios 1, 2 and 3', async () => {
    const results: { xy: number[][]; png: string; canvas: PadState['canvas']; dpr: number }[] = [];
    for (const dpr of [1, 2, 3]) {
      const { page, cdp } = await open({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: dpr });
      await mount(page, { message: contextMessage() });
      await drawStroke(page, cdp, 'pen', signaturePath(40, IMAGE, 0.7), IMAGE);
      await drawStroke(page, cdp, 'mouse', signaturePath(20, IMAGE, 1.9), IMAGE);
      const s = await state(page);
      const c = await capture(page);
      expect(c.ok).toBe(true);
      const message = c.message as CaptureMessage;
      results.push({
        xy: message.strokes!.flatMap((st) => st.points.map((p) => [p[0], p[1], p[3] ?? -1])),
        png: message.image.data,
        canvas: s.canvas,
        dpr: s.dpr,
      });
      await page.close();
    }
    expect(results.map((r) => r.dpr)).toEqual([1, 2, 3]);
    for (const r of results) expect(Math.abs(r.canvas.width - r.canvas.cssWidth * r.dpr)).toBeLessThanOrEqual(1);
    expect(results[0]!.xy).toHaveLength(60);
    expect(results[1]!.xy).toEqual(results[0]!.xy);
    expect(results[2]!.xy).toEqual(results[0]!.xy);
    expect(results[1]!.png).toBe(results[0]!.png);
    expect(results[2]!.png).toBe(results[0]!.png);
  });

  it('sends a capture @s3404/seal reads, seals and verifies; the same capture again is refused', async () => {
    const { pki, clock, sealer } = await sealerFixture();
    const ctx = await sealer.openContext({
      scope: { kind: 'bordereau', bordereauId: BORDEREAU_ID, contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'patient-1', name: 'Élise Brûlé' },
      terminalId: 'tablette-3',
    });
    const { page, cdp } = await open();
    await mount(page, { message: toContextMessage(ctx), now: at(3) });
    await drawStroke(page, cdp, 'pen', signaturePath(50, IMAGE, 0.1), IMAGE);
    await drawStroke(page, cdp, 'mouse', signaturePath(30, IMAGE, 2.2), IMAGE);
    // The signer presses the pad's own « Valider ».
    const button = await page.evaluate(() => (globalThis as any).rectOf('[data-action="confirm"]'));
    await page.mouse.click(button.left + button.width / 2, button.top + button.height / 2);
    await page.waitForFunction(() => (globalThis as any).events.some((e: any) => e.type === 's3404-capture'));
    const s = await state(page);
    const message = s.events.find((e) => e.type === 's3404-capture')!.detail as CaptureMessage;
    expect(message.capturedAt).toBe(at(3).toISOString());
    expect(message.context).toEqual(toContextMessage(ctx).context);
    const inkml = await page.evaluate(() => {
      const doc = new DOMParser().parseFromString((globalThis as any).pad.toInkML(), 'application/xml');
      return { errors: doc.getElementsByTagName('parsererror').length, traces: doc.getElementsByTagNameNS('http://www.w3.org/2003/InkML', 'trace').length };
    });
    expect(inkml).toEqual({ errors: 0, traces: 2 });
    // The server's side.
    clock.now = at(4);
    const received = JSON.parse(JSON.stringify(message));
    const sealed = await sealer.seal(readCaptureMessage(received, { terminalId: 'tablette-3' }));
    const verdict = await createVerifier({ trustAnchors: [pki.ca.certificate], now: () => at(60) }).verify(sealed.bytes, {
      expect: { bordereauId: BORDEREAU_ID },
    });
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.record.strokes).toEqual(message.strokes);
    expect(verdict.record.strokes!.reduce((n, st) => n + st.points.length, 0)).toBe(80);
    expect(verdict.record.image).toMatchObject({ width: 1000, height: 400, data: message.image.data });
    await expect(sealer.seal(readCaptureMessage(received, { terminalId: 'tablette-3' }))).rejects.toMatchObject({ code: 'ERR_CONTEXT_UNKNOWN' });
    // Valider is off until something changes: no double submission.
    expect(await page.evaluate(() => (globalThis as any).pad.shadowRoot.querySelector('[data-action="confirm"]').disabled)).toBe(true);
  });

  describe('the page cannot hide the context (SIG-1)', () => {
    const overPanel = (extra: string) =>
      `<div id="veil" style="position: fixed; left: 0; top: 0; width: 100vw; height: var(--panel-bottom); z-index: 10; ${extra}"></div>`;
    // Each way of hiding, the pen reaching the pad or not, and the reason the pad gives (its own check that caught it).
    const cases: { name: string; css?: string; html?: string; reaches: boolean; reason: string }[] = [
      { name: 'opacity: 0', css: 's3404-signature-pad { opacity: 0; }', reaches: true, reason: 'masqué par le style de la page' },
      { name: 'opacity: 0.4', css: 's3404-signature-pad { opacity: 0.4; }', reaches: true, reason: 'rendu transparent par la page' },
      { name: 'visibility: hidden', css: 's3404-signature-pad { visibility: hidden; }', reaches: false, reason: 'masqué par le style de la page' },
      { name: 'display: none', css: 's3404-signature-pad { display: none; }', reaches: false, reason: 'masqué par le style de la page' },
      {
        name: 'transform: scale(0.1)',
        css: 's3404-signature-pad { display: block; transform: scale(0.1); transform-origin: 0 0; }',
        reaches: true,
        reason: 'texte réduit à 2.2 px',
      },
      { name: 'zoom: 0.4', css: 's3404-signature-pad { zoom: 0.4; }', reaches: true, reason: 'texte réduit à ' },
      { name: 'filter: blur', css: 'body { filter: blur(3px); }', reaches: true, reason: 'filtre appliqué par la page' },
      {
        name: 'clip-path over the panel',
        css: 's3404-signature-pad { display: block; clip-path: inset(30% 0 0 0); }',
        reaches: true,
        reason: 'découpé par la page',
      },
      { name: 'pushed off screen', css: 's3404-signature-pad { display: block; position: relative; top: -150px; }', reaches: true, reason: "hors de l'écran" },
      { name: 'a covering overlay', html: overPanel('background: #fff;'), reaches: true, reason: 'recouvert par un autre élément' },
      {
        name: 'an overlay that lets pointer events through',
        html: overPanel('background: rgba(255, 255, 255, 0.97); pointer-events: none;'),
        reaches: true,
        reason: 'recouvert ou déformé (IntersectionObserver)',
      },
    ];

    let shared: { page: Page; cdp: CDPSession } | undefined;

    it.each(cases)('$name: pen-down and capture refused with ERR_CAPTURE_DISPLAY_HIDDEN', async ({ css, html, reaches, reason }) => {
      shared ??= await open();
      const { page, cdp } = shared;
      await mount(page, { message: contextMessage() });
      await drawStroke(page, cdp, 'mouse', signaturePath(8, IMAGE, 0.4), IMAGE);
      const panelBottom = await page.evaluate(() => {
        const r = (globalThis as any).rectOf('.context');
        return r.top + r.height;
      });
      await page.evaluate(
        ({ css, html, panelBottom }) => {
          document.documentElement.style.setProperty('--panel-bottom', `${panelBottom}px`);
          if (css !== undefined) (globalThis as any).setCss(css);
          if (html !== undefined) (globalThis as any).addHtml(html);
        },
        { css, html, panelBottom },
      );
      await frames(page);
      await page.waitForTimeout(150); // IntersectionObserver v2 reports after its 100 ms delay
      await drawStroke(page, cdp, 'pen', signaturePath(6, IMAGE, 1.3), IMAGE);
      const s = await state(page);
      expect(s.strokes).toHaveLength(1);
      // Where the pen reached the pad, the pen-down was refused and reported.
      expect(s.events.filter((x) => x.type === 's3404-error').map((x) => x.detail.code)).toEqual(reaches ? ['ERR_CAPTURE_DISPLAY_HIDDEN'] : []);
      const c = await capture(page);
      expect(c).toMatchObject({ ok: false, code: 'ERR_CAPTURE_DISPLAY_HIDDEN' });
      expect((await state(page)).error).toContain(`(${reason}`);
    });

    it('shows the refusal of a pen-down on the pad and sends it as s3404-error', async () => {
      const { page, cdp } = await open();
      await mount(page, { message: contextMessage(), css: 's3404-signature-pad { opacity: 0.2; }' });
      await drawStroke(page, cdp, 'pen', signaturePath(6, IMAGE, 1.3), IMAGE);
      const s = await state(page);
      expect(s.strokes).toHaveLength(0);
      expect(s.events.map((e) => [e.type, e.detail.code])).toEqual([['s3404-error', 'ERR_CAPTURE_DISPLAY_HIDDEN']]);
      expect(s.error).toContain("n'est pas lisible à l'écran (rendu transparent par la page)");
    });

    it("CSS aimed inside the pad, or inherited from the page, cannot reach the panel's text: the capture goes through", async () => {
      const { page, cdp } = await open();
      const css = [
        's3404-signature-pad .context, s3404-signature-pad .row, s3404-signature-pad::part(context) { display: none !important; }',
        '* { color: #fff !important; font-size: 1px !important; -webkit-text-fill-color: transparent !important; -webkit-text-security: disc !important; }',
        'html { font-size: 2px !important; }',
      ].join('\n');
      await mount(page, { message: contextMessage(), css });
      await drawStroke(page, cdp, 'pen', signaturePath(10, IMAGE, 0.9), IMAGE);
      const s = await state(page);
      expect(s.strokes).toHaveLength(1);
      const shown = await page.evaluate(() => {
        const row = (globalThis as any).pad.shadowRoot.querySelector('.row[data-key="timestamp"]');
        const cs = getComputedStyle(row);
        return { text: row.textContent, size: cs.fontSize, color: cs.color, fill: cs.webkitTextFillColor };
      });
      expect(shown).toEqual({ text: 'Horodatage : 20/03/2026 11:00:00', size: '22px', color: 'rgb(17, 17, 17)', fill: 'rgb(17, 17, 17)' });
      expect((await capture(page)).ok).toBe(true);
    });
  });

  it('reads back the bordereau identifier and the timestamp from a screenshot (tesseract)', async (test) => {
    if (!existsSync(TESSERACT)) {
      if (required) throw new Error(`${TESSERACT} is missing (apt-get install tesseract-ocr tesseract-ocr-fra)`);
      test.skip();
    }
    const { page } = await open({ deviceScaleFactor: 2 });
    await mount(page, { message: contextMessage() });
    const shot = await page.locator('s3404-signature-pad').screenshot();
    const dir = mkdtempSync(join(tmpdir(), 's3404-capture-'));
    try {
      writeFileSync(join(dir, 'pad.png'), shot);
      const ocr = spawnSync(TESSERACT, [join(dir, 'pad.png'), 'stdout', '-l', 'fra'], { encoding: 'utf8' });
      expect(ocr.status).toBe(0);
      // The identifier's alphabet has no O, I or L (Crockford base 32): OCR's look-alikes map back.
      const normal = (s: string) =>
        s
          .toUpperCase()
          .replace(/O/g, '0')
          .replace(/[IL]/g, '1')
          .replace(/[^0-9A-Z]/g, '');
      expect(normal(ocr.stdout)).toContain(normal(BORDEREAU_ID));
      expect(ocr.stdout.replace(/\s+/g, ' ')).toMatch(/Horodatage ?: ?20\/03\/2026 11:00:00/);
      expect(ocr.stdout).toContain('Jeanne Martin');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes an axe-core scan with no serious or critical violation, in French and in English, error shown', async () => {
    const { page, cdp } = await open();
    await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const found: string[] = [];
    for (const lang of ['fr', 'en']) {
      await mount(page, { message: contextMessage({ context: { mandate: { reference: 'MDT-2026-001' } } }), lang });
      await drawStroke(page, cdp, 'pen', signaturePath(20, IMAGE, 0.2), IMAGE);
      await capture(page, at(10_000)); // expired: the error is on screen
      const result = await page.evaluate(() => (globalThis as any).axe.run(document, { resultTypes: ['violations'] }));
      found.push(...result.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical').map((v: any) => `${lang}: ${v.id} ${v.help}`));
      // The scan reached inside the shadow root (the contrast of the panel's text was checked).
      expect(result.passes.some((p: any) => p.id === 'color-contrast')).toBe(true);
      expect((await state(page)).error).not.toBe('');
    }
    expect(found).toEqual([]);
  });

  it('refuses bad input legibly: no context, invalid context, nothing signed, too many points, expired', async () => {
    const { page, cdp } = await open();
    // No context: the pen is refused.
    await mount(page, {});
    await drawStroke(page, cdp, 'pen', signaturePath(5, IMAGE), IMAGE);
    let s = await state(page);
    expect(s.strokes).toEqual([]);
    expect(s.events.map((e) => e.detail.code)).toEqual(['ERR_CAPTURE_NO_CONTEXT']);
    expect(await capture(page)).toMatchObject({ ok: false, code: 'ERR_CAPTURE_NO_CONTEXT' });
    // A context message that is not one.
    await mount(page, { message: { type: 's3404.capture-context', version: '1', context: {} } });
    s = await state(page);
    expect(s.events.map((e) => e.detail.code)).toEqual(['ERR_CAPTURE_CONTEXT_INVALID']);
    expect(s.error).toMatch(/^Contexte de signature illisible/);
    // Nothing signed.
    await mount(page, { message: contextMessage() });
    expect(await capture(page)).toMatchObject({ ok: false, code: 'ERR_CAPTURE_EMPTY', message: 'Aucune signature : signez dans le cadre avant de valider.' });
    expect(await page.evaluate(() => (globalThis as any).pad.shadowRoot.querySelector('[data-action="confirm"]').disabled)).toBe(true);
    // Beyond the server's point budget: refused on the tablet, legibly, also from the « Valider » button.
    await mount(page, { message: contextMessage({ limits: { maxPoints: 10 } }) });
    await drawStroke(page, cdp, 'pen', signaturePath(15, IMAGE), IMAGE);
    expect(await capture(page)).toMatchObject({ ok: false, code: 'ERR_CAPTURE_TOO_MANY_POINTS' });
    s = await state(page);
    expect(s.error).toBe('Signature trop détaillée : 15 points, au plus 10. Effacez et signez de nouveau.');
    const button = await page.evaluate(() => (globalThis as any).rectOf('[data-action="confirm"]'));
    await page.mouse.click(button.left + button.width / 2, button.top + button.height / 2);
    await page.waitForFunction(() => (globalThis as any).events.some((e: any) => e.type === 's3404-error'));
    expect((await state(page)).events.filter((e) => e.type === 's3404-error').map((e) => e.detail.code)).toEqual(['ERR_CAPTURE_TOO_MANY_POINTS']);
    // Expired: the pen is refused; a capture after the expiry is refused.
    const message = contextMessage();
    const after = new Date(Date.parse(message.context.token.expiresAt) + 1000);
    await mount(page, { message, now: after });
    await drawStroke(page, cdp, 'pen', signaturePath(5, IMAGE), IMAGE);
    s = await state(page);
    expect(s.strokes).toEqual([]);
    expect(s.events.map((e) => e.detail.code)).toEqual(['ERR_CAPTURE_CONTEXT_EXPIRED']);
    await mount(page, { message });
    await drawStroke(page, cdp, 'pen', signaturePath(5, IMAGE), IMAGE);
    expect(await capture(page, after)).toMatchObject({ ok: false, code: 'ERR_CAPTURE_CONTEXT_EXPIRED' });
    expect(await capture(page, new Date(T0.getTime() - 60_000))).toMatchObject({ ok: false, code: 'ERR_CAPTURE_CLOCK_BEHIND' });
  });

  it('undo, clear and replay keep isEmpty true to what is drawn; coalesced samples are stored in time order', async () => {
    const { page, cdp } = await open();
    await mount(page, { message: contextMessage() });
    const a = signaturePath(20, { width: 500, height: 400 }, 0.2);
    const b = signaturePath(20, { width: 500, height: 400 }, 0.2).map((p) => ({ ...p, x: p.x + 500 }));
    await drawStroke(page, cdp, 'mouse', a, IMAGE);
    await drawStroke(page, cdp, 'mouse', b, IMAGE);
    const saved = (await state(page)).strokes;
    expect(await inked(page, [a[10]!, b[10]!])).toEqual([true, true]);
    await page.evaluate(() => (globalThis as any).pad.undo());
    expect(await inked(page, [a[10]!, b[10]!])).toEqual([true, false]);
    expect((await state(page)).isEmpty).toBe(false);
    await page.evaluate(() => (globalThis as any).pad.clear());
    expect((await state(page)).isEmpty).toBe(true);
    expect(await inked(page, [a[10]!, b[10]!])).toEqual([false, false]);
    // Replay from stored strokes, animated (10× the capture's pace).
    const spread = saved.map((st, i) => ({ ...st, points: st.points.map((p, j) => ({ ...p, t: 1000 + i * 2500 + j * 100 })) }));
    const took = await page.evaluate(async (strokes) => {
      const t = performance.now();
      await (globalThis as any).pad.replay(strokes, { speed: 10 });
      return performance.now() - t;
    }, spread);
    expect(took).toBeGreaterThan(400);
    const s = await state(page);
    expect(s.isEmpty).toBe(false);
    expect(s.strokes.map((x) => x.points.length)).toEqual([20, 20]);
    expect(await inked(page, [a[10]!, b[10]!])).toEqual([true, true]);
    // Coalesced samples handed over out of order are stored in time order (synthetic events: the timeStamp is the creation time).
    const order = await page.evaluate(() => {
      const pad = (globalThis as any).pad;
      pad.clear();
      const canvas = pad.shadowRoot.querySelector('canvas') as HTMLCanvasElement;
      const r = canvas.getBoundingClientRect();
      const at = (i: number, type = 'pointermove') =>
        new PointerEvent(type, {
          pointerId: 9,
          pointerType: 'pen',
          isPrimary: true,
          clientX: r.left + 10 + i * 10,
          clientY: r.top + 50,
          pressure: 0.5,
          button: 0,
          buttons: 1,
          bubbles: true,
        });
      canvas.dispatchEvent(at(0, 'pointerdown'));
      // Distinct timeStamps: wait out the clock's coarsening between two events.
      const samples = [1, 2, 3, 4].map((i) => {
        const t = performance.now();
        while (performance.now() - t < 1);
        return at(i);
      });
      const reversed = [samples[2]!, samples[0]!, samples[3]!, samples[1]!];
      canvas.dispatchEvent(
        new PointerEvent('pointermove', {
          pointerId: 9,
          pointerType: 'pen',
          isPrimary: true,
          clientX: samples[3]!.clientX,
          clientY: r.top + 50,
          pressure: 0.5,
          buttons: 1,
          bubbles: true,
          coalescedEvents: reversed,
        } as PointerEventInit),
      );
      canvas.dispatchEvent(at(4, 'pointerup'));
      const points = pad.strokes[0].points;
      return {
        x: points.map((p: any) => Math.round((p.x / 1000) * r.width - 10) / 10),
        increasing: points.every((p: any, i: number) => i === 0 || p.t >= points[i - 1].t),
      };
    });
    expect(order).toEqual({ x: [0, 1, 2, 3, 4], increasing: true });
  });

  it('honours prefers-reduced-motion (replay draws at once), speaks English with lang="en", and takes another tag name', async () => {
    const { page } = await open({ reducedMotion: 'reduce' });
    await mount(page, { message: contextMessage(), lang: 'en' });
    const strokes = [
      {
        pointerType: 'pen',
        points: Array.from({ length: 50 }, (_, i) => ({ x: 100 + i * 10, y: 200, t: 1000 + i * 100, pressure: 0.5, tiltX: 0, tiltY: 0, twist: 0 })),
      },
    ];
    const took = await page.evaluate(async (st) => {
      const t = performance.now();
      await (globalThis as any).pad.replay(st);
      return performance.now() - t;
    }, strokes);
    // Drawn at once: animated, the 50 points 100 ms apart would take 4.9 s.
    expectWithinBound(took, 200, 'the replay under reduced motion', { clock: 'wall' });
    expect(
      await inked(page, [
        { x: 150, y: 200 },
        { x: 590, y: 200 },
      ]),
    ).toEqual([true, true]);
    const texts = await page.evaluate(() => {
      const root = (globalThis as any).pad.shadowRoot as ShadowRoot;
      return { rows: [...root.querySelectorAll('.row')].map((r) => r.textContent), buttons: [...root.querySelectorAll('button')].map((b) => b.textContent) };
    });
    expect(texts.rows[0]).toBe('Timestamp: 20/03/2026 11:00:00');
    expect(texts.rows).toContain(`Bordereau: ${BORDEREAU_ID}`);
    expect(texts.rows).toContain(`Content SHA-256: ${CONTENT_HASH}`);
    expect(texts.buttons).toEqual(['Clear', 'Undo', 'Confirm']);
    await page.evaluate(() => (globalThis as any).pad.clear());
    expect(await capture(page)).toMatchObject({ code: 'ERR_CAPTURE_EMPTY', message: 'Nothing signed: sign inside the frame before confirming.' });
    await page.evaluate(() => (globalThis as any).pad.setAttribute('lang', 'fr'));
    expect(await page.evaluate(() => (globalThis as any).pad.shadowRoot.querySelector('.error').textContent)).toBe(
      'Aucune signature : signez dans le cadre avant de valider.',
    );
    const custom = await page.evaluate(() => {
      const define = (globalThis as any).defineSignaturePad;
      define();
      define({ tagName: 'acme-signature' });
      define({ tagName: 'acme-signature' });
      const el = document.createElement('acme-signature');
      return { same: el instanceof customElements.get('s3404-signature-pad')!, shadow: el.shadowRoot !== null };
    });
    expect(custom).toEqual({ same: true, shadow: true });
  });
});

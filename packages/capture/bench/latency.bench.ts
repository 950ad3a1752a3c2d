/**
 * Input latency of `<s3404-signature-pad>` in headless Chromium (issue 17,
 * benchmark): from a pointer event to ink drawn on the canvas, and to the
 * next frame, with 2,000 points already drawn; goal ≤ 1 frame at 120 Hz
 * (8.33 ms). The peer `signature_pad` (npm, what most signing pages use) is
 * measured in the same run, in the same harness, with the same input: CDP
 * `Input.dispatchMouseEvent` with `pointerType: 'pen'` (the browser's own
 * input pipeline: coalescing, frame-aligned dispatch).
 *
 * Per event, three instants on the page's clock:
 *   - `event.timeStamp` — when the browser received the input;
 *   - `ink` — the first canvas `stroke()` / `fill()` after it (the ink drawn);
 *   - `frame` — the first animation frame after the ink (the frame that shows it).
 * and the handler's own cost, from the first `pointermove` listener (window,
 * capture phase) to the ink. Ratios are against `signature_pad` with its
 * defaults (it throttles drawing to one update per 16 ms).
 *
 * The pad draws on a low-latency (`desynchronized`) canvas context, and
 * Chromium then dispatches pointer events at once instead of aligning them
 * on the next frame: most of the gap from event to ink comes from that
 * choice, which the last row gives `signature_pad` too, for a fair reading;
 * the handler's own cost compares the code alone.
 *
 * Usage: `pnpm --filter @s3404/capture bench` (Debian Chromium at /usr/bin/chromium or CHROMIUM_PATH).
 */
import { machine, report, type BenchResult } from '@s3404/tooling/bench';
import { browserAvailable, bundleForBrowser, launchChromium, openBundlePage } from '@s3404/tooling/test-kit';
import type { CDPSession, Page } from 'playwright-core';
import { createCaptureContext, toContextMessage } from '@s3404/seal';
import { createBordereauId } from '@s3404/core';

const PRE_DRAWN = 2000;
const MEASURED = 300;
const FRAME_120HZ = 1000 / 120;

const ENTRY = `
import { defineSignaturePad } from '@s3404/capture';
import SignaturePad from 'signature_pad';
const w = globalThis;
w.setup = (impl, message) => {
  document.documentElement.lang = 'fr';
  document.body.style.margin = '0';
  if (impl === 's3404-signature-pad') {
    defineSignaturePad();
    const pad = document.createElement('s3404-signature-pad');
    pad.now = () => new Date(message.context.token.issuedAt);
    document.body.append(pad);
    pad.context = message;
    w.canvas = pad.shadowRoot.querySelector('canvas');
  } else {
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'display: block; margin: 200px 60px 0; width: 1000px; height: 400px; touch-action: none';
    canvas.width = 1000 * devicePixelRatio;
    canvas.height = 400 * devicePixelRatio;
    // The last variant gives signature_pad the low-latency canvas the pad uses (same context, created first).
    canvas.getContext('2d', impl.includes('desynchronized') ? { desynchronized: true } : {}).scale(devicePixelRatio, devicePixelRatio);
    document.body.append(canvas);
    w.peer = new SignaturePad(canvas, impl === 'signature_pad' ? {} : { throttle: 0 });
    w.canvas = canvas;
  }
  // Instrumentation, the same for every implementation.
  w.samples = [];
  w.measuring = false;
  let waiting = [];
  let inked = [];
  window.addEventListener('pointermove', (e) => {
    if (w.measuring) waiting.push({ ts: e.timeStamp, start: performance.now(), ink: 0, frame: 0 });
  }, { capture: true });
  const onFrame = () => {
    const now = performance.now();
    for (const s of inked) { s.frame = now; w.samples.push(s); }
    inked = [];
  };
  for (const name of ['stroke', 'fill']) {
    const original = CanvasRenderingContext2D.prototype[name];
    CanvasRenderingContext2D.prototype[name] = function (...args) {
      if (waiting.length > 0) {
        const now = performance.now();
        for (const s of waiting) s.ink = now;
        if (inked.length === 0) requestAnimationFrame(onFrame);
        inked.push(...waiting);
        waiting = [];
      }
      return original.apply(this, args);
    };
  }
  const r = w.canvas.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
};
`;

type Rect = { left: number; top: number; width: number; height: number };
interface Sample {
  ts: number;
  start: number;
  ink: number;
  frame: number;
}

/** One stroke of `n` points across the canvas, zigzagging, each at least 6 px from the last (signature_pad skips closer ones). */
async function stroke(cdp: CDPSession, rect: Rect, n: number, row: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const u = (i % 150) / 150;
    const x = rect.left + rect.width * (0.05 + 0.9 * u);
    const y = rect.top + rect.height * (0.2 + 0.06 * row + (i % 2) * 0.05);
    const common = { x, y, pointerType: 'pen' as const, button: 'left' as const, buttons: 1, force: 0.5, tiltX: 10, tiltY: -5 };
    await cdp.send('Input.dispatchMouseEvent', { type: i === 0 ? 'mousePressed' : 'mouseMoved', clickCount: i === 0 ? 1 : 0, ...common });
    if (i === n - 1 || (i + 1) % 150 === 0) {
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', clickCount: 1, ...common, buttons: 0 });
      if (i < n - 1) await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', clickCount: 1, ...common });
    }
  }
}

function stats(name: string, values: number[]): BenchResult {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { name, iterations: sorted.length, median: at(0.5), p95: at(0.95), mean: sorted.reduce((s, v) => s + v, 0) / sorted.length };
}

async function measureImplementation(page: Page, cdp: CDPSession, impl: string, message: unknown): Promise<Sample[]> {
  const rect = (await page.evaluate(({ impl, message }) => (globalThis as any).setup(impl, message), { impl, message })) as Rect;
  await stroke(cdp, rect, PRE_DRAWN, 0); // 2,000 points already drawn
  await page.evaluate(() => {
    (globalThis as any).measuring = true;
  });
  await stroke(cdp, rect, MEASURED, 4);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => (globalThis as any).samples as Sample[]);
}

async function main(): Promise<void> {
  if (!browserAvailable) {
    console.log('Chromium not found (apt-get install chromium): latency benchmark skipped.');
    return;
  }
  const bundle = await bundleForBrowser(ENTRY, new URL('.', import.meta.url).pathname);
  const ctx = createCaptureContext({
    scope: { kind: 'bordereau', bordereauId: createBordereauId(), contentHash: 'ab'.repeat(32) },
    role: 'insured',
    signer: { id: 'p', name: 'Jeanne Martin' },
    terminalId: 'bench',
  });
  const message = toContextMessage(ctx);
  const browser = await launchChromium();
  const impls = ['s3404-signature-pad', 'signature_pad', 'signature_pad (throttle: 0)', 'signature_pad (throttle: 0, desynchronized canvas)'];
  const baseline = 'signature_pad';
  const toInk: BenchResult[] = [];
  const toFrame: BenchResult[] = [];
  const handler: BenchResult[] = [];
  const undrawn: string[] = [];
  try {
    for (const impl of impls) {
      const { page, errors } = await openBundlePage(browser, bundle, { viewport: { width: 1280, height: 800 } });
      const cdp = await page.context().newCDPSession(page);
      const samples = await measureImplementation(page, cdp, impl, message);
      if (errors.length > 0) throw new Error(`${impl}: ${errors.join('; ')}`);
      const drawn = samples.filter((s) => s.ink > 0);
      undrawn.push(`${impl}: ${drawn.length} of ${samples.length} pointer events drawn`);
      toInk.push(
        stats(
          impl,
          drawn.map((s) => s.ink - s.ts),
        ),
      );
      toFrame.push(
        stats(
          impl,
          drawn.map((s) => s.frame - s.ts),
        ),
      );
      handler.push(
        stats(
          impl,
          drawn.map((s) => s.ink - s.start),
        ),
      );
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`\n${await machine()}, ${process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'} headless\n`);
  console.log(`${PRE_DRAWN} points already drawn, ${MEASURED} pen events measured (CDP Input.dispatchMouseEvent, pointerType pen).\n${undrawn.join('\n')}\n`);
  report('Pointer event (event.timeStamp) → ink drawn on the canvas', toInk, baseline);
  report('Pointer event (event.timeStamp) → next animation frame after the ink', toFrame, baseline);
  report("Handler's own cost: first pointermove listener → ink drawn (the clock's resolution is 0.1 ms)", handler, baseline);
  const ours = toInk[0]!;
  console.log(
    `Goal ≤ 1 frame at 120 Hz (${FRAME_120HZ.toFixed(2)} ms) from the event to the ink: median ${ours.median.toFixed(2)} ms, p95 ${ours.p95.toFixed(2)} ms — ${ours.p95 <= FRAME_120HZ ? 'met' : 'NOT met'} at p95.`,
  );
}

await main();

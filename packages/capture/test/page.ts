import type { CDPSession, Page } from 'playwright-core';

/**
 * The test page's script (bundled for the browser with the package's
 * sources): defines the pad, mounts it with a context message, records its
 * events, and exposes its state to the test.
 */
export const PAGE_ENTRY = `
import { defineSignaturePad } from '@s3404/capture';
defineSignaturePad();
const w = globalThis;
w.defineSignaturePad = defineSignaturePad;
w.events = [];
w.mount = ({ message, now, lang, css, before }) => {
  document.documentElement.lang = lang ?? 'fr';
  document.body.replaceChildren();
  for (const s of document.head.querySelectorAll('style[data-test]')) s.remove();
  const style = document.createElement('style');
  style.dataset.test = '1';
  style.textContent = 'html, body { margin: 0; padding: 0; } ' + (css ?? '');
  document.head.append(style);
  if (before) document.body.insertAdjacentHTML('beforeend', before);
  const pad = document.createElement('s3404-signature-pad');
  if (lang) pad.setAttribute('lang', lang);
  pad.now = () => new Date(now);
  w.events = [];
  for (const type of ['s3404-change', 's3404-capture', 's3404-error']) {
    pad.addEventListener(type, (e) => w.events.push({ type, detail: e.detail }));
  }
  document.body.append(pad);
  if (message) pad.context = message;
  w.pad = pad;
  return true;
};
w.setCss = (css) => { document.head.querySelector('style[data-test]').textContent = 'html, body { margin: 0; padding: 0; } ' + css; };
w.addHtml = (html) => document.body.insertAdjacentHTML('beforeend', html);
w.rectOf = (selector) => {
  const el = selector === ':host' ? w.pad : w.pad.shadowRoot.querySelector(selector);
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
};
w.state = () => {
  const c = w.pad.shadowRoot.querySelector('canvas');
  return { strokes: w.pad.strokes, isEmpty: w.pad.isEmpty, canvas: { width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight },
    dpr: devicePixelRatio, error: w.pad.shadowRoot.querySelector('.error').textContent, events: w.events };
};
w.capture = async (nowIso) => {
  try {
    const message = await w.pad.toCaptureMessage(nowIso ? { now: () => new Date(nowIso) } : {});
    return { ok: true, message };
  } catch (e) {
    return { ok: false, code: e.code, message: e.message };
  }
};
`;

/** A point of the signature in IMAGE pixels. */
export interface ImagePoint {
  readonly x: number;
  readonly y: number;
}

/** What the test sends per point, beyond the position. */
export interface PenChannels {
  readonly force?: number;
  readonly tiltX?: number;
  readonly tiltY?: number;
  readonly twist?: number;
}

export type Rect = { left: number; top: number; width: number; height: number };

export const canvasRect = (page: Page): Promise<Rect> => page.evaluate(() => (globalThis as any).rectOf('canvas'));

/** Client coordinates of an image point on the canvas as laid out now. */
export function toClient(p: ImagePoint, rect: Rect, image: { width: number; height: number }): { x: number; y: number } {
  return { x: rect.left + (p.x / image.width) * rect.width, y: rect.top + (p.y / image.height) * rect.height };
}

/**
 * Draws a stroke through CDP input events (the browser's input pipeline:
 * coalescing, pointer capture, hit testing), as a pen or a mouse
 * (`Input.dispatchMouseEvent` with `pointerType`) or a finger
 * (`Input.dispatchTouchEvent`). `between(i)` runs before point i (to resize
 * or rotate mid-stroke); the canvas is measured again after it. Returns the
 * client coordinates sent.
 */
export async function drawStroke(
  page: Page,
  cdp: CDPSession,
  kind: 'pen' | 'mouse' | 'touch',
  points: readonly (ImagePoint & PenChannels)[],
  image: { width: number; height: number },
  between?: (i: number) => Promise<boolean | undefined>,
): Promise<{ x: number; y: number }[]> {
  let rect = await canvasRect(page);
  const sent: { x: number; y: number }[] = [];
  for (let i = 0; i < points.length; i++) {
    if (between !== undefined && (await between(i)) === true) rect = await canvasRect(page);
    const p = points[i]!;
    const c = toClient(p, rect, image);
    sent.push(c);
    const last = i === points.length - 1;
    if (kind === 'touch') {
      const touchPoints = [{ x: c.x, y: c.y, id: 1, radiusX: 4, radiusY: 4, force: p.force ?? 0.5 }];
      await cdp.send('Input.dispatchTouchEvent', { type: i === 0 ? 'touchStart' : 'touchMove', touchPoints });
      if (last) await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    } else {
      const common = {
        x: c.x,
        y: c.y,
        pointerType: kind,
        button: 'left' as const,
        buttons: 1,
        ...(kind === 'pen' ? { force: p.force ?? 0.5, tiltX: p.tiltX ?? 0, tiltY: p.tiltY ?? 0, twist: p.twist ?? 0 } : {}),
      };
      await cdp.send('Input.dispatchMouseEvent', { type: i === 0 ? 'mousePressed' : 'mouseMoved', clickCount: i === 0 ? 1 : 0, ...common });
      if (last) await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', clickCount: 1, ...common, buttons: 0 });
    }
  }
  return sent;
}

/** A signature-like path of `n` points in image pixels (a seeded loop), with pen channels. */
export function signaturePath(n: number, image: { width: number; height: number }, phase = 0): (ImagePoint & Required<PenChannels>)[] {
  return Array.from({ length: n }, (_, i) => {
    const u = i / Math.max(1, n - 1);
    return {
      x: Math.round(image.width * (0.1 + 0.8 * u)),
      y: Math.round(image.height * (0.5 + 0.3 * Math.sin(u * Math.PI * 6 + phase))),
      force: Math.round((0.2 + 0.6 * u) * 100) / 100,
      tiltX: Math.round(-30 + 60 * u) || 0,
      tiltY: Math.round(20 - 40 * u) || 0,
      twist: (i * 7) % 360,
    };
  });
}

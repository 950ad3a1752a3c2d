import { isS3404Error, readClock, resolveClock, resolveLocale, systemClock, type Clock, type Locale } from '@s3404/core';
import type { CaptureMessage, ContextMessage } from '@s3404/core/wire';
import { buildCaptureMessage } from './build-capture-message.js';
import type { CapturedPoint, CapturedStroke, PointerKind } from './captured-stroke.js';
import type { CaptureErrorCode } from './errors/capture-errors.js';
import { CaptureError } from './errors/capture-error.js';
import { contextProblem } from './internal/check-context.js';
import { pointCount, strokesProblem } from './internal/check-strokes.js';
import { DEFAULT_IMAGE } from './internal/constants.js';
import { displayRows } from './internal/display-rows.js';
import { baseWidth, drawSegment, drawStart, drawStroke, drawTail } from './internal/ink.js';
import { limitsProblem } from './internal/limits.js';
import { appendPenUp, appendSamples, toImagePoint } from './internal/samples.js';
import { UI_STRINGS } from './internal/strings.js';
import { STYLES } from './internal/styles.js';
import { displayHiddenReason } from './internal/visibility.js';
import { strokesToInkML } from './strokes-to-inkml.js';

/**
 * Detail of the `s3404-change` event (SIG-2): the state of the pad after a
 * stroke, an undo, a clear or a replay.
 *
 * `import type { SignaturePadChangeDetail } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * pad.addEventListener('s3404-change', (e) => { confirmButton.hidden = e.detail.isEmpty })
 * ```
 * @public
 */
export interface SignaturePadChangeDetail {
  readonly isEmpty: boolean;
  readonly strokeCount: number;
  readonly pointCount: number;
}

/**
 * Detail of the `s3404-error` event (SIG-1, X-2): the code of a
 * {@link CaptureError} and its message in the pad's language — the same text
 * the pad shows.
 *
 * `import type { SignaturePadErrorDetail } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * pad.addEventListener('s3404-error', (e) => { if (e.detail.code === 'ERR_CAPTURE_CONTEXT_EXPIRED') void openNewContext() })
 * ```
 * @public
 */
export interface SignaturePadErrorDetail {
  readonly code: CaptureErrorCode;
  readonly message: string;
}

/**
 * Options of {@link SignaturePadElement.toCaptureMessage} (SIG-2).
 *
 * `import type { ToCaptureMessageOptions } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * const message = await pad.toCaptureMessage({ now: () => new Date() })
 * ```
 * @public
 */
export interface ToCaptureMessageOptions {
  /** The tablet's clock for this capture: the capture instant and the expiry check. Default: the pad's `now`. */
  readonly now?: Clock;
}

/**
 * Options of {@link SignaturePadElement.replay} (SIG-2).
 *
 * `import type { ReplayOptions } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * await pad.replay(undefined, { speed: 2 })
 * ```
 * @public
 */
export interface ReplayOptions {
  /**
   * Playback speed: 1 is the pace of the capture, 2 twice as fast,
   * `Infinity` draws at once. Default 1. With `prefers-reduced-motion:
   * reduce` the strokes are always drawn at once.
   */
  readonly speed?: number;
}

/**
 * Options of {@link defineSignaturePad} (SIG-1).
 *
 * `import type { DefineSignaturePadOptions } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * defineSignaturePad({ tagName: 'acme-signature' })
 * ```
 * @public
 */
export interface DefineSignaturePadOptions {
  /** The custom element's name. Default `s3404-signature-pad`. */
  readonly tagName?: string;
}

/** The element's state of a stroke being drawn. */
interface ActiveStroke {
  readonly pointerId: number;
  readonly stroke: MutableStroke;
  /** How many of its points are drawn on screen. */
  drawn: number;
}
interface MutableStroke {
  readonly pointerType: PointerKind;
  readonly points: CapturedPoint[];
}

const POINTER_KINDS: ReadonlySet<string> = new Set(['pen', 'touch', 'mouse']);
const INK = '#000000';
/** `HTMLElement` where the DOM exists; a stand-in elsewhere, so that the package can be imported on a server (SSR) or in Node. */
const ElementBase: typeof HTMLElement = (globalThis as { HTMLElement?: typeof HTMLElement }).HTMLElement ?? (class {} as unknown as typeof HTMLElement);

const TEMPLATE = `<div class="pad">
<section class="context" aria-labelledby="context-title"><h2 id="context-title"></h2><div class="rows"></div></section>
<div class="surface"><canvas role="img" tabindex="0"></canvas><div class="baseline" aria-hidden="true"></div><p class="hint" aria-hidden="true"></p></div>
<p class="error" role="alert"></p>
<p class="status" role="status" aria-live="polite"></p>
<div class="actions" role="group"><button type="button" data-action="clear"></button><button type="button" data-action="undo"></button><button type="button" class="primary" data-action="confirm"></button></div>
</div>`;

/**
 * `<s3404-signature-pad>`: the signing tablet's screen as a framework-free
 * Web Component (SIG-1, SIG-2). Give it the server's context message
 * (`pad.context = message`); it shows, legibly and out of reach of the host
 * page's CSS (shadow DOM), « Horodatage : jj/mm/aaaa hh:mm:ss » from the
 * context, the bordereau identifier (or the accounting day, « journée
 * comptable »), the content hash, the signer's role and name and « Mandat »
 * when it applies; it captures the signature losslessly and produces
 * exactly what `@s3404/seal` accepts.
 *
 * - **Capture**: Pointer Events with `getCoalescedEvents()` (every sample
 *   the device gives), pressure, tilt, twist, `pointerType`, the events'
 *   monotonic `timeStamp`, pen down to pen up; points stored in image pixels
 *   (the context's `image` size), so resizing, rotating, scrolling or a
 *   change of device pixel ratio never moves nor loses a point — the screen
 *   is redrawn from the strokes. The ink is drawn within the pointer event
 *   on a low-latency (`desynchronized`) canvas; smoothing is for the eye
 *   only. Once a
 *   stylus has been used, touches are ignored (palm rejection);
 *   `touch-action: none` and pointer capture keep the page from scrolling.
 * - **Refusals**: a pen-down is refused, and so is a capture, when there is
 *   no context, when it expired, or when the context panel is not legible on
 *   screen (hidden, transparent, filtered, shrunk, off screen or covered:
 *   `ERR_CAPTURE_DISPLAY_HIDDEN`); the error is shown on the pad and sent as
 *   `s3404-error`.
 * - **Events** (bubbling, composed): `s3404-change` ({@link SignaturePadChangeDetail}),
 *   `s3404-capture` (detail: the `CaptureMessage`, when the signer presses
 *   the pad's own « Valider »), `s3404-error` ({@link SignaturePadErrorDetail}).
 * - **Language**: French by default, English with `lang="en"` (or the
 *   context's `locale` when the element has no `lang`); the legal words stay
 *   French.
 * - **Accessible**: buttons « Effacer », « Annuler le dernier trait »,
 *   « Valider » in focus order after the panel, labels, an `alert` for
 *   errors, a polite status, contrasts ≥ 4.5:1, `prefers-reduced-motion`;
 *   works with a finger, a stylus or a mouse.
 *
 * `import { SignaturePadElement, defineSignaturePad } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * defineSignaturePad()
 * const pad = document.querySelector('s3404-signature-pad')!
 * pad.context = await (await fetch('/contexts', { method: 'POST', body })).json()
 * pad.addEventListener('s3404-capture', (e) => fetch('/captures', { method: 'POST', body: JSON.stringify(e.detail) }))
 * ```
 * @public
 */
export class SignaturePadElement extends ElementBase {
  /** Attributes the element follows: `lang` (`fr` or `en`). */
  static readonly observedAttributes: readonly string[] = ['lang'];

  /**
   * The tablet's clock: decides that the context expired (pen-down and
   * capture) and gives the capture instant. Default: the system clock.
   */
  now: Clock = systemClock;

  #context: ContextMessage | null = null;
  readonly #strokes: MutableStroke[] = [];
  #active: ActiveStroke | null = null;
  #penSeen = false;
  #busy = false;
  #submitted = false;
  #error: CaptureError | null = null;
  #occluded = false;
  #replay: { finish(): void } | null = null;
  #ink: CanvasRenderingContext2D | null = null;
  #resizeObserver: ResizeObserver | null = null;
  #intersectionObserver: IntersectionObserver | null = null;
  #dprQuery: MediaQueryList | null = null;
  /** The canvas's size in device pixels, as last measured (by the ResizeObserver when it can). */
  #deviceSize: { width: number; height: number; dpr?: number } | null = null;
  readonly #els: {
    readonly pad: HTMLElement;
    readonly title: HTMLElement;
    readonly rows: HTMLElement;
    readonly surface: HTMLElement;
    readonly canvas: HTMLCanvasElement;
    readonly hint: HTMLElement;
    readonly error: HTMLElement;
    readonly status: HTMLElement;
    readonly actions: HTMLElement;
    readonly clear: HTMLButtonElement;
    readonly undo: HTMLButtonElement;
    readonly confirm: HTMLButtonElement;
  };

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLES;
    const holder = document.createElement('template');
    holder.innerHTML = TEMPLATE;
    root.append(style, holder.content.cloneNode(true));
    const q = <T extends HTMLElement>(selector: string): T => root.querySelector(selector) as T;
    this.#els = {
      pad: q('.pad'),
      title: q('#context-title'),
      rows: q('.rows'),
      surface: q('.surface'),
      canvas: q('canvas'),
      hint: q('.hint'),
      error: q('.error'),
      status: q('.status'),
      actions: q('.actions'),
      clear: q('[data-action="clear"]'),
      undo: q('[data-action="undo"]'),
      confirm: q('[data-action="confirm"]'),
    };
    const canvas = this.#els.canvas;
    canvas.addEventListener('pointerdown', this.#onDown);
    canvas.addEventListener('pointermove', this.#onMove);
    canvas.addEventListener('pointerup', this.#onUp);
    canvas.addEventListener('pointercancel', this.#onCancel);
    canvas.addEventListener('lostpointercapture', this.#onCancel);
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    canvas.addEventListener('touchstart', (e) => e.preventDefault(), { passive: false });
    this.#els.clear.addEventListener('click', () => this.clear());
    this.#els.undo.addEventListener('click', () => this.undo());
    this.#els.confirm.addEventListener('click', () => void this.#confirm());
    this.#render();
  }

  /** @internal Custom element lifecycle: starts following the pad's size and the device pixel ratio. */
  connectedCallback(): void {
    const canvas = this.#els.canvas;
    if (typeof ResizeObserver === 'function') {
      this.#resizeObserver = new ResizeObserver((entries) => {
        const entry = entries[entries.length - 1];
        const device = entry?.devicePixelContentBoxSize?.[0];
        const css = entry?.contentBoxSize?.[0];
        const dpr = pixelRatio();
        // The exact device pixels where the browser knows them; CSS size × ratio where it does not
        // (or where an emulated ratio is not reflected, as in headless Chromium).
        if (device !== undefined && css !== undefined && Math.abs(device.inlineSize - css.inlineSize * dpr) <= 2)
          this.#resize(device.inlineSize, device.blockSize);
        else if (css !== undefined) this.#resize(css.inlineSize * dpr, css.blockSize * dpr);
        else this.#resize();
      });
      try {
        this.#resizeObserver.observe(canvas, { box: 'device-pixel-content-box' });
      } catch {
        this.#resizeObserver.observe(canvas);
      }
    }
    this.#watchPixelRatio();
    if (typeof IntersectionObserver === 'function') {
      try {
        const options = { threshold: [0, 1], trackVisibility: true, delay: 100 } as IntersectionObserverInit;
        this.#intersectionObserver = new IntersectionObserver((entries) => {
          const last = entries[entries.length - 1] as (IntersectionObserverEntry & { isVisible?: boolean }) | undefined;
          // IntersectionObserver v2: isVisible is only defined where trackVisibility is supported.
          if (last !== undefined && typeof last.isVisible === 'boolean') this.#occluded = last.isIntersecting && !last.isVisible;
        }, options);
        this.#intersectionObserver.observe(this.#els.rows);
      } catch {
        this.#intersectionObserver = null;
      }
    }
    this.#resize();
  }

  /** @internal Custom element lifecycle: stops the observers and any stroke or replay in progress. */
  disconnectedCallback(): void {
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = null;
    this.#intersectionObserver?.disconnect();
    this.#intersectionObserver = null;
    this.#dprQuery?.removeEventListener('change', this.#onPixelRatio);
    this.#dprQuery = null;
    this.#endActive();
    this.#replay?.finish();
  }

  /** @internal Custom element lifecycle: `lang` changed. */
  attributeChangedCallback(name: string): void {
    if (name === 'lang') this.#render();
  }

  /**
   * The context message from the server (SIG-1): what the panel shows, the
   * size of the image the strokes are recorded in, the server's limits.
   * Setting another context (another token) clears the pad; setting the same
   * one again (a framework re-rendering) keeps the strokes. A value that is
   * not a context message leaves the pad without context and reports
   * `ERR_CAPTURE_CONTEXT_INVALID` (shown, and sent as `s3404-error`). The pad
   * keeps its own frozen copy: changing the object afterwards changes
   * neither what is shown nor what is echoed.
   */
  get context(): ContextMessage | null {
    return this.#context;
  }
  set context(value: ContextMessage | null) {
    const previous = this.#context;
    let next: ContextMessage | null = null;
    let problem: CaptureError | null = null;
    if (value !== null && value !== undefined) {
      const detail = contextProblem(value);
      if (detail === null) {
        try {
          next = deepFreeze(structuredClone(value));
        } catch {
          problem = new CaptureError('ERR_CAPTURE_CONTEXT_INVALID', {
            params: { detail: { fr: 'pas des données JSON', en: 'not JSON data' } },
            locale: this.locale,
          });
        }
      } else problem = new CaptureError('ERR_CAPTURE_CONTEXT_INVALID', { params: { detail }, locale: this.locale });
    }
    const same =
      next !== null &&
      previous !== null &&
      next.context.token.nonce === previous.context.token.nonce &&
      next.image.width === previous.image.width &&
      next.image.height === previous.image.height;
    this.#context = next;
    this.#error = null;
    this.#render();
    this.#resize();
    if (!same && !this.isEmpty) {
      this.#reset();
      this.#changed();
    }
    if (problem !== null) this.#report(problem, true);
  }

  /** The pad's language: its `lang` attribute (`en…` gives English), else the context's `locale`, else French. */
  get locale(): Locale {
    const lang = this.getAttribute('lang');
    if (lang !== null) return resolveLocale(lang);
    return this.#context?.locale === 'en' ? 'en' : 'fr';
  }
  set locale(value: Locale) {
    this.setAttribute('lang', resolveLocale(value));
  }

  /** Whether nothing is drawn: true exactly when the pad holds no point. */
  get isEmpty(): boolean {
    return this.#strokes.every((s) => s.points.length === 0);
  }

  /** The raw capture, lossless (SIG-2): every stroke with every sample, coordinates in image pixels. A frozen copy. */
  get strokes(): readonly CapturedStroke[] {
    return Object.freeze(this.#strokes.map((s) => Object.freeze({ pointerType: s.pointerType, points: Object.freeze(s.points.slice()) })));
  }

  /** Removes the last stroke (the one being drawn, if the pen is down). Emits `s3404-change`. */
  undo(): void {
    this.#replay?.finish();
    this.#endActive();
    if (this.#strokes.pop() === undefined) return;
    this.#changed();
  }

  /** Removes every stroke and the error shown. Emits `s3404-change`. */
  clear(): void {
    this.#replay?.finish();
    this.#reset();
    this.#error = null;
    this.#changed();
  }

  /**
   * Draws the strokes again, in their own time (SIG-2): the pad's strokes,
   * or `strokes`, which then become the pad's strokes (and emit
   * `s3404-change`). At once under `prefers-reduced-motion: reduce`, with
   * `speed: Infinity`, or when the pad is not in a page. Resolves when
   * everything is drawn; a pen-down, an undo, a clear or another replay
   * ends it early, with everything drawn.
   *
   * @throws {@link CaptureError} `ERR_CAPTURE_STROKES_INVALID` (kind `input`) for `strokes` the pad cannot have produced.
   * @throws TypeError for a `speed` that is not a positive number.
   */
  replay(strokes?: readonly CapturedStroke[], options: ReplayOptions = {}): Promise<void> {
    const speed = options.speed ?? 1;
    if (typeof speed !== 'number' || Number.isNaN(speed) || speed <= 0) throw new TypeError('replay: options.speed must be a positive number');
    this.#replay?.finish();
    this.#endActive();
    if (strokes !== undefined) {
      const problem = strokesProblem(strokes);
      if (problem !== null) throw new CaptureError('ERR_CAPTURE_STROKES_INVALID', { params: { detail: problem }, locale: this.locale });
      this.#strokes.length = 0;
      for (const s of strokes) this.#strokes.push({ pointerType: s.pointerType, points: s.points.map((p) => Object.freeze({ ...p })) });
      this.#changed();
    }
    const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    const ink = this.#ink;
    const all = this.#strokes;
    const first = all.find((s) => s.points.length > 0)?.points[0];
    if (reduced || speed === Number.POSITIVE_INFINITY || !this.isConnected || ink === null || first === undefined) {
      this.#redraw();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.#clearScreen();
      const base = baseWidth(this.#image());
      const start = performance.now();
      let s = 0;
      let i = 0;
      let frame = 0;
      const finish = (): void => {
        cancelAnimationFrame(frame);
        this.#replay = null;
        this.#redraw();
        resolve();
      };
      const step = (time: number): void => {
        const until = first.t + (time - start) * speed;
        while (s < all.length) {
          const stroke = all[s]!;
          while (i < stroke.points.length && stroke.points[i]!.t <= until) {
            if (i === 0) drawStart(ink, stroke.pointerType, stroke.points, base);
            else drawSegment(ink, stroke.pointerType, stroke.points, i, base);
            i++;
          }
          if (i < stroke.points.length) break;
          drawTail(ink, stroke.pointerType, stroke.points, base);
          s++;
          i = 0;
        }
        if (s >= all.length) finish();
        else frame = requestAnimationFrame(step);
      };
      this.#replay = { finish };
      frame = requestAnimationFrame(step);
    });
  }

  /**
   * The capture for the server (SIG-1, SIG-2): a PNG drawn from the strokes
   * at the context's image size (transparent background, black ink; not a
   * screenshot), the strokes in the record's schema, the context echoed
   * unchanged, `capturedAt` from `now`. Checks first what the server would
   * refuse (see {@link buildCaptureMessage}) and that the context is legible
   * on screen. A refusal is also shown on the pad. The pad's « Valider »
   * button calls it and emits `s3404-capture`.
   *
   * @throws {@link CaptureError} `ERR_CAPTURE_NO_CONTEXT`, `ERR_CAPTURE_DISPLAY_HIDDEN`, `ERR_CAPTURE_EMPTY`,
   * `ERR_CAPTURE_TOO_MANY_STROKES`, `ERR_CAPTURE_TOO_MANY_POINTS`, `ERR_CAPTURE_TOO_LONG`,
   * `ERR_CAPTURE_IMAGE_TOO_LARGE`, `ERR_CAPTURE_CONTEXT_EXPIRED`, `ERR_CAPTURE_CLOCK_BEHIND`,
   * `ERR_CAPTURE_RENDER_FAILED` (kind `unavailable`: the browser gave no PNG).
   * @throws TypeError when `now` is not a Clock.
   */
  async toCaptureMessage(options: ToCaptureMessageOptions = {}): Promise<CaptureMessage> {
    const now = resolveClock(options.now ?? this.now, 'toCaptureMessage');
    const locale = this.locale;
    try {
      const context = this.#context;
      if (context === null) throw new CaptureError('ERR_CAPTURE_NO_CONTEXT', { locale });
      this.#endActive();
      const hidden = this.#hiddenReason();
      if (hidden !== null) throw new CaptureError('ERR_CAPTURE_DISPLAY_HIDDEN', { params: { detail: hidden }, locale });
      const strokes = this.strokes;
      // What can be refused before drawing the PNG is refused first (the same checks again in buildCaptureMessage).
      const limit = limitsProblem(strokes, context.limits);
      if (limit !== null) throw new CaptureError(limit.code, { params: limit.params, locale });
      const png = await this.#renderPng(context.image, locale);
      return buildCaptureMessage(context, { strokes, image: png }, { now, locale });
    } catch (e) {
      if (e instanceof CaptureError) this.#report(e, false);
      throw e;
    }
  }

  /**
   * The strokes as W3C InkML (channels X Y T F OTx OTy OR, image pixels,
   * milliseconds since the first point), see {@link strokesToInkML}.
   */
  toInkML(): string {
    return strokesToInkML(this.strokes, { image: this.#image(), locale: this.locale });
  }

  // --- pointer input ---------------------------------------------------------------------------

  #onDown = (e: PointerEvent): void => {
    const kind = e.pointerType;
    // The tip of a stylus, a finger, the main mouse button: not a barrel button, not an eraser;
    // nothing while a capture is being produced (it would not be in it).
    if (!POINTER_KINDS.has(kind) || e.button !== 0 || this.#busy) return;
    const active = this.#active;
    if (active !== null) {
      // A stylus landing while a touch stroke is drawn: that touch was the palm.
      if (kind === 'pen' && active.stroke.pointerType === 'touch') this.#dropActive();
      else return;
    }
    e.preventDefault();
    if (kind === 'touch' && this.#penSeen) return;
    this.#replay?.finish();
    const refusal = this.#penDownRefusal();
    if (refusal !== null) {
      this.#report(refusal, true);
      return;
    }
    if (kind === 'pen') this.#penSeen = true;
    try {
      this.#els.canvas.setPointerCapture(e.pointerId);
    } catch {
      // A pointer already released: the stroke ends with its pointerup.
    }
    const stroke: MutableStroke = { pointerType: kind as PointerKind, points: [] };
    appendSamples(stroke.points, [toImagePoint(e, this.#els.canvas.getBoundingClientRect(), this.#image())]);
    this.#strokes.push(stroke);
    this.#active = { pointerId: e.pointerId, stroke, drawn: 0 };
    this.#submitted = false;
    if (this.#error !== null) {
      this.#error = null;
      this.#renderError();
    }
    this.#els.hint.hidden = true;
    this.#drawActive();
  };

  #onMove = (e: PointerEvent): void => {
    const active = this.#active;
    if (active === null || e.pointerId !== active.pointerId) return;
    e.preventDefault();
    const rect = this.#els.canvas.getBoundingClientRect();
    const image = this.#image();
    const coalesced = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    const events = coalesced.length > 0 ? coalesced : [e];
    appendSamples(
      active.stroke.points,
      events.map((c) => toImagePoint(c, rect, image)),
    );
    this.#drawActive();
  };

  #onUp = (e: PointerEvent): void => {
    const active = this.#active;
    if (active === null || e.pointerId !== active.pointerId) return;
    e.preventDefault();
    appendPenUp(active.stroke.points, toImagePoint(e, this.#els.canvas.getBoundingClientRect(), this.#image()));
    this.#endActive();
  };

  #onCancel = (e: PointerEvent): void => {
    const active = this.#active;
    if (active === null || e.pointerId !== active.pointerId) return;
    this.#endActive();
  };

  /** Ends the stroke being drawn, keeping its points: drawn to its last point, `s3404-change` emitted. */
  #endActive(): void {
    const active = this.#active;
    if (active === null) return;
    this.#active = null;
    this.#drawActive(active);
    if (this.#ink !== null) drawTail(this.#ink, active.stroke.pointerType, active.stroke.points, baseWidth(this.#image()));
    try {
      if (this.#els.canvas.hasPointerCapture(active.pointerId)) this.#els.canvas.releasePointerCapture(active.pointerId);
    } catch {
      // Already released.
    }
    this.#changed(false);
  }

  /** Forgets the touch stroke being drawn (a palm), without a trace. */
  #dropActive(): void {
    const active = this.#active;
    if (active === null) return;
    this.#active = null;
    const at = this.#strokes.lastIndexOf(active.stroke);
    if (at >= 0) this.#strokes.splice(at, 1);
    this.#redraw();
  }

  /** Why a pen-down is refused now: no context, context expired, context not legible. */
  #penDownRefusal(): CaptureError | null {
    const locale = this.locale;
    const context = this.#context;
    if (context === null) return new CaptureError('ERR_CAPTURE_NO_CONTEXT', { locale });
    const now = readClock(resolveClock(this.now, 'SignaturePadElement.now'), 'SignaturePadElement.now');
    const expiresAt = context.context.token.expiresAt;
    if (now.getTime() > Date.parse(expiresAt)) return new CaptureError('ERR_CAPTURE_CONTEXT_EXPIRED', { params: { expiresAt }, locale });
    const hidden = this.#hiddenReason();
    if (hidden !== null) return new CaptureError('ERR_CAPTURE_DISPLAY_HIDDEN', { params: { detail: hidden }, locale });
    return null;
  }

  #hiddenReason() {
    const rows = [...this.#els.rows.querySelectorAll<HTMLElement>('.row')];
    return displayHiddenReason(this, this.#els.pad.querySelector('.context') as HTMLElement, rows, this.#occluded);
  }

  // --- drawing -------------------------------------------------------------------------------------

  #image(): { width: number; height: number } {
    return this.#context?.image ?? DEFAULT_IMAGE;
  }

  /** Draws the points of the active stroke not yet on screen: the ink follows the pen within the event. */
  #drawActive(active: ActiveStroke | null = this.#active): void {
    const ink = this.#ink;
    if (active === null || ink === null) return;
    const { pointerType, points } = active.stroke;
    const base = baseWidth(this.#image());
    if (active.drawn === 0 && points.length > 0) {
      drawStart(ink, pointerType, points, base);
      active.drawn = 1;
    }
    for (let i = active.drawn; i < points.length; i++) drawSegment(ink, pointerType, points, i, base);
    active.drawn = points.length;
  }

  #clearScreen(): void {
    const ink = this.#ink;
    const canvas = this.#els.canvas;
    if (ink === null) return;
    ink.save();
    ink.setTransform(1, 0, 0, 1, 0, 0);
    ink.clearRect(0, 0, canvas.width, canvas.height);
    ink.restore();
  }

  /** Draws every stroke again, from the stored points (after a resize, an undo, a change of pixel ratio). */
  #redraw(): void {
    this.#clearScreen();
    const ink = this.#ink;
    if (ink === null) return;
    const base = baseWidth(this.#image());
    for (const s of this.#strokes) drawStroke(ink, s.pointerType, s.points, base, s !== this.#active?.stroke);
    if (this.#active !== null) this.#active.drawn = this.#active.stroke.points.length;
  }

  /** Sizes the canvas's backing store to the device pixels it covers, and redraws. */
  #resize(deviceWidth?: number, deviceHeight?: number): void {
    const canvas = this.#els.canvas;
    if (!this.isConnected) return;
    const dpr = pixelRatio();
    if (deviceWidth !== undefined && deviceHeight !== undefined) this.#deviceSize = { width: deviceWidth, height: deviceHeight, dpr };
    else if (this.#deviceSize === null || this.#deviceSize.dpr !== dpr)
      this.#deviceSize = { width: canvas.clientWidth * dpr, height: canvas.clientHeight * dpr, dpr };
    const width = Math.max(1, Math.round(this.#deviceSize.width));
    const height = Math.max(1, Math.round(this.#deviceSize.height));
    if (canvas.width !== width || canvas.height !== height || this.#ink === null) {
      canvas.width = width;
      canvas.height = height;
      this.#ink = canvas.getContext('2d', { desynchronized: true }) ?? canvas.getContext('2d');
      if (this.#ink === null) return;
      this.#replay?.finish();
    }
    const image = this.#image();
    setInk(this.#ink);
    this.#ink.setTransform(width / image.width, 0, 0, height / image.height, 0, 0);
    this.#redraw();
  }

  #onPixelRatio = (): void => {
    this.#watchPixelRatio();
    this.#resize();
  };

  /** Follows the device pixel ratio (zoom, moving to another screen): a media query on the current ratio. */
  #watchPixelRatio(): void {
    this.#dprQuery?.removeEventListener('change', this.#onPixelRatio);
    if (typeof matchMedia !== 'function' || !this.isConnected) return;
    this.#dprQuery = matchMedia(`(resolution: ${pixelRatio()}dppx)`);
    this.#dprQuery.addEventListener('change', this.#onPixelRatio);
  }

  /** The PNG of the strokes at the image's size, on a canvas of its own (not the screen's pixels). */
  async #renderPng(image: { width: number; height: number }, locale: Locale): Promise<Uint8Array> {
    const fail = (detail: string, cause?: unknown): CaptureError =>
      new CaptureError('ERR_CAPTURE_RENDER_FAILED', { params: { detail }, locale, ...(cause === undefined ? {} : { cause }) });
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    try {
      const ink = canvas.getContext('2d');
      if (ink === null) throw fail('canvas 2d');
      setInk(ink);
      const base = baseWidth(image);
      for (const s of this.#strokes) drawStroke(ink, s.pointerType, s.points, base, true);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      if (blob === null) throw fail('toBlob');
      return new Uint8Array(await blob.arrayBuffer());
    } catch (e) {
      if (e instanceof CaptureError) throw e;
      throw fail('toBlob', e);
    } finally {
      canvas.width = 0;
      canvas.height = 0;
    }
  }

  // --- state, rendering, events -------------------------------------------------------------------

  #reset(): void {
    this.#active = null;
    this.#strokes.length = 0;
    this.#submitted = false;
    this.#redraw();
  }

  /** After any change of the strokes: screen, buttons, status, `s3404-change`. */
  #changed(redraw = true): void {
    if (redraw) this.#redraw();
    this.#submitted = false;
    this.#renderState();
    const detail: SignaturePadChangeDetail = { isEmpty: this.isEmpty, strokeCount: this.#strokes.length, pointCount: pointCount(this.#strokes) };
    this.dispatchEvent(new CustomEvent('s3404-change', { detail, bubbles: true, composed: true }));
  }

  async #confirm(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#renderState();
    try {
      const message = await this.toCaptureMessage();
      this.#submitted = true;
      this.dispatchEvent(new CustomEvent('s3404-capture', { detail: message, bubbles: true, composed: true }));
    } catch (e) {
      // CaptureErrors were shown and reported by toCaptureMessage; anything else is a bug of the pad.
      if (!isS3404Error(e)) globalThis.reportError?.(e);
    } finally {
      this.#busy = false;
      this.#renderState();
    }
  }

  /** Shows an error on the pad and, for `s3404-error`, sends it (SIG-1: a refusal is legible). */
  #report(error: CaptureError, dispatch: boolean): void {
    this.#error = error;
    this.#renderError();
    if (dispatch || this.#busy) {
      const detail: SignaturePadErrorDetail = { code: error.code, message: error.messageIn(this.locale) };
      this.dispatchEvent(new CustomEvent('s3404-error', { detail, bubbles: true, composed: true }));
    }
  }

  #renderError(): void {
    this.#els.error.textContent = this.#error === null ? '' : this.#error.messageIn(this.locale);
  }

  #render(): void {
    const locale = this.locale;
    const s = UI_STRINGS[locale];
    const { pad, title, rows, surface, hint, clear, undo, confirm, actions } = this.#els;
    pad.setAttribute('lang', locale);
    title.textContent = s.panel;
    rows.replaceChildren();
    const context = this.#context;
    if (context === null) {
      const waiting = document.createElement('p');
      waiting.className = 'waiting';
      waiting.textContent = s.waiting;
      rows.append(waiting);
    } else {
      for (const row of displayRows(context, locale)) {
        const p = document.createElement('p');
        p.className = 'row';
        p.dataset['key'] = row.key;
        if (row.label !== '') {
          const label = document.createElement('span');
          label.className = 'label';
          label.textContent = row.label;
          p.append(label, ' ');
        }
        const value = document.createElement('span');
        value.className = 'value';
        value.textContent = row.value;
        p.append(value);
        rows.append(p);
      }
    }
    const image = this.#image();
    surface.style.setProperty('--ratio', String(image.width / image.height));
    hint.textContent = s.hint;
    clear.textContent = s.clear;
    undo.textContent = s.undo;
    confirm.textContent = s.confirm;
    actions.setAttribute('aria-label', s.actions);
    this.#renderError();
    this.#renderState();
  }

  /** Buttons, hint, labels and the polite status follow the strokes. */
  #renderState(): void {
    const s = UI_STRINGS[this.locale];
    const empty = this.isEmpty;
    const points = pointCount(this.#strokes);
    this.#els.clear.disabled = empty;
    this.#els.undo.disabled = empty;
    this.#els.confirm.disabled = empty || this.#context === null || this.#busy || this.#submitted;
    this.#els.hint.hidden = !empty;
    const state = s.surfaceState(this.#strokes.length, points);
    this.#els.canvas.setAttribute('aria-label', s.surfaceLabel(state));
    this.#els.status.textContent = state;
  }
}

/** Freezes plain data all the way down. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The device pixel ratio (1 where there is none). */
function pixelRatio(): number {
  return typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1;
}

/** The ink's style (the context state is reset when a canvas is resized). */
function setInk(ink: CanvasRenderingContext2D): void {
  ink.lineCap = 'round';
  ink.lineJoin = 'round';
  ink.strokeStyle = INK;
  ink.fillStyle = INK;
}

/**
 * Defines the custom element `<s3404-signature-pad>` (or `tagName`), once:
 * calling it again does nothing (SIG-1). Does nothing where custom elements
 * do not exist (a server rendering the page). No side effect at import: a
 * page calls it when it wants the element.
 *
 * `import { defineSignaturePad } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * defineSignaturePad()                                // <s3404-signature-pad>
 * defineSignaturePad({ tagName: 'acme-signature' })   // <acme-signature>, the same element
 * ```
 * @throws TypeError when `tagName` is not a valid custom element name (lowercase, with a hyphen).
 * @public
 */
export function defineSignaturePad(options: DefineSignaturePadOptions = {}): void {
  const tagName = options.tagName ?? 's3404-signature-pad';
  if (typeof tagName !== 'string' || !/^[a-z][a-z0-9._]*-[a-z0-9._-]*$/.test(tagName)) {
    throw new TypeError(`defineSignaturePad: "${String(tagName).slice(0, 40)}" is not a valid custom element name (lowercase, with a hyphen)`);
  }
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (registry === undefined || registry.get(tagName) !== undefined) return;
  // A class can be defined once: other names get a subclass of their own.
  const taken = registry.getName?.(SignaturePadElement) ?? null;
  registry.define(tagName, taken === null ? SignaturePadElement : class extends SignaturePadElement {});
}

declare global {
  interface HTMLElementTagNameMap {
    's3404-signature-pad': SignaturePadElement;
  }
  interface HTMLElementEventMap {
    's3404-change': CustomEvent<SignaturePadChangeDetail>;
    's3404-capture': CustomEvent<CaptureMessage>;
    's3404-error': CustomEvent<SignaturePadErrorDetail>;
  }
}

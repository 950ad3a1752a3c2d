import { readClock, resolveClock, resolveLocale, type Clock, type Locale } from '@s3404/core';
import { createCaptureMessage, type CaptureMessage, type ContextMessage } from '@s3404/core/wire';
import type { CapturedStroke } from './captured-stroke.js';
import { CaptureError } from './errors/capture-error.js';
import { contextProblem } from './internal/check-context.js';
import { strokesProblem } from './internal/check-strokes.js';
import { limitsProblem } from './internal/limits.js';
import { toWireStrokes } from './to-wire-strokes.js';

/**
 * What the pad captured (SIG-2): its raw strokes and the PNG drawn from
 * them, the second argument of {@link buildCaptureMessage}.
 *
 * `import type { CaptureInput } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * const input: CaptureInput = { strokes: pad.strokes, image: png }
 * ```
 * @public
 */
export interface CaptureInput {
  /** The raw strokes, coordinates in image pixels, `t` the events' `timeStamp`. */
  readonly strokes: readonly CapturedStroke[];
  /** The PNG drawn from the strokes, of the context message's `image` size. */
  readonly image: Uint8Array;
}

/**
 * Options of {@link buildCaptureMessage} (SIG-1, SIG-2).
 *
 * `import type { BuildCaptureMessageOptions } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * buildCaptureMessage(contextMessage, { strokes, image }, { now: () => new Date(), locale: 'en' })
 * ```
 * @public
 */
export interface BuildCaptureMessageOptions {
  /** Clock of the tablet: the capture instant, and what decides that the context expired. Default: the system clock. */
  readonly now?: Clock;
  /** Language of error messages. Default French. */
  readonly locale?: Locale;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const u32 = (b: Uint8Array, i: number): number => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

/**
 * Builds the {@link CaptureMessage} the tablet sends to the server (SIG-1,
 * SIG-2), after checking what the server would refuse, so that the signer
 * hears it on the tablet: a context message the pad can use, something
 * signed, at most 1,000 strokes and the context's `limits.maxPoints` points
 * (100,000 a stroke), a capture no longer than `limits.maxCaptureMs`, a PNG
 * of the context's image size within `limits.maxImageBytes`, and a context
 * still valid at `now` — which is the capture instant (`capturedAt`). The
 * context is echoed unchanged, its display included; the strokes are
 * converted by {@link toWireStrokes}. The server judges again
 * (`readCaptureMessage` of `@s3404/seal`).
 *
 * `import { buildCaptureMessage } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * const message = buildCaptureMessage(contextMessage, { strokes: pad.strokes, image: png }, { now: () => new Date() })
 * await fetch('/captures', { method: 'POST', body: JSON.stringify(message) })
 * ```
 * @throws {@link CaptureError} (kind `input`) `ERR_CAPTURE_CONTEXT_INVALID`, `ERR_CAPTURE_STROKES_INVALID`,
 * `ERR_CAPTURE_IMAGE_INVALID` (not a PNG of the context's size); (kind `verdict`) `ERR_CAPTURE_EMPTY`,
 * `ERR_CAPTURE_TOO_MANY_STROKES`, `ERR_CAPTURE_TOO_MANY_POINTS`, `ERR_CAPTURE_TOO_LONG`,
 * `ERR_CAPTURE_IMAGE_TOO_LARGE`, `ERR_CAPTURE_CONTEXT_EXPIRED`, `ERR_CAPTURE_CLOCK_BEHIND` (the tablet's
 * clock is before the context's issue: the server would refuse the capture instant).
 * @throws TypeError when `now` is not a Clock.
 * @public
 */
export function buildCaptureMessage(context: ContextMessage, captured: CaptureInput, options: BuildCaptureMessageOptions = {}): CaptureMessage {
  const locale = resolveLocale(options.locale);
  const now = resolveClock(options.now, 'buildCaptureMessage');
  const fail = (code: ConstructorParameters<typeof CaptureError>[0], params: Record<string, string | number | { fr: string; en: string }> = {}): never => {
    throw new CaptureError(code, { params, locale });
  };
  const contextIssue = contextProblem(context);
  if (contextIssue !== null) fail('ERR_CAPTURE_CONTEXT_INVALID', { detail: contextIssue });
  const strokes = captured?.strokes;
  const strokesIssue = strokesProblem(strokes);
  if (strokesIssue !== null) fail('ERR_CAPTURE_STROKES_INVALID', { detail: strokesIssue });
  const limit = limitsProblem(strokes, context.limits);
  if (limit !== null) fail(limit.code, limit.params);
  const expected = `${context.image.width}×${context.image.height}`;
  const png = captured.image;
  if (!(png instanceof Uint8Array) || png.length < 24 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) {
    fail('ERR_CAPTURE_IMAGE_INVALID', { expected, detail: { fr: 'signature PNG absente', en: 'no PNG signature' } });
  }
  if (png.length > context.limits.maxImageBytes) fail('ERR_CAPTURE_IMAGE_TOO_LARGE', { received: png.length, limit: context.limits.maxImageBytes });
  const width = u32(png, 16);
  const height = u32(png, 20);
  if (width !== context.image.width || height !== context.image.height) {
    fail('ERR_CAPTURE_IMAGE_INVALID', { expected, detail: { fr: `reçu ${width}×${height}`, en: `received ${width}×${height}` } });
  }
  const at = readClock(now, 'buildCaptureMessage');
  const { issuedAt, expiresAt } = context.context.token;
  if (at.getTime() > Date.parse(expiresAt)) fail('ERR_CAPTURE_CONTEXT_EXPIRED', { expiresAt });
  if (at.getTime() < Date.parse(issuedAt)) fail('ERR_CAPTURE_CLOCK_BEHIND', { now: at.toISOString(), issuedAt });
  const wire = toWireStrokes(strokes, { image: context.image, locale });
  return createCaptureMessage(context, { image: png, strokes: wire, capturedAt: new Date(Math.floor(at.getTime())) });
}

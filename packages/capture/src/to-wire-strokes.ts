import { resolveLocale, type Locale } from '@s3404/core';
import type { WirePoint, WireStroke } from '@s3404/core/wire';
import type { CapturedStroke } from './captured-stroke.js';
import { CaptureError } from './errors/capture-error.js';
import { strokesProblem } from './internal/check-strokes.js';

/**
 * Options of {@link toWireStrokes} (SIG-2).
 *
 * `import type { ToWireStrokesOptions } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * toWireStrokes(pad.strokes, { image: contextMessage.image })
 * ```
 * @public
 */
export interface ToWireStrokesOptions {
  /** The captured image's size in pixels (the context message's `image`): points are kept inside it. */
  readonly image: { readonly width: number; readonly height: number };
  /** Language of error messages. Default French. */
  readonly locale?: Locale;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
const clamp = (v: number, max: number): number => Math.min(Math.max(v, 0), max);

/**
 * Converts the pad's raw strokes to the strokes of the record (SIG-2), the
 * `StrokeSchema` of `@s3404/seal` and `WireStroke` of `@s3404/core/wire`:
 * every point kept (no decimation), `[x, y, t]` — or `[x, y, t, pressure]`
 * for a stylus, the only pointer whose pressure is measured — with `x`, `y`
 * in image pixels (to 1/100 px) and `t` in milliseconds since the first
 * point of the capture (to 1 µs), never decreasing. A point drawn past the
 * pad's edge while the pointer was captured is brought back onto the edge:
 * the record holds points inside the image only.
 *
 * `import { toWireStrokes } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * toWireStrokes([{ pointerType: 'pen', points: [{ x: 10, y: 20, t: 5000, pressure: 0.5, tiltX: 0, tiltY: 0, twist: 0 }] }], { image: { width: 1000, height: 400 } })
 * // [{ pointerType: 'pen', points: [[10, 20, 0, 0.5]] }]
 * ```
 * @throws {@link CaptureError} `ERR_CAPTURE_STROKES_INVALID` (kind `input`) for strokes the pad
 * cannot have produced: not an array, an unknown pointer type, a stroke without points, a channel
 * that is not a finite number in its range, time going backwards.
 * @throws TypeError when `options.image` is not a size of positive integers.
 * @public
 */
export function toWireStrokes(strokes: readonly CapturedStroke[], options: ToWireStrokesOptions): WireStroke[] {
  const image = options?.image;
  if (image === null || typeof image !== 'object' || !Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) {
    throw new TypeError('toWireStrokes: options.image must be { width, height } in pixels (positive integers)');
  }
  const problem = strokesProblem(strokes);
  if (problem !== null) throw new CaptureError('ERR_CAPTURE_STROKES_INVALID', { params: { detail: problem }, locale: resolveLocale(options.locale) });
  const t0 = strokes[0]?.points[0]?.t ?? 0;
  return strokes.map((s) => ({
    pointerType: s.pointerType,
    points: s.points.map((p): WirePoint => {
      const x = round(clamp(p.x, image.width), 2);
      const y = round(clamp(p.y, image.height), 2);
      const t = round(p.t - t0, 3);
      return s.pointerType === 'pen' ? [x, y, t, round(p.pressure, 4)] : [x, y, t];
    }),
  }));
}

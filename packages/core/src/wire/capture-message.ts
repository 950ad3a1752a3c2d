import type { WireContext } from './wire-context.js';

/**
 * One pen point (SIG-2): `[x, y, t]` or `[x, y, t, pressure]`, with `x` and
 * `y` in pixels of the captured image, `t` in milliseconds since the first
 * point of the capture (monotonic, never decreasing over the whole capture),
 * and the pressure in [0, 1].
 *
 * `import type { WirePoint } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * const point: WirePoint = [120.5, 40.25, 33, 0.7]
 * ```
 * @public
 */
export type WirePoint = readonly [number, number, number] | readonly [number, number, number, number];

/**
 * One pen stroke, pen down to pen up (SIG-2): the pointer type as
 * `PointerEvent.pointerType` gives it and its points. The same shape as
 * `Stroke` of `@s3404/seal`.
 *
 * `import type { WireStroke } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * const stroke: WireStroke = { pointerType: 'pen', points: [[10, 10, 0, 0.2], [50, 30, 16, 0.5]] }
 * ```
 * @public
 */
export interface WireStroke {
  readonly pointerType: 'pen' | 'touch' | 'mouse';
  readonly points: readonly WirePoint[];
}

/**
 * The message the signing tablet sends back (SIG-1, SIG-2): the context it
 * showed, echoed unchanged (its token, and its display, tie the capture to
 * what was shown), the end of the capture, the signature as a PNG in base64
 * and the pen strokes. Build it with {@link createCaptureMessage}; its JSON
 * Schema is {@link CAPTURE_MESSAGE_SCHEMA}.
 *
 * `import type { CaptureMessage } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * await fetch('/captures', { method: 'POST', body: JSON.stringify(createCaptureMessage(contextMessage, { image: png, strokes, capturedAt: new Date() })) })
 * ```
 * @public
 */
export interface CaptureMessage {
  readonly type: 's3404.capture';
  readonly version: '1';
  readonly context: WireContext;
  /** ISO 8601 UTC instant with milliseconds, e.g. `2026-03-20T10:00:05.000Z`: the end of the capture. */
  readonly capturedAt: string;
  /** The signature image: a PNG, standard base64 with padding (RFC 4648 §4). */
  readonly image: { readonly mediaType: 'image/png'; readonly data: string };
  readonly strokes?: readonly WireStroke[];
}

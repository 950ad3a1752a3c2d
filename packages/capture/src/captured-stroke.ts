/**
 * The pointer that drew a stroke, as `PointerEvent.pointerType` gives it
 * (SIG-2): a stylus (`pen`), a finger (`touch`) or a mouse.
 *
 * `import type { PointerKind } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * const pens = pad.strokes.filter((s) => s.pointerType === ('pen' satisfies PointerKind))
 * ```
 * @public
 */
export type PointerKind = 'pen' | 'touch' | 'mouse';

/**
 * One raw pen sample, as the browser reported it (SIG-2), with nothing
 * dropped nor smoothed: one per coalesced pointer event.
 *
 * - `x`, `y`: position in pixels of the captured IMAGE (the context
 *   message's `image.width` × `image.height`), whatever the pad's size on
 *   screen, its rotation or the device pixel ratio; a point drawn past the
 *   pad's edge (the pointer is captured) lies outside `[0, width]`;
 * - `t`: the event's `timeStamp`, milliseconds on the page's monotonic clock
 *   (never `Date.now()`), never decreasing over a capture;
 * - `pressure` in [0, 1] (0.5 for a pressed mouse, as Pointer Events define it),
 *   `tiltX`, `tiltY` in degrees [-90, 90], `twist` in degrees [0, 359].
 *
 * `import type { CapturedPoint } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * const p: CapturedPoint = { x: 120.5, y: 40.25, t: 8123.4, pressure: 0.62, tiltX: 12, tiltY: -5, twist: 0 }
 * ```
 * @public
 */
export interface CapturedPoint {
  readonly x: number;
  readonly y: number;
  readonly t: number;
  readonly pressure: number;
  readonly tiltX: number;
  readonly tiltY: number;
  readonly twist: number;
}

/**
 * One stroke, pen down to pen up (SIG-2): the pointer type and every raw
 * sample in time order.
 *
 * `import type { CapturedStroke } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * pad.strokes.forEach((s: CapturedStroke) => console.log(s.pointerType, s.points.length))
 * ```
 * @public
 */
export interface CapturedStroke {
  readonly pointerType: PointerKind;
  readonly points: readonly CapturedPoint[];
}

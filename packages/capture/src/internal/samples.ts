import type { CapturedPoint } from '../captured-stroke.js';

/** One pointer sample as the browser reports it, before it is checked (the fields of a `PointerEvent` the pad reads). */
export interface PointerSample {
  readonly clientX: number;
  readonly clientY: number;
  readonly timeStamp: number;
  readonly pressure: number;
  readonly tiltX: number;
  readonly tiltY: number;
  readonly twist: number;
}

/** Where the pad's drawing surface is on screen (a `DOMRect`'s fields), in CSS pixels. */
export interface SurfaceRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

const num = (v: number, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const within = (v: number, min: number, max: number): number => Math.min(Math.max(v, min), max);

/**
 * Maps a pointer sample to a point of the captured image (SIG-2): the
 * surface's on-screen box, whatever its CSS size, the device pixel ratio or
 * the page's scroll, is the image's `width` × `height`. Channels the device
 * does not have or reports out of range are brought into range (pressure in
 * [0, 1], tilt in [-90, 90], twist in [0, 360)).
 */
export function toImagePoint(sample: PointerSample, rect: SurfaceRect, image: { readonly width: number; readonly height: number }): CapturedPoint {
  const sx = rect.width > 0 ? image.width / rect.width : 0;
  const sy = rect.height > 0 ? image.height / rect.height : 0;
  const twist = num(sample.twist, 0) % 360;
  return Object.freeze({
    x: (num(sample.clientX, rect.left) - rect.left) * sx,
    y: (num(sample.clientY, rect.top) - rect.top) * sy,
    t: num(sample.timeStamp, 0),
    pressure: within(num(sample.pressure, 0), 0, 1),
    tiltX: within(num(sample.tiltX, 0), -90, 90),
    tiltY: within(num(sample.tiltY, 0), -90, 90),
    twist: twist < 0 ? twist + 360 : twist,
  });
}

/**
 * Appends the samples of one pointer event — its coalesced events, which
 * the browser may hand over in any order — to a stroke's points, in time
 * order (a stable sort: samples of equal time keep their order). A sample
 * identical to the last point (same time and position: the same event
 * reported twice) is not repeated; a sample earlier than the last point,
 * which a monotonic clock never gives, keeps its position and takes the
 * last point's time, so that time never goes backwards (SIG-2). Returns the
 * index of the first appended point.
 */
export function appendSamples(points: CapturedPoint[], samples: readonly CapturedPoint[]): number {
  const from = points.length;
  const ordered = samples.length > 1 ? [...samples].sort((a, b) => a.t - b.t) : samples;
  for (const sample of ordered) {
    const last = points[points.length - 1];
    let p = sample;
    if (last !== undefined) {
      if (p.t === last.t && p.x === last.x && p.y === last.y) continue;
      if (p.t < last.t) p = Object.freeze({ ...p, t: last.t });
    }
    points.push(p);
  }
  return from;
}

/**
 * The pen-up sample ends a stroke: kept when the pen moved since the last
 * sample (it carries a position), dropped when it is where the last one was.
 */
export function appendPenUp(points: CapturedPoint[], up: CapturedPoint): number {
  const last = points[points.length - 1];
  if (last !== undefined && last.x === up.x && last.y === up.y) return points.length;
  return appendSamples(points, [up]);
}

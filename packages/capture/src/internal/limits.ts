import type { WireLimits } from '@s3404/core/wire';
import type { CapturedStroke } from '../captured-stroke.js';
import type { CaptureErrorCode } from '../errors/capture-errors.js';
import { MAX_STROKE_POINTS, MAX_STROKES } from './constants.js';

/** A refused capture: its code and the values of its message. */
export interface LimitProblem {
  readonly code: CaptureErrorCode;
  readonly params: Readonly<Record<string, number>>;
}

/**
 * Checks well-formed strokes against the server's limits (SIG-2, X-2), in the
 * order a signer can act on: nothing signed, too many strokes, too many
 * points (over all strokes, or in one stroke beyond what a record holds), a
 * capture that lasts too long from its first to its last point.
 */
export function limitsProblem(strokes: readonly CapturedStroke[], limits: Pick<WireLimits, 'maxPoints' | 'maxCaptureMs'>): LimitProblem | null {
  let points = 0;
  let longest = 0;
  for (const s of strokes) {
    points += s.points.length;
    longest = Math.max(longest, s.points.length);
  }
  if (points === 0) return { code: 'ERR_CAPTURE_EMPTY', params: {} };
  if (strokes.length > MAX_STROKES) return { code: 'ERR_CAPTURE_TOO_MANY_STROKES', params: { received: strokes.length, limit: MAX_STROKES } };
  if (points > limits.maxPoints) return { code: 'ERR_CAPTURE_TOO_MANY_POINTS', params: { received: points, limit: limits.maxPoints } };
  if (longest > MAX_STROKE_POINTS) return { code: 'ERR_CAPTURE_TOO_MANY_POINTS', params: { received: longest, limit: MAX_STROKE_POINTS } };
  const first = strokes.find((s) => s.points.length > 0)!.points[0]!.t;
  const lastStroke = strokes.findLast((s) => s.points.length > 0)!;
  const duration = lastStroke.points[lastStroke.points.length - 1]!.t - first;
  if (duration > limits.maxCaptureMs) {
    return { code: 'ERR_CAPTURE_TOO_LONG', params: { received: Math.ceil(duration / 100) / 10, limit: Math.floor(limits.maxCaptureMs / 100) / 10 } };
  }
  return null;
}

import type { LocalizedText } from '@s3404/core';
import type { CaptureLimits } from '../limits.js';
import type { Stroke } from '../record-schema.js';
import { Failure } from './failure.js';
import { inspectPng } from './png.js';

/** Checks a PNG against the limits; returns its size (SIG-2). */
export function checkImage(png: Uint8Array, limits: CaptureLimits): { width: number; height: number } {
  if (png.length > limits.maxImageBytes) throw new Failure('ERR_IMAGE_TOO_LARGE', 'size', { received: png.length, limit: limits.maxImageBytes });
  const size = inspectPng(png);
  if (size.width < limits.minImageSide || size.height < limits.minImageSide || size.width > limits.maxImageSide || size.height > limits.maxImageSide) {
    throw new Failure('ERR_IMAGE_DIMENSIONS', 'dimensions', {
      received: `${size.width}×${size.height} px`,
      expected: `${limits.minImageSide}…${limits.maxImageSide} px`,
    });
  }
  return size;
}

/**
 * Checks pen strokes (SIG-2): coordinates inside the image (one pixel of
 * tolerance), time in milliseconds, non-decreasing over the whole capture and
 * within the longest capture, pressure in [0, 1], and the point budget.
 * Returns the reason of the first problem, in both languages, or null.
 */
export function strokesProblem(strokes: readonly Stroke[], width: number, height: number, limits: CaptureLimits): LocalizedText | null {
  let points = 0;
  let lastT = 0;
  for (let s = 0; s < strokes.length; s++) {
    const stroke = strokes[s]!;
    points += stroke.points.length;
    if (points > limits.maxPoints) return { fr: `plus de ${limits.maxPoints} points`, en: `more than ${limits.maxPoints} points` };
    for (let i = 0; i < stroke.points.length; i++) {
      const [x, y, t, p] = stroke.points[i]!;
      const where = `strokes[${s}].points[${i}]`;
      if (!Number.isFinite(x) || !Number.isFinite(y) || x < -1 || y < -1 || x > width + 1 || y > height + 1)
        return { fr: `${where} : hors de l'image`, en: `${where}: outside the image` };
      if (!Number.isFinite(t) || t < 0 || t > limits.maxCaptureMs) return { fr: `${where} : temps hors limites`, en: `${where}: time out of range` };
      if (t < lastT) return { fr: `${where} : temps non monotone`, en: `${where}: time goes backwards` };
      lastT = t;
      if (p !== undefined && (!Number.isFinite(p) || p < 0 || p > 1))
        return { fr: `${where} : pression hors de [0, 1]`, en: `${where}: pressure outside [0, 1]` };
    }
  }
  return null;
}

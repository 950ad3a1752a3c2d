import type { LocalizedText } from '@s3404/core';
import { checkSignatureImage } from '@s3404/form';
import type { CaptureLimits } from '../limits.js';
import type { Stroke } from '../record-schema.js';
import { Failure } from './failure.js';

/**
 * Checks a PNG against the limits and decodes it completely with
 * `checkSignatureImage` of `@s3404/form` — the check the placement runs, so
 * that an image sealed (or verified) here can be drawn on a bordereau:
 * chunks, CRCs, header, and pixel data that inflates to exactly the expected
 * size with a valid filter on every scanline (SIG-2, FORM-6, issue 14 #5).
 * Returns its size.
 */
export function checkImage(png: Uint8Array, limits: CaptureLimits): { width: number; height: number } {
  if (png.length > limits.maxImageBytes) throw new Failure('ERR_IMAGE_TOO_LARGE', 'size', { received: png.length, limit: limits.maxImageBytes });
  const check = checkSignatureImage(png, { limits: { maxBytes: limits.maxImageBytes, minSide: limits.minImageSide, maxSide: limits.maxImageSide } });
  if (check.ok) return { width: check.width, height: check.height };
  switch (check.problem) {
    case 'size':
      throw new Failure('ERR_IMAGE_TOO_LARGE', 'size', { received: png.length, limit: limits.maxImageBytes });
    case 'dimensions':
      throw new Failure('ERR_IMAGE_DIMENSIONS', 'dimensions', {
        ...(check.width === undefined ? {} : { received: `${check.width}×${check.height} px` }),
        expected: `${limits.minImageSide}…${limits.maxImageSide} px`,
      });
    case 'pixels':
      throw new Failure('ERR_IMAGE_UNDECODABLE', 'pixels', { detail: check.detail });
    default:
      throw new Failure('ERR_IMAGE_NOT_PNG', 'format', { detail: check.detail });
  }
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

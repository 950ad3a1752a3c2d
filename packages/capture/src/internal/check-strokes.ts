import type { LocalizedText } from '@s3404/core';
import type { CapturedStroke } from '../captured-stroke.js';

const POINTER_TYPES: ReadonlySet<unknown> = new Set(['pen', 'touch', 'mouse']);
/** Farther than this from the image, in pixels, is no pen sample. */
const MAX_COORDINATE = 1e6;
/** `timeStamp`s are milliseconds since the page's time origin: 10¹³ ms is three centuries. */
const MAX_TIME = 1e13;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Whether `strokes` is a capture the pad could have produced (SIG-2): an
 * array of strokes, each with a pointer type and at least one point whose
 * every channel is a finite number in its range, `t` never decreasing over
 * the whole capture. Returns the first problem, in both languages, or null.
 * Sizes are the limits' business (`limitsProblem`), but an array so large
 * that reading it is a denial of service is refused here.
 */
export function strokesProblem(strokes: unknown): LocalizedText | null {
  if (!Array.isArray(strokes)) return { fr: 'un tableau de tracés est attendu', en: 'an array of strokes is expected' };
  let lastT = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < strokes.length; s++) {
    const stroke = strokes[s] as Partial<CapturedStroke> | null;
    const at = `strokes[${s}]`;
    if (stroke === null || typeof stroke !== 'object') return { fr: `${at} n'est pas un tracé`, en: `${at} is not a stroke` };
    if (!POINTER_TYPES.has(stroke.pointerType)) return { fr: `${at}.pointerType inconnu`, en: `${at}.pointerType is unknown` };
    const points = stroke.points;
    if (!Array.isArray(points) || points.length === 0) return { fr: `${at}.points vide`, en: `${at}.points is empty` };
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as Record<string, unknown> | null;
      const where = `${at}.points[${i}]`;
      if (p === null || typeof p !== 'object') return { fr: `${where} n'est pas un point`, en: `${where} is not a point` };
      for (const k of ['x', 'y', 't', 'pressure', 'tiltX', 'tiltY', 'twist'] as const) {
        if (!finite(p[k])) return { fr: `${where}.${k} n'est pas un nombre fini`, en: `${where}.${k} is not a finite number` };
      }
      const { x, y, t, pressure, tiltX, tiltY, twist } = p as unknown as Record<string, number>;
      if (Math.abs(x!) > MAX_COORDINATE || Math.abs(y!) > MAX_COORDINATE)
        return { fr: `${where} : coordonnée hors de ±10⁶`, en: `${where}: coordinate beyond ±10⁶` };
      if (t! < 0 || t! > MAX_TIME) return { fr: `${where}.t hors de [0, 10¹³]`, en: `${where}.t outside [0, 10¹³]` };
      if (pressure! < 0 || pressure! > 1) return { fr: `${where}.pressure hors de [0, 1]`, en: `${where}.pressure outside [0, 1]` };
      if (Math.abs(tiltX!) > 90 || Math.abs(tiltY!) > 90) return { fr: `${where} : inclinaison hors de [-90, 90]`, en: `${where}: tilt outside [-90, 90]` };
      if (twist! < 0 || twist! >= 360) return { fr: `${where}.twist hors de [0, 360[`, en: `${where}.twist outside [0, 360)` };
      if (t! < lastT) return { fr: `${where} : temps décroissant`, en: `${where}: time goes backwards` };
      lastT = t!;
    }
  }
  return null;
}

/** Throws nothing: the total number of points of well-formed strokes. */
export function pointCount(strokes: readonly CapturedStroke[]): number {
  let n = 0;
  for (const s of strokes) n += s.points.length;
  return n;
}

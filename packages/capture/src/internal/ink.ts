import type { CapturedPoint, PointerKind } from '../captured-stroke.js';

/** What the pad draws with: the part of `CanvasRenderingContext2D` it uses (no DOM types, testable in Node). */
export interface InkSurface {
  lineWidth: number;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number): void;
  stroke(): void;
  fill(): void;
}

/** The ink's base width for an image: 1 % of its smaller side, at least 2 px. */
export function baseWidth(image: { readonly width: number; readonly height: number }): number {
  return Math.max(2, Math.min(image.width, image.height) / 100);
}

/** Width of the ink at a point: a stylus's pressure modulates it (0.5, the default pressure, gives the base width). */
export function inkWidth(kind: PointerKind, point: CapturedPoint, base: number): number {
  return kind === 'pen' ? base * (0.35 + 1.3 * point.pressure) : base;
}

const mid = (a: CapturedPoint, b: CapturedPoint): { x: number; y: number } => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** The dot a stroke starts with: a tap is visible. */
export function drawStart(ctx: InkSurface, kind: PointerKind, points: readonly CapturedPoint[], base: number): void {
  const p = points[0];
  if (p === undefined) return;
  ctx.beginPath();
  ctx.arc(p.x, p.y, inkWidth(kind, p, base) / 2, 0, Math.PI * 2);
  ctx.fill();
}

/**
 * Draws the segment that point `i` (≥ 1) completes, smoothed for the eye
 * only (the record keeps the raw points): a quadratic curve from the middle
 * of the previous segment, through point `i - 1`, to the middle of the
 * segment ending at point `i`.
 */
export function drawSegment(ctx: InkSurface, kind: PointerKind, points: readonly CapturedPoint[], i: number, base: number): void {
  const a = points[i - 1];
  const b = points[i];
  if (a === undefined || b === undefined) return;
  const start = i === 1 ? a : mid(points[i - 2]!, a);
  const end = mid(a, b);
  ctx.beginPath();
  ctx.lineWidth = (inkWidth(kind, a, base) + inkWidth(kind, b, base)) / 2;
  ctx.moveTo(start.x, start.y);
  ctx.quadraticCurveTo(a.x, a.y, end.x, end.y);
  ctx.stroke();
}

/** Draws the last half segment, to the last point, once the pen is up. */
export function drawTail(ctx: InkSurface, kind: PointerKind, points: readonly CapturedPoint[], base: number): void {
  const n = points.length;
  if (n < 2) return;
  const a = points[n - 2]!;
  const b = points[n - 1]!;
  const start = mid(a, b);
  ctx.beginPath();
  ctx.lineWidth = inkWidth(kind, b, base);
  ctx.moveTo(start.x, start.y);
  ctx.lineTo(b.x, b.y);
  ctx.stroke();
}

/** Draws points `from…to-1` of a stroke as the pad draws them live: the start dot, each segment, the tail when `complete`. */
export function drawStroke(ctx: InkSurface, kind: PointerKind, points: readonly CapturedPoint[], base: number, complete: boolean, to = points.length): void {
  if (to < 1) return;
  drawStart(ctx, kind, points, base);
  for (let i = 1; i < to; i++) drawSegment(ctx, kind, points, i, base);
  if (complete && to === points.length) drawTail(ctx, kind, points, base);
}

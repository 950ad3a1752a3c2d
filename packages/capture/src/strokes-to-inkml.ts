import { resolveLocale, type Locale } from '@s3404/core';
import type { CapturedStroke, PointerKind } from './captured-stroke.js';
import { CaptureError } from './errors/capture-error.js';
import { strokesProblem } from './internal/check-strokes.js';

/**
 * Options of {@link strokesToInkML} (SIG-2).
 *
 * `import type { StrokesToInkMLOptions } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * strokesToInkML(pad.strokes, { image: { width: 1000, height: 400 }, startedAt: new Date(), locale: 'en' })
 * ```
 * @public
 */
export interface StrokesToInkMLOptions {
  /** The captured image's size in pixels (the context message's `image`): the ink source's active area. */
  readonly image: { readonly width: number; readonly height: number };
  /**
   * The wall-clock instant of the first point, written as the InkML
   * `<timestamp>` the T channel is relative to. Default: none (T is then
   * relative to the first point only).
   */
  readonly startedAt?: Date;
  /** Language of error messages and of the ink sources' descriptions. Default French. */
  readonly locale?: Locale;
}

const INKML_NS = 'http://www.w3.org/2003/InkML';
const KINDS: readonly PointerKind[] = ['pen', 'touch', 'mouse'];
const DESCRIPTION: Record<Locale, Record<PointerKind, string>> = {
  fr: { pen: 'stylet', touch: 'doigt', mouse: 'souris' },
  en: { pen: 'stylus', touch: 'finger', mouse: 'mouse' },
};

/** Escapes text for an XML attribute value or element content (XML 1.0 §2.4, §3.3.3). */
function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A decimal with at most `digits` fraction digits, no exponent, no trailing zeros, never `-0` (InkML `decimal`). */
function decimal(v: number, digits: number): string {
  const s = v.toFixed(digits).replace(/\.?0+$/, '');
  return s === '-0' || s === '' ? '0' : s;
}

/**
 * Exports strokes as W3C InkML (InkML 2011, https://www.w3.org/TR/InkML/),
 * for vendors who archive the pen's biometrics in another system (SIG-2):
 * one `<inkSource>` per pointer type used (its `<traceFormat>` with the
 * channels X and Y in image pixels, T in milliseconds since the first point
 * of the capture, F the pressure in [0, 1], OTx and OTy the tilt and OR the
 * twist in degrees; its `<activeArea>` the image size), one `<context>` per
 * source, one `<trace>` per stroke with every raw point, decimals, lossless
 * to 1/1000 of a pixel and of a millisecond. Well-formed, namespaced,
 * UTF-8 XML; every attribute escaped.
 *
 * `import { strokesToInkML } from '@s3404/capture'`
 *
 * @example
 * ```ts
 * const xml = strokesToInkML(pad.strokes, { image: { width: 1000, height: 400 } })
 * // <?xml version="1.0" encoding="UTF-8"?><ink xmlns="http://www.w3.org/2003/InkML">…<trace contextRef="#ctx-pen">10 20 0 0.5 12 -5 0, …</trace></ink>
 * ```
 * @throws {@link CaptureError} `ERR_CAPTURE_STROKES_INVALID` (kind `input`) for strokes the pad cannot have produced.
 * @throws TypeError when `options.image` is not a size of positive integers or `startedAt` is not a valid Date.
 * @public
 */
export function strokesToInkML(strokes: readonly CapturedStroke[], options: StrokesToInkMLOptions): string {
  const image = options?.image;
  if (image === null || typeof image !== 'object' || !Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) {
    throw new TypeError('strokesToInkML: options.image must be { width, height } in pixels (positive integers)');
  }
  if (options.startedAt !== undefined && (!(options.startedAt instanceof Date) || Number.isNaN(options.startedAt.getTime()))) {
    throw new TypeError('strokesToInkML: options.startedAt must be a valid Date');
  }
  const locale = resolveLocale(options.locale);
  const problem = strokesProblem(strokes);
  if (problem !== null) throw new CaptureError('ERR_CAPTURE_STROKES_INVALID', { params: { detail: problem }, locale });
  const used = KINDS.filter((k) => strokes.some((s) => s.pointerType === k));
  const t0 = strokes[0]?.points[0]?.t ?? 0;
  const w = String(image.width);
  const h = String(image.height);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<ink xmlns="${INKML_NS}">`, '<definitions>'];
  const respectTo = options.startedAt === undefined ? '' : ' respectTo="#ts0"';
  if (options.startedAt !== undefined) out.push(`<timestamp xml:id="ts0" timeString="${escapeXml(options.startedAt.toISOString())}"/>`);
  for (const kind of used) {
    const description = `${DESCRIPTION[locale][kind]} (PointerEvent.pointerType=${kind}), ${w}×${h} px`;
    out.push(
      `<inkSource xml:id="src-${kind}" manufacturer="s3404" model="@s3404/capture s3404-signature-pad" description="${escapeXml(description)}">`,
      `<traceFormat xml:id="tf-${kind}">`,
      '<channel name="X" type="decimal" units="px"/>',
      '<channel name="Y" type="decimal" units="px"/>',
      `<channel name="T" type="decimal" units="ms"${respectTo}/>`,
      '<channel name="F" type="decimal" min="0" max="1"/>',
      '<channel name="OTx" type="decimal" units="deg" min="-90" max="90"/>',
      '<channel name="OTy" type="decimal" units="deg" min="-90" max="90"/>',
      '<channel name="OR" type="decimal" units="deg" min="0" max="359"/>',
      '</traceFormat>',
      '<sampleRate uniform="false"/>',
      `<activeArea width="${w}" height="${h}" units="px"/>`,
      `<srcProperty name="pointerType" value="${kind}"/>`,
      '</inkSource>',
      `<context xml:id="ctx-${kind}" inkSourceRef="#src-${kind}" traceFormatRef="#tf-${kind}"/>`,
    );
  }
  out.push('</definitions>');
  for (const s of strokes) {
    const values = s.points.map(
      (p) =>
        `${decimal(p.x, 3)} ${decimal(p.y, 3)} ${decimal(p.t - t0, 3)} ${decimal(p.pressure, 4)} ${decimal(p.tiltX, 2)} ${decimal(p.tiltY, 2)} ${decimal(p.twist, 2)}`,
    );
    out.push(`<trace contextRef="#ctx-${s.pointerType}">${values.join(', ')}</trace>`);
  }
  out.push('</ink>');
  return `${out.join('\n')}\n`;
}

/**
 * `@s3404/capture` — the signing tablet's screen (SIG-1, SIG-2): the Web
 * Component `<s3404-signature-pad>` (custom element, shadow DOM, no
 * framework; usable from plain HTML, React, Vue or Angular), which shows the
 * capture context legibly and out of reach of the page's CSS, captures the
 * pen losslessly (Pointer Events, coalesced samples, pressure, tilt, twist,
 * monotonic time, image-pixel coordinates) and produces exactly what
 * `@s3404/seal` accepts — a PNG within the server's limits and the strokes —
 * as the `CaptureMessage` of `@s3404/core/wire`, plus a W3C InkML export.
 *
 * The DOM-free parts — {@link buildCaptureMessage}, {@link toWireStrokes},
 * {@link strokesToInkML} — run anywhere; importing the package has no side
 * effect and works without a DOM (the element is defined by
 * {@link defineSignaturePad}). Coded errors: `@s3404/capture/errors`.
 *
 * @packageDocumentation
 */
export type { CapturedPoint, CapturedStroke, PointerKind } from './captured-stroke.js';
export {
  SignaturePadElement,
  defineSignaturePad,
  type DefineSignaturePadOptions,
  type ReplayOptions,
  type SignaturePadChangeDetail,
  type SignaturePadErrorDetail,
  type ToCaptureMessageOptions,
} from './signature-pad.js';
export { buildCaptureMessage, type BuildCaptureMessageOptions, type CaptureInput } from './build-capture-message.js';
export { toWireStrokes, type ToWireStrokesOptions } from './to-wire-strokes.js';
export { strokesToInkML, type StrokesToInkMLOptions } from './strokes-to-inkml.js';
export { CAPTURE_ERRORS, CaptureError, type CaptureErrorCode } from './errors/index.js';

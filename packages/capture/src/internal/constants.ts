/** Most strokes in one capture: `SignatureRecordSchema` of `@s3404/seal` (SIG-2). */
export const MAX_STROKES = 1000;
/** Most points in one stroke: `StrokeSchema` of `@s3404/seal` (SIG-2). */
export const MAX_STROKE_POINTS = 100_000;
/** The image sides the SDK accepts anywhere: `SIGNATURE_IMAGE_LIMITS` of `@s3404/form` (FORM-6). */
export const MIN_IMAGE_SIDE = 8;
export const MAX_IMAGE_SIDE = 4096;
/** The largest PNG the SDK accepts anywhere, in bytes (FORM-6). */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** The image size used before a context arrives (the server's default, `toContextMessage` of `@s3404/seal`). */
export const DEFAULT_IMAGE = Object.freeze({ width: 1000, height: 400 });
/** Smallest legible text on a 10-inch tablet, in CSS pixels (SIG-1). */
export const MIN_TEXT_PX = 18;

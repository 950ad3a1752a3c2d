import type { WireContext } from './wire-context.js';

/**
 * The limits the server will apply to the capture (SIG-2, X-2), sent to the
 * tablet so that it produces a capture the server accepts: the largest PNG in
 * bytes, the smallest and largest image side in pixels, the most pen points
 * over all strokes, the longest capture from first to last point in
 * milliseconds.
 *
 * `import type { WireLimits } from '@s3404/core/wire'`
 *
 * @example
 * ```json
 * { "maxImageBytes": 524288, "minImageSide": 16, "maxImageSide": 4096, "maxPoints": 200000, "maxCaptureMs": 600000 }
 * ```
 * @public
 */
export interface WireLimits {
  readonly maxImageBytes: number;
  readonly minImageSide: number;
  readonly maxImageSide: number;
  readonly maxPoints: number;
  readonly maxCaptureMs: number;
}

/**
 * The message the server sends to the signing tablet (SIG-1): the capture
 * context to show and echo, the size of the PNG the tablet must produce, the
 * limits the server applies, and the language of the screen. Its JSON Schema
 * is {@link CONTEXT_MESSAGE_SCHEMA}.
 *
 * `import type { ContextMessage } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * const message: ContextMessage = await (await fetch('/contexts', { method: 'POST', body })).json()
 * pad.context = message
 * ```
 * @public
 */
export interface ContextMessage {
  readonly type: 's3404.capture-context';
  readonly version: '1';
  readonly context: WireContext;
  /** The size in pixels of the PNG the tablet must produce. */
  readonly image: { readonly width: number; readonly height: number };
  readonly limits: WireLimits;
  /** Language of the screen and of the tablet's messages. */
  readonly locale: 'fr' | 'en';
}

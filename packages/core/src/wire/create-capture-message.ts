import { toBase64 } from '../bytes/base64.js';
import type { CaptureMessage, WireStroke } from './capture-message.js';
import type { ContextMessage } from './context-message.js';
import type { WireContext } from './wire-context.js';
import { WIRE_MESSAGE_TYPES, WIRE_VERSION } from './wire-version.js';

/**
 * What the tablet captured (SIG-2): the PNG, the strokes, the end of the
 * capture — the second argument of {@link createCaptureMessage}.
 *
 * `import type { CapturedSignature } from '@s3404/core/wire'`
 *
 * @public
 */
export interface CapturedSignature {
  /** The signature image, PNG bytes, of the size the context message asks for. */
  readonly image: Uint8Array;
  /** The pen strokes, lossless: coordinates in image pixels, `t` in ms since the first point. */
  readonly strokes?: readonly WireStroke[];
  /** The end of the capture; sent as an ISO 8601 UTC instant with milliseconds. */
  readonly capturedAt: Date;
}

/**
 * Builds the {@link CaptureMessage} the tablet sends back (SIG-1, SIG-2): the
 * context of `context` echoed unchanged (a deep copy, display included — the
 * server compares it with what it issued), the PNG in standard base64, a copy
 * of the strokes, and the end of the capture. It does not judge the data:
 * the server checks the image, the strokes and the context
 * (`readCaptureMessage` and the sealer of `@s3404/seal`).
 *
 * `import { createCaptureMessage } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * const message = createCaptureMessage(contextMessage, { image: png, strokes, capturedAt: new Date() })
 * await fetch('/captures', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) })
 * ```
 * @throws TypeError (programmer misuse only) when `context` is not a context message, `image` is not a
 * `Uint8Array`, `capturedAt` is not a valid `Date`, or `strokes` is not an array of strokes with point arrays.
 * @public
 */
export function createCaptureMessage(context: ContextMessage, captured: CapturedSignature): CaptureMessage {
  if (
    context === null ||
    typeof context !== 'object' ||
    context.type !== WIRE_MESSAGE_TYPES.context ||
    context.context === null ||
    typeof context.context !== 'object'
  ) {
    throw new TypeError(`createCaptureMessage: context must be a ${WIRE_MESSAGE_TYPES.context} message`);
  }
  if (captured === null || typeof captured !== 'object') throw new TypeError('createCaptureMessage: the captured signature is required');
  if (!(captured.image instanceof Uint8Array)) throw new TypeError('createCaptureMessage: image must be PNG bytes (Uint8Array)');
  if (!(captured.capturedAt instanceof Date) || Number.isNaN(captured.capturedAt.getTime())) {
    throw new TypeError('createCaptureMessage: capturedAt must be a valid Date');
  }
  const strokes = captured.strokes === undefined ? undefined : copyStrokes(captured.strokes);
  return {
    type: WIRE_MESSAGE_TYPES.capture,
    version: WIRE_VERSION,
    context: copyJson(context.context, 0) as WireContext,
    capturedAt: captured.capturedAt.toISOString(),
    image: { mediaType: 'image/png', data: toBase64(captured.image) },
    ...(strokes === undefined ? {} : { strokes }),
  };
}

function copyStrokes(strokes: readonly WireStroke[]): WireStroke[] {
  if (!Array.isArray(strokes)) throw new TypeError('createCaptureMessage: strokes must be an array');
  return strokes.map((s, i) => {
    if (s === null || typeof s !== 'object' || !Array.isArray(s.points))
      throw new TypeError(`createCaptureMessage: strokes[${i}] must be a stroke with points`);
    return {
      pointerType: s.pointerType,
      points: (s.points as readonly unknown[]).map((p: unknown, j: number) => {
        if (!Array.isArray(p)) throw new TypeError(`createCaptureMessage: strokes[${i}].points[${j}] must be an array`);
        return [...p] as unknown as WireStroke['points'][number];
      }),
    };
  });
}

/** A deep copy of plain JSON data (the context as received); what JSON cannot hold is dropped as JSON.stringify drops it. */
function copyJson(value: unknown, depth: number): unknown {
  if (depth > 32) throw new TypeError('createCaptureMessage: context is nested too deeply');
  if (Array.isArray(value)) return value.map((v) => copyJson(v, depth + 1) ?? null);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const copy = copyJson(v, depth + 1);
      if (copy !== undefined) Object.defineProperty(out, k, { value: copy, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' ? undefined : value;
}

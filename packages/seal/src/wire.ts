import { formatPath, fromBase64, isS3404Error, resolveLocale, type Issue, type Locale, type LocalizedText } from '@s3404/core';
import {
  WIRE_MESSAGE_TYPES,
  WIRE_VERSION,
  type CaptureMessage,
  type ContextMessage,
  type ErrorMessage,
  type WireContext,
  type WireIssue,
} from '@s3404/core/wire';
import { z } from 'zod';
import type { CaptureContext, CaptureDisplay, SignatureCapture } from './capture-context.js';
import { SealError } from './errors/seal-error.js';
import { SEAL_ERRORS } from './errors/seal-errors.js';
import { resolveLimits, type CaptureLimits } from './limits.js';
import { ContextTokenSchema, RecordSignerSchema, RoleSchema, ScopeSchema, SignatureRecordSchema, StrokeSchema, type Stroke } from './record-schema.js';
import { checkImage, strokesProblem } from './internal/check-capture.js';
import { Failure } from './internal/failure.js';

/** Strings shown on the screen: no C0 or C1 control, no line or paragraph separator, no U+FFFD, no lone surrogate (as the JSON Schema of `@s3404/core/wire`). */
const SHOWN = /^(?:[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufffd]|[\ud800-\udbff][\udc00-\udfff])*$/;
/** Length first, and nothing else on a longer string: the pattern never runs on megabytes (its alternation would fill V8's backtracking stack). */
const shown = (max: number) => z.string().max(max, { abort: true }).min(1).regex(SHOWN);

/**
 * The display of a capture context (SIG-1) as a capture may carry it: the
 * bounds of the wire format (`CAPTURE_MESSAGE_SCHEMA` of `@s3404/core/wire`).
 * The sealer checks a capture's display against it before comparing it with
 * the display it issued. Internal to the package.
 */
export const CaptureDisplaySchema = z.strictObject({
  timestamp: z
    .string()
    .max(19, { abort: true })
    .regex(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/),
  bordereauId: z
    .string()
    .max(31, { abort: true })
    .regex(/^(?:[0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z*~$=U]$/)
    .optional(),
  contentHash: z
    .string()
    .max(64, { abort: true })
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  line: z.int().min(1).max(9999).optional(),
  accountingDay: shown(64).optional(),
  role: shown(64),
  signerName: shown(200),
  mandate: shown(64).optional(),
  lines: z.array(shown(512)).min(1).max(16),
});

/** The wire format's bounds on strokes (`StrokeSchema` and the record schema). */
const MAX_STROKES = 1000;
const MAX_STROKE_POINTS = 100_000;

const WireContextSchema = z.strictObject({
  token: ContextTokenSchema,
  scope: ScopeSchema,
  role: RoleSchema,
  signer: RecordSignerSchema,
  terminal: SignatureRecordSchema.shape.terminal,
  mandate: SignatureRecordSchema.shape.mandate,
  display: CaptureDisplaySchema,
});

const CaptureMessageSchema = z.strictObject({
  type: z.literal(WIRE_MESSAGE_TYPES.capture),
  version: z.literal(WIRE_VERSION),
  context: WireContextSchema,
  capturedAt: SignatureRecordSchema.shape.capturedAt,
  image: z.strictObject({ mediaType: z.literal('image/png'), data: z.string().min(1) }),
  strokes: z.array(StrokeSchema).min(1).max(MAX_STROKES).optional(),
});

/** Options of {@link toContextMessage} (SIG-1). @public */
export interface ToContextMessageOptions {
  /**
   * The limits the sealer applies (give the sealer's `limits`), sent to the
   * tablet so that it produces what the sealer accepts. Default
   * {@link CAPTURE_LIMITS}.
   */
  readonly limits?: Partial<CaptureLimits>;
  /**
   * The size of the PNG the tablet must produce, in pixels, within the
   * limits' sides. Default 1000 × 400 (brought within the limits' sides).
   */
  readonly image?: { readonly width: number; readonly height: number };
  /** Language of the tablet's screen: give the locale the context was created with. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * Turns a capture context the sealer opened into the {@link ContextMessage}
 * sent to the signing tablet (SIG-1): the context as plain data (token,
 * scope, role, signer, terminal, mandate, display), the size of the PNG to
 * produce, the limits the sealer applies, the language of the screen. The
 * tablet shows `context.display` and echoes `context` unchanged in its
 * capture; {@link readCaptureMessage} reads that capture back.
 *
 * `import { toContextMessage } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const ctx = await sealer.openContext({ scope, role: 'insured', signer, terminalId: 'tablette-3' })
 * response.end(JSON.stringify(toContextMessage(ctx, { limits: sealerLimits })))
 * ```
 * @throws TypeError (programmer misuse) when `context` is not a capture context, `limits` are not positive integers
 * within `SIGNATURE_IMAGE_LIMITS` of `@s3404/form`, or `image` is not a size in pixels within the limits' sides.
 * @public
 */
export function toContextMessage(context: CaptureContext, options: ToContextMessageOptions = {}): ContextMessage {
  if (context === null || typeof context !== 'object' || context.token === undefined || context.display === undefined) {
    throw new TypeError('toContextMessage: a capture context is required (Sealer.openContext)');
  }
  const limits = resolveLimits(options.limits);
  const clamp = (n: number): number => Math.min(limits.maxImageSide, Math.max(limits.minImageSide, n));
  const image = options.image ?? { width: clamp(1000), height: clamp(400) };
  for (const side of [image.width, image.height]) {
    if (!Number.isInteger(side) || side < limits.minImageSide || side > limits.maxImageSide) {
      throw new TypeError(`toContextMessage: image sides must be integers within ${limits.minImageSide}…${limits.maxImageSide} px`);
    }
  }
  const wire: WireContext = {
    token: { nonce: context.token.nonce, issuedAt: context.token.issuedAt, expiresAt: context.token.expiresAt },
    scope: plain(context.scope),
    role: context.role,
    signer: plain(context.signer),
    terminal: { id: context.terminal.id },
    ...(context.mandate === undefined ? {} : { mandate: { reference: context.mandate.reference } }),
    display: plain<CaptureDisplay>(context.display),
  };
  return {
    type: WIRE_MESSAGE_TYPES.context,
    version: WIRE_VERSION,
    context: wire,
    image: { width: image.width, height: image.height },
    limits: {
      maxImageBytes: limits.maxImageBytes,
      minImageSide: limits.minImageSide,
      maxImageSide: limits.maxImageSide,
      // The wire format's bounds: 1,000 strokes of 100,000 points, one day of capture.
      maxPoints: Math.min(limits.maxPoints, MAX_STROKES * MAX_STROKE_POINTS),
      maxCaptureMs: Math.min(limits.maxCaptureMs, 86_400_000),
    },
    locale: resolveLocale(options.locale),
  };
}

/** Options of {@link readCaptureMessage} (SIG-1, SIG-2). @public */
export interface ReadCaptureMessageOptions {
  /** The limits the sealer applies (give the sealer's `limits`). Default {@link CAPTURE_LIMITS}. */
  readonly limits?: Partial<CaptureLimits>;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
  /**
   * The terminal the request was AUTHENTICATED as (its key, its client
   * certificate). The capture is attributed to it, whatever terminal the
   * message names: a capture of a context opened for another terminal is
   * then refused by the sealer (`ERR_CONTEXT_MISMATCH`, field `terminal`).
   * Default: the terminal the message names — only for a server that
   * authenticates terminals some other way.
   */
  readonly terminalId?: string;
}

/**
 * Reads the {@link CaptureMessage} a signing tablet sent (SIG-1, SIG-2) into
 * the {@link SignatureCapture} the sealer seals, or refuses it with a coded
 * error. Strict: a closed, bounded message of type `s3404.capture` and
 * version `1`, the echoed context valid as the record schema requires, the
 * image in strict base64 (canonical padding, no white space), a PNG that
 * decodes within the limits, strokes inside the image with time never going
 * backwards — the sealer's own checks and codes. Any JSON value gets a
 * `SealError`, never another exception, in time linear in its size.
 *
 * It does not judge the context: `Sealer.seal` refuses a capture whose
 * context it did not issue (`ERR_CONTEXT_UNKNOWN`, also for a replay),
 * that expired (`ERR_CONTEXT_EXPIRED`) or that differs from the one it
 * issued (`ERR_CONTEXT_MISMATCH` with `params.field`: `display` for an
 * altered display, `terminal` for another terminal's context…).
 *
 * `import { readCaptureMessage } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * try {
 *   const capture = readCaptureMessage(JSON.parse(body), { limits, terminalId: authenticatedTerminal, locale })
 *   const sealed = await sealer.seal(capture)
 * } catch (e) {
 *   response.end(JSON.stringify(toErrorMessage(e, { locale })))
 * }
 * ```
 * @throws {@link SealError} `ERR_RECORD_INVALID` (`detail` and one issue per path, e.g. `context.display.lines[2]`)
 * for a malformed message — wrong type or version, a missing, extra or out-of-bounds field, base64 that is not strict;
 * `ERR_IMAGE_TOO_LARGE`, `ERR_IMAGE_NOT_PNG`, `ERR_IMAGE_UNDECODABLE`, `ERR_IMAGE_DIMENSIONS` for the image;
 * `ERR_STROKES_INVALID` for strokes with no points, out of the image, with time going backwards or beyond
 * `maxPoints` / `maxCaptureMs`. All of kind `verdict`.
 * @throws TypeError (programmer misuse) for `limits` that are not positive integers within `SIGNATURE_IMAGE_LIMITS`
 * of `@s3404/form`, or a `terminalId` that is not a string of 1 to 128 characters.
 * @public
 */
export function readCaptureMessage(message: unknown, options: ReadCaptureMessageOptions = {}): SignatureCapture {
  const locale = resolveLocale(options.locale);
  const limits = resolveLimits(options.limits);
  const terminalId = options.terminalId;
  if (terminalId !== undefined && (typeof terminalId !== 'string' || terminalId.length === 0 || terminalId.length > 128)) {
    throw new TypeError('readCaptureMessage: terminalId must be a string of 1 to 128 characters');
  }
  const invalid = (paths: readonly (readonly (string | number)[])[]): SealError => {
    const issues: Issue[] = paths.map((path) => ({
      code: 'ERR_RECORD_INVALID',
      path,
      message: SEAL_ERRORS.message('ERR_RECORD_INVALID', { detail: formatPath(path, locale) }, locale),
    }));
    const detail = clip(paths.map((p) => formatPath(p, locale)).join(', '), 200);
    return new SealError('ERR_RECORD_INVALID', { params: { detail }, locale, issues });
  };
  const strokesInvalid = (detail: LocalizedText): SealError => new SealError('ERR_STROKES_INVALID', { params: { detail }, locale });

  // 1. A message of this format and version.
  if (message === null || typeof message !== 'object' || Array.isArray(message)) throw invalid([[]]);
  const m = message as { readonly [key: string]: unknown };
  if (m.type !== WIRE_MESSAGE_TYPES.capture) throw invalid([['type']]);
  if (m.version !== WIRE_VERSION) throw invalid([['version']]);
  // 2. Strokes: the sealer's codes for no points and too many points, before any costly parsing.
  const early = strokesBudget(m.strokes, limits);
  if (early !== null) throw early.code === 'ERR_STROKES_INVALID' ? strokesInvalid(early.detail) : invalid([early.path]);
  // 3. The whole message, closed and bounded — no string of the context longer than its longest field first:
  //    the schema's patterns must never run on megabytes.
  const long = longStringPath(m.context, ['context'], 0);
  if (long !== null) throw invalid([long]);
  const parsed = CaptureMessageSchema.safeParse(message);
  if (!parsed.success) {
    const paths = parsed.error.issues.slice(0, 20).map((i) => {
      const path = i.path.filter((p): p is string | number => typeof p !== 'symbol').map((p) => (typeof p === 'string' ? clip(p, 64) : p));
      const extra = i.code === 'unrecognized_keys' ? i.keys[0] : undefined;
      return extra === undefined ? path : [...path, clip(extra, 64)];
    });
    throw invalid(paths);
  }
  const c = parsed.data;
  const broken = loneSurrogatePath(c.context, ['context']);
  if (broken !== null) throw invalid([broken]);
  // 4. The image: its size before decoding, strict base64, then the sealer's PNG checks.
  const data = c.image.data;
  if (data.length > 4 * Math.ceil(limits.maxImageBytes / 3)) {
    throw new SealError('ERR_IMAGE_TOO_LARGE', { params: { received: Math.floor((data.length * 3) / 4), limit: limits.maxImageBytes }, locale });
  }
  const image = fromBase64(data);
  if (image === null) throw invalid([['image', 'data']]);
  let size: { width: number; height: number };
  try {
    size = checkImage(image, limits);
  } catch (e) {
    if (e instanceof Failure) throw new SealError(e.code, { params: e.params, locale });
    throw e;
  }
  // 5. The strokes, inside this image, time never going backwards.
  const strokes = c.strokes as Stroke[] | undefined;
  if (strokes !== undefined) {
    const problem = strokesProblem(strokes, size.width, size.height, limits);
    if (problem !== null) throw strokesInvalid(problem);
  }
  const ctx = c.context;
  return {
    context: ctx.token,
    scope: ctx.scope,
    role: ctx.role,
    signer: ctx.signer,
    terminal: { id: terminalId ?? ctx.terminal.id },
    ...(ctx.mandate === undefined ? {} : { mandate: { reference: ctx.mandate.reference } }),
    capturedAt: c.capturedAt,
    image,
    ...(strokes === undefined ? {} : { strokes }),
    display: ctx.display as CaptureDisplay,
  };
}

/** Options of {@link toErrorMessage}. @public */
export interface ToErrorMessageOptions {
  /** Language of the message. Default French; anything but English is French. */
  readonly locale?: Locale;
}

const CODE = /^ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;
const MAX_MESSAGE = 2000;

/**
 * The {@link ErrorMessage} a server answers the tablet for a failure:
 * a coded error of the SDK (`SealError`, `FormError`, any `S3404Error`) gives
 * its code, its kind, its message in the requested language and its issues
 * (at most 100; an `ERR_RECORD_INVALID` issue, named by its path, in the
 * requested language too, other issues in the language they were made in);
 * anything else gives `ERR_INTERNAL` (kind `internal`) with a
 * fixed message that reveals nothing of the error — log the error itself on
 * the server. Always valid against `ERROR_MESSAGE_SCHEMA` of
 * `@s3404/core/wire`.
 *
 * `import { toErrorMessage } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * catch (e) {
 *   const answer = toErrorMessage(e, { locale: 'en' })
 *   response.writeHead(answer.kind === 'internal' ? 500 : answer.kind === 'unavailable' ? 503 : 422).end(JSON.stringify(answer))
 * }
 * ```
 * @public
 */
export function toErrorMessage(error: unknown, options: ToErrorMessageOptions = {}): ErrorMessage {
  const locale = resolveLocale(options.locale);
  if (isS3404Error(error) && CODE.test(error.code) && error.code.length <= 64) {
    const messageIn = (error as { messageIn?: unknown }).messageIn;
    const message = typeof messageIn === 'function' ? String(messageIn.call(error, locale)) : error.message;
    const list: readonly unknown[] = Array.isArray(error.issues) ? error.issues : [];
    const issues: WireIssue[] = list.slice(0, 100).map((item) => {
      const i = (item !== null && typeof item === 'object' ? item : {}) as { readonly code?: unknown; readonly path?: unknown; readonly message?: unknown };
      const path = (Array.isArray(i.path) ? (i.path as readonly unknown[]) : [])
        .slice(0, 64)
        .map((p) => (typeof p === 'number' && Number.isInteger(p) && p >= 0 ? p : String(p).slice(0, 200)));
      const code = typeof i.code === 'string' && CODE.test(i.code) && i.code.length <= 64 ? i.code : error.code;
      // A malformed field is named by its path alone: its message is rebuilt in the language asked for.
      const text =
        code === 'ERR_RECORD_INVALID'
          ? SEAL_ERRORS.message(code, { detail: formatPath(path, locale) }, locale)
          : typeof i.message === 'string'
            ? i.message
            : '';
      return { code, path, message: bounded(text, error.code) };
    });
    return {
      type: WIRE_MESSAGE_TYPES.error,
      version: WIRE_VERSION,
      code: error.code,
      kind: error.kind,
      message: bounded(message, error.code),
      ...(issues.length === 0 ? {} : { issues }),
    };
  }
  return {
    type: WIRE_MESSAGE_TYPES.error,
    version: WIRE_VERSION,
    code: 'ERR_INTERNAL',
    kind: 'internal',
    message: SEAL_ERRORS.message('ERR_INTERNAL', {}, locale),
  };
}

/** A message within the wire format's bounds: 1…2,000 characters (the code when empty). */
function bounded(message: string, code: string): string {
  if (message.length === 0) return code;
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}

/** A key of the message as a message may show it: at most `max` characters, control characters replaced by U+FFFD. */
function clip(text: string, max: number): string {
  const shown = (text.length > max * 2 ? text.slice(0, max * 2) : text).replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
  return shown.length <= max ? shown : `${shown.slice(0, max - 1)}…`;
}

/** A deep copy of plain data (a context the sealer made): what the wire carries. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type Early =
  | { readonly code: 'ERR_STROKES_INVALID'; readonly detail: LocalizedText }
  | { readonly code: 'ERR_RECORD_INVALID'; readonly path: readonly (string | number)[] };

/**
 * The sealer's stroke codes for what a schema would call malformed: no
 * stroke, a stroke with no points, more points than `maxPoints` (SIG-2); and
 * more strokes or points than the format holds, found by counting, before
 * the schema parses every point.
 */
function strokesBudget(strokes: unknown, limits: CaptureLimits): Early | null {
  if (!Array.isArray(strokes)) return null;
  if (strokes.length === 0) return { code: 'ERR_STROKES_INVALID', detail: { fr: 'aucun tracé', en: 'no stroke' } };
  if (strokes.length > MAX_STROKES) return { code: 'ERR_RECORD_INVALID', path: ['strokes'] };
  let points = 0;
  for (let s = 0; s < strokes.length; s++) {
    const stroke = strokes[s] as { readonly points?: unknown } | null;
    const list = stroke !== null && typeof stroke === 'object' && Object.hasOwn(stroke, 'points') ? stroke.points : undefined;
    if (!Array.isArray(list)) continue;
    if (list.length === 0) return { code: 'ERR_STROKES_INVALID', detail: { fr: `strokes[${s}] : aucun point`, en: `strokes[${s}]: no points` } };
    if (list.length > MAX_STROKE_POINTS) return { code: 'ERR_RECORD_INVALID', path: ['strokes', s, 'points'] };
    points += list.length;
    if (points > limits.maxPoints)
      return { code: 'ERR_STROKES_INVALID', detail: { fr: `plus de ${limits.maxPoints} points`, en: `more than ${limits.maxPoints} points` } };
  }
  return null;
}

/** The longest string of a context: a display line. */
const MAX_CONTEXT_STRING = 512;

/**
 * The path of the first string of a context longer than any of its fields
 * can be, or null. Goes no deeper than a context goes (the schema refuses
 * what lies deeper without reading it), so it runs in time linear in the
 * message and never overflows the stack.
 */
function longStringPath(value: unknown, path: (string | number)[], depth: number): (string | number)[] | null {
  if (typeof value === 'string') return value.length > MAX_CONTEXT_STRING ? path : null;
  if (depth >= 6 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = longStringPath(value[i], [...path, i], depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const k of Object.keys(value)) {
    const found = longStringPath((value as Record<string, unknown>)[k], [...path, clip(k, 64)], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** The path of the first string holding a lone UTF-16 surrogate (no JSON text, no canonical JSON can carry it), or null. */
function loneSurrogatePath(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === 'string') return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogatePath(value[i], [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = loneSurrogatePath(v, [...path, k]);
      if (found !== null) return found;
    }
  }
  return null;
}

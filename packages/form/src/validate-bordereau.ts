import type { z } from 'zod';
import { BordereauSchema, type Bordereau } from './model/bordereau.js';
import { LIMITS } from './model/limits.js';
import { coherenceIssues } from './checks/coherence.js';
import { InputError, ValidationError } from './errors/s3404-error.js';
import { formatPath, type Issue } from './errors/issue.js';
import { messageFor, truncateForMessage, type MessageParams } from './errors/messages.js';
import { DEFAULT_LOCALE, type Locale } from './errors/locale.js';

/** Options of the validation functions (FORM-2). */
export interface ValidateOptions {
  /** Language of the messages. Default `'fr'`. */
  readonly locale?: Locale;
}

/**
 * Result of {@link validateBordereau}: the parsed bordereau, or every issue (FORM-2).
 *
 * @public
 */
export type ValidationResult =
  | { readonly success: true; readonly data: Bordereau; readonly issues: readonly [] }
  | {
      readonly success: false;
      readonly issues: readonly Issue[];
      /** Issues found beyond `LIMITS.maxIssues`, counted but not listed. */
      readonly omitted: number;
    };

const TYPE_NAMES: Record<string, string> = {
  string: 'texte / string',
  number: 'nombre / number',
  int: 'entier / integer',
  boolean: 'booléen / boolean',
  object: 'objet / object',
  array: 'tableau / array',
};

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'tableau / array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'number' ? `nombre ${value}` : typeof value === 'string' ? `texte ${truncateForMessage(value)}` : typeof value;
}

function toIssues(zodIssue: z.core.$ZodIssue, locale: Locale): Issue[] {
  const path = zodIssue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const input = (zodIssue as { input?: unknown }).input;
  const params: MessageParams = {
    received: input === undefined ? undefined : truncateForMessage(input),
    ...((zodIssue as { params?: MessageParams }).params ?? {}),
  };
  const coded = /^ERR_[A-Z0-9_]+$/.test(zodIssue.message) ? zodIssue.message : undefined;
  const make = (code: string, p: MessageParams, at = path): Issue => ({ code, path: at, message: messageFor(code, p, locale) });

  switch (zodIssue.code) {
    case 'unrecognized_keys':
      return zodIssue.keys.map((key) => make('ERR_UNKNOWN_KEY', { received: truncateForMessage(key) }, [...path, key]));
    case 'invalid_type':
      if (input === undefined) return [make('ERR_REQUIRED', { expected: TYPE_NAMES[zodIssue.expected] ?? zodIssue.expected })];
      if (coded === 'ERR_AMOUNT_NOT_CENTS') return [make(coded, { ...params, example: '123450 (= 1 234,50 €)' })];
      return [make('ERR_TYPE', { expected: TYPE_NAMES[zodIssue.expected] ?? zodIssue.expected, received: describeType(input) })];
    case 'invalid_value':
      return [make('ERR_VALUE_NOT_ALLOWED', { ...params, expected: zodIssue.values.map((v) => JSON.stringify(v)).join(', ') })];
    case 'invalid_union': {
      const options = (zodIssue as { options?: unknown[] }).options;
      if (input === undefined && options === undefined) return [make('ERR_REQUIRED', {})];
      const received = truncateForMessage((input as { nomenclature?: unknown } | undefined)?.nomenclature);
      return [make('ERR_VALUE_NOT_ALLOWED', { expected: (options ?? []).map((v) => JSON.stringify(v)).join(', '), received })];
    }
    case 'too_big':
    case 'too_small': {
      const limit = Number(zodIssue.code === 'too_big' ? zodIssue.maximum : zodIssue.minimum);
      const bound = zodIssue.code === 'too_big' ? `≤ ${limit}` : `${zodIssue.inclusive === false ? '>' : '≥'} ${limit}`;
      if (coded === 'ERR_TEXT_TOO_LONG') return [make(coded, { limit, received: `${String(input).length} caractères` })];
      if (coded === 'ERR_TOO_MANY_LINES') return [make(coded, { limit, received: Array.isArray(input) ? input.length : undefined })];
      return [make(coded ?? 'ERR_NUMBER_RANGE', { ...params, expected: bound })];
    }
    default:
      return [make(coded ?? 'ERR_FORMAT', { expected: '—', ...params })];
  }
}

/**
 * Validates a bordereau and reports every problem as data (FORM-1, FORM-2):
 * structure and types, identifier keys (NIR, FINESS, RPPS, UCD), code
 * shapes (CCAM, LPP), printable text, then — once the structure is sound —
 * date coherence, line amounts, totals and the AMO/AMC/assuré split.
 * Never throws for bad data.
 *
 * `import { validateBordereau } from '@s3404/form'`
 *
 * @example
 * ```ts
 * const result = validateBordereau(json, { locale: 'en' })
 * if (!result.success) for (const i of result.issues) console.log(i.code, i.path, i.message)
 * ```
 * @public
 */
export function validateBordereau(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const parsed = BordereauSchema.safeParse(input, { reportInput: true });
  let issues: Issue[];
  if (parsed.success) {
    issues = coherenceIssues(parsed.data).map((r) => ({ code: r.code, path: r.path, message: messageFor(r.code, r.params, locale) }));
    if (issues.length === 0) return { success: true, data: parsed.data, issues: [] };
  } else {
    issues = parsed.error.issues.flatMap((i) => toIssues(i, locale));
  }
  const omitted = Math.max(0, issues.length - LIMITS.maxIssues);
  return { success: false, issues: issues.slice(0, LIMITS.maxIssues), omitted };
}

/**
 * Validates a bordereau and returns it, or throws (FORM-2).
 *
 * @throws ValidationError `ERR_BORDEREAU_INVALID` with every issue in `issues`.
 * @public
 */
export function parseBordereau(input: unknown, options: ValidateOptions = {}): Bordereau {
  const result = validateBordereau(input, options);
  if (result.success) return result.data;
  throw invalid(result.issues, result.omitted, options.locale ?? DEFAULT_LOCALE);
}

function invalid(issues: readonly Issue[], omitted: number, locale: Locale): ValidationError {
  const first = issues[0]!;
  const detail = `${formatPath(first.path, locale)} — ${first.message}`;
  return new ValidationError('ERR_BORDEREAU_INVALID', messageFor('ERR_BORDEREAU_INVALID', { received: issues.length + omitted, detail }, locale), issues);
}

/**
 * Reads JSON text (or UTF-8 bytes) into a value, with coded errors for
 * oversized input, bad encoding and syntax errors.
 *
 * @throws InputError `ERR_INPUT_TOO_LARGE`, `ERR_INPUT_ENCODING` or `ERR_JSON_SYNTAX`.
 * @public
 */
export function readJson(input: string | Uint8Array, options: ValidateOptions = {}): unknown {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > LIMITS.maxJsonBytes) {
    throw new InputError('ERR_INPUT_TOO_LARGE', messageFor('ERR_INPUT_TOO_LARGE', { received: size, limit: LIMITS.maxJsonBytes }, locale));
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (cause) {
      throw new InputError('ERR_INPUT_ENCODING', messageFor('ERR_INPUT_ENCODING', {}, locale), { cause });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const detail = cause instanceof SyntaxError ? cause.message.slice(0, 160) : undefined;
    throw new InputError('ERR_JSON_SYNTAX', messageFor('ERR_JSON_SYNTAX', detail === undefined ? {} : { detail }, locale), { cause });
  }
}

/**
 * Reads and validates a bordereau from JSON text or bytes (FORM-2).
 *
 * @throws InputError when the JSON cannot be read; ValidationError when it is not a valid bordereau.
 * @public
 */
export function parseBordereauJson(input: string | Uint8Array, options: ValidateOptions = {}): Bordereau {
  return parseBordereau(readJson(input, options), options);
}

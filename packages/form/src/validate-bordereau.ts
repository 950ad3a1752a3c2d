import type { z } from 'zod';
import { BordereauSchema, type Bordereau } from './model/bordereau.js';
import { LIMITS } from './model/limits.js';
import { coherenceIssues } from './checks/coherence.js';
import { formatPath, resolveLocale, truncateForMessage, type Issue, type Locale, type LocalizedText, type MessageParams } from '@s3404/core';
import { FormError } from './errors/form-error.js';
import { FORM_ERRORS, type FormErrorCode } from './errors/form-errors.js';
import { scanJson, type JsonProblem } from './internal/strict-json.js';
import { nirFormatProblem } from './checks/nir.js';

/** Options of the validation functions (FORM-2). */
export interface ValidateOptions {
  /** Language of the messages. Default `'fr'`; anything but English gives French. */
  readonly locale?: Locale;
}

/**
 * The verdict of {@link validateBordereau}: `ok` with the parsed bordereau,
 * or every issue (FORM-2).
 *
 * @public
 */
export type ValidationResult =
  | { readonly ok: true; readonly data: Bordereau; readonly issues: readonly [] }
  | {
      readonly ok: false;
      readonly issues: readonly Issue[];
      /** Issues found beyond `LIMITS.maxIssues`, counted but not listed. */
      readonly omitted: number;
    };

const TYPE_NAMES: Record<string, LocalizedText> = {
  string: { fr: 'un texte', en: 'a string' },
  number: { fr: 'un nombre', en: 'a number' },
  int: { fr: 'un entier', en: 'an integer' },
  boolean: { fr: 'un booléen', en: 'a boolean' },
  object: { fr: 'un objet', en: 'an object' },
  array: { fr: 'un tableau', en: 'an array' },
};

const typeName = (expected: string): LocalizedText | string => TYPE_NAMES[expected] ?? expected;

function describeType(value: unknown): LocalizedText | string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return { fr: `un tableau de ${value.length}`, en: `an array of ${value.length}` };
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'number') return { fr: `le nombre ${value}`, en: `the number ${value}` };
  if (typeof value === 'string') return { fr: `le texte ${truncateForMessage(value)}`, en: `the string ${truncateForMessage(value)}` };
  if (typeof value === 'boolean') return { fr: `le booléen ${value}`, en: `the boolean ${value}` };
  return TYPE_NAMES[typeof value] ?? typeof value;
}

function toIssues(zodIssue: z.core.$ZodIssue, locale: Locale): Issue[] {
  const path = zodIssue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const input = (zodIssue as { input?: unknown }).input;
  const params: MessageParams = {
    received: input === undefined ? undefined : truncateForMessage(input),
    ...((zodIssue as { params?: MessageParams }).params ?? {}),
  };
  const coded = /^ERR_[A-Z0-9_]+$/.test(zodIssue.message) ? zodIssue.message : undefined;
  const make = (code: string, p: MessageParams, at = path): Issue => ({ code, path: at, message: FORM_ERRORS.message(code as FormErrorCode, p, locale) });

  switch (zodIssue.code) {
    case 'unrecognized_keys':
      return zodIssue.keys.map((key) => make('ERR_UNKNOWN_KEY', { received: truncateForMessage(key) }, [...path, key]));
    case 'invalid_type':
      if (input === undefined) return [make('ERR_REQUIRED', { expected: typeName(zodIssue.expected) })];
      if (coded === 'ERR_AMOUNT_NOT_CENTS') return [make(coded, { ...params, example: '123450 (= 1 234,50 €)' })];
      return [make('ERR_TYPE', { expected: typeName(zodIssue.expected), received: describeType(input) })];
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
      if (coded === 'ERR_TEXT_TOO_LONG') {
        const n = String(input).length;
        return [make(coded, { limit, received: { fr: `${n} caractères`, en: `${n} characters` } })];
      }
      if (coded === 'ERR_TOO_MANY_LINES') return [make(coded, { limit, received: Array.isArray(input) ? input.length : undefined })];
      return [make(coded ?? 'ERR_NUMBER_RANGE', { ...params, expected: bound })];
    }
    default:
      // The NIR's shape says which character is wrong (a letter O for a zero…), not only "13 characters".
      if (coded === 'ERR_NIR_FORMAT') return [make(coded, nirFormatProblem(input)?.params ?? params)];
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
 * if (!result.ok) for (const i of result.issues) console.log(i.code, i.path, i.message)
 * ```
 * @public
 */
export function validateBordereau(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const locale = resolveLocale(options.locale);
  const parsed = BordereauSchema.safeParse(input, { reportInput: true });
  let issues: Issue[];
  if (parsed.success) {
    issues = coherenceIssues(parsed.data).map((r) => ({ code: r.code, path: r.path, message: FORM_ERRORS.message(r.code as FormErrorCode, r.params, locale) }));
    if (issues.length === 0) return { ok: true, data: parsed.data, issues: [] };
  } else {
    issues = parsed.error.issues.flatMap((i) => toIssues(i, locale));
  }
  const omitted = Math.max(0, issues.length - LIMITS.maxIssues);
  return { ok: false, issues: issues.slice(0, LIMITS.maxIssues), omitted };
}

/**
 * Validates a bordereau and returns it, or throws (FORM-2): the throwing
 * form of {@link validateBordereau}.
 *
 * `import { parseBordereau } from '@s3404/form'`
 *
 * @example
 * ```ts
 * const bordereau = parseBordereau(JSON.parse(text))
 * ```
 * @throws {@link FormError} `ERR_BORDEREAU_INVALID` (kind `verdict`) with every issue in `issues`.
 * @public
 */
export function parseBordereau(input: unknown, options: ValidateOptions = {}): Bordereau {
  const result = validateBordereau(input, options);
  if (result.ok) return result.data;
  throw invalidBordereau(result.issues, result.omitted, resolveLocale(options.locale));
}

/** The error that sums up an invalid bordereau: the count and the first issue (FORM-2). */
export function invalidBordereau(issues: readonly Issue[], omitted: number, locale: Locale): FormError {
  const first = issues[0]!;
  const detail = `${formatPath(first.path, locale)} — ${first.message}`;
  return new FormError('ERR_BORDEREAU_INVALID', { params: { received: issues.length + omitted, detail }, issues, locale });
}

/**
 * Reads JSON text (or UTF-8 bytes) into a value, with coded errors for
 * oversized input, bad encoding, syntax errors (with their line and column)
 * and keys repeated in one object. `JSON.parse` silently keeps the
 * last of two equal keys; a bordereau whose `"nir"` appears twice is
 * ambiguous, so it is refused, at any depth, naming the key, its path, line
 * and column. Objects and arrays nest at most 512 levels deep.
 *
 * `import { readJson } from '@s3404/form'`
 *
 * @example
 * ```ts
 * const value = readJson(readFileSync('bordereau.json'))
 * ```
 * @throws {@link FormError} `ERR_INPUT_TOO_LARGE`, `ERR_INPUT_ENCODING`, `ERR_JSON_SYNTAX` or `ERR_JSON_DUPLICATE_KEY` (kind `input`),
 * with `params.line` and `params.column` for the last two.
 * @public
 */
export function readJson(input: string | Uint8Array, options: ValidateOptions = {}): unknown {
  const locale = resolveLocale(options.locale);
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > LIMITS.maxJsonBytes) throw new FormError('ERR_INPUT_TOO_LARGE', { params: { received: size, limit: LIMITS.maxJsonBytes }, locale });
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (cause) {
      throw new FormError('ERR_INPUT_ENCODING', { locale, cause });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // JSON.parse keeps the last of two equal keys and gives no line: scan strictly first.
  const problem = scanJson(text);
  if (problem !== null) throw jsonError(problem, locale);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    // Unreachable when the scanner and JSON.parse agree (the fuzz test checks it): still a coded error.
    throw new FormError('ERR_JSON_SYNTAX', { locale, cause });
  }
}

/** The coded error of a strict-scan problem: syntax (`ERR_JSON_SYNTAX`) or a repeated key (`ERR_JSON_DUPLICATE_KEY`), with line and column. */
function jsonError(problem: JsonProblem, locale: Locale): FormError {
  const { line, column } = problem;
  if (problem.kind === 'syntax') {
    const params = { line, column, detail: problem.detail };
    return new FormError('ERR_JSON_SYNTAX', {
      params,
      locale,
      issues: [{ code: 'ERR_JSON_SYNTAX', path: [], message: FORM_ERRORS.message('ERR_JSON_SYNTAX', params, locale) }],
    });
  }
  const params = { line, column, key: truncateForMessage(problem.key), path: formatPath(problem.path, locale) };
  const message = FORM_ERRORS.message('ERR_JSON_DUPLICATE_KEY', params, locale);
  return new FormError('ERR_JSON_DUPLICATE_KEY', { params, locale, issues: [{ code: 'ERR_JSON_DUPLICATE_KEY', path: problem.path, message }] });
}

/**
 * Reads and validates a bordereau from JSON text or bytes (FORM-2).
 *
 * `import { parseBordereauJson } from '@s3404/form'`
 *
 * @example
 * ```ts
 * const bordereau = parseBordereauJson(readFileSync('bordereau.json'), { locale: 'en' })
 * ```
 * @throws {@link FormError} of kind `input` when the JSON cannot be read; `ERR_BORDEREAU_INVALID` (kind `verdict`) when it is not a valid bordereau.
 * @public
 */
export function parseBordereauJson(input: string | Uint8Array, options: ValidateOptions = {}): Bordereau {
  return parseBordereau(readJson(input, options), options);
}

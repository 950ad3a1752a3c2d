import { identifierCheck, type IdentifierCheck, type IdentifierProblem, type Locale, type LocalizedText } from '@s3404/core';
import { FORM_ERRORS } from './errors/form-errors.js';
import { unsupportedCharacter } from './internal/charset.js';

/** Control characters: C0, DEL, C1, and the line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/**
 * Invisible format characters (Unicode category Cf) that change how a text
 * reads without showing: bidirectional marks, embeddings, overrides and
 * isolates (U+200E, U+200F, U+202A…U+202E, U+2066…U+2069), zero-width
 * characters, the soft hyphen, the BOM, interlinear annotations. They are
 * named, never echoed, in messages.
 */
const INVISIBLE = /\p{Cf}/u;

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const hex = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** `U+202E, a bidirectional control (invisible)` — never the character itself. */
function describeInvisible(ch: string): LocalizedText {
  if (BIDI.test(ch)) return { fr: `${hex(ch)}, contrôle invisible du sens d’écriture`, en: `${hex(ch)}, an invisible bidirectional control` };
  return { fr: `${hex(ch)}, caractère invisible`, en: `${hex(ch)}, an invisible character` };
}

/** Options of {@link printableTextProblem} and {@link checkPrintableText}. @public */
export interface PrintableTextOptions {
  /** Longest text accepted, in UTF-16 code units (as `String.length` counts). Default 200. */
  readonly max?: number;
}

/**
 * The one text policy of the SDK for every name and label it prints — on the
 * bordereau, on a signature's capture screen and caption, in a sealed
 * record (FORM-2, SIG-1, SIG-2): a string of 1 to `max` characters, not only
 * white space, without control characters or invisible ones (bidirectional
 * overrides such as U+202E, which can make "Jeanne" read as something else,
 * zero-width characters), without U+FFFD (the mark of a text decoded with
 * the wrong encoding), and only characters the embedded font can print
 * (the Latin repertoire, see `docs/limits.md`). Returns the problem's code
 * and message values, or `null` when the text is acceptable: the building
 * block of {@link checkPrintableText}, for schemas that localise later.
 *
 * `import { printableTextProblem } from '@s3404/form'`
 *
 * @example
 * ```ts
 * printableTextProblem('Jeanne Martin')            // null
 * printableTextProblem('Jeanne \u202eNITRAM')?.code // 'ERR_TEXT_UNSUPPORTED_CHAR' (U+202E, an invisible bidirectional control)
 * printableTextProblem('   ')?.code                 // 'ERR_TEXT_EMPTY'
 * ```
 * @public
 */
export function printableTextProblem(value: unknown, options: PrintableTextOptions = {}): IdentifierProblem {
  const max = options.max ?? 200;
  if (typeof value !== 'string') return { code: 'ERR_TYPE', params: { expected: { fr: 'un texte', en: 'a string' } } };
  if (value.length > max)
    return { code: 'ERR_TEXT_TOO_LONG', params: { limit: max, received: { fr: `${value.length} caractères`, en: `${value.length} characters` } } };
  const control = CONTROL.exec(value);
  if (control !== null) return { code: 'ERR_TEXT_CONTROL_CHAR', params: { detail: hex(control[0]) } };
  const invisible = INVISIBLE.exec(value);
  if (invisible !== null) return { code: 'ERR_TEXT_UNSUPPORTED_CHAR', params: { detail: describeInvisible(invisible[0]) } };
  if (value.includes('\ufffd')) return { code: 'ERR_TEXT_REPLACEMENT_CHAR', params: {} };
  if (value.trim() === '') return { code: 'ERR_TEXT_EMPTY', params: {} };
  const bad = unsupportedCharacter(value);
  return bad === null ? null : { code: 'ERR_TEXT_UNSUPPORTED_CHAR', params: { detail: bad } };
}

/**
 * Checks a name or label against the SDK's one text policy (see
 * {@link printableTextProblem}) and returns a verdict: `ok`, or the problem's
 * `code`, `params` and one issue at `path` (FORM-2, SIG-2).
 *
 * `import { checkPrintableText } from '@s3404/form'`
 *
 * @example
 * ```ts
 * checkPrintableText('Jeanne Martin').ok // true
 * checkPrintableText('Jeanne\u202e', { locale: 'en', path: ['signer', 'name'] }).issues[0]?.message
 * // 'Character cannot be printed (U+202E, an invisible bidirectional control): only visible Latin characters are accepted.'
 * ```
 * @returns a verdict: `ok`, else `ERR_TYPE`, `ERR_TEXT_TOO_LONG`, `ERR_TEXT_CONTROL_CHAR`, `ERR_TEXT_REPLACEMENT_CHAR`,
 * `ERR_TEXT_EMPTY` or `ERR_TEXT_UNSUPPORTED_CHAR`.
 * @public
 */
export function checkPrintableText(
  value: unknown,
  options: PrintableTextOptions & { readonly locale?: Locale; readonly path?: readonly (string | number)[] } = {},
): IdentifierCheck {
  return identifierCheck(FORM_ERRORS, printableTextProblem(value, options), options);
}

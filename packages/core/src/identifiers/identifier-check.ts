import type { ErrorCatalog, MessageParams } from '../errors/define-errors.js';
import type { Issue } from '../errors/issue.js';
import type { Locale } from '../errors/locale.js';

/**
 * What an identifier check found (FORM-2): a stable code and the values of
 * its message, or `null` when the value is valid. The building block of
 * {@link IdentifierCheck}, for schemas that localise later.
 *
 * @public
 */
export type IdentifierProblem = { readonly code: string; readonly params: MessageParams } | null;

/** Options of the identifier checks (FORM-2). @public */
export interface IdentifierCheckOptions {
  /** Language of the issue's message. Default French. */
  readonly locale?: Locale | string;
  /** Path of the value in the caller's data, for the issue. Default `[]`. */
  readonly path?: readonly (string | number)[];
}

/**
 * The verdict of an identifier check (FORM-2): `ok`, and otherwise the
 * problem's `code`, its message `params` and one {@link Issue}.
 *
 * @example
 * ```ts
 * const check = checkFiness('750712185', { locale: 'en' })
 * if (!check.ok) console.log(check.issues[0].message) // 'Wrong FINESS key: expected 4; received 5 (Luhn key).'
 * ```
 * @public
 */
export type IdentifierCheck =
  | { readonly ok: true; readonly issues: readonly [] }
  | { readonly ok: false; readonly code: string; readonly params: MessageParams; readonly issues: readonly [Issue] };

/**
 * Turns an {@link IdentifierProblem} into an {@link IdentifierCheck}, its
 * message from `catalog` (FORM-2). For packages defining their own checks.
 *
 * @public
 */
export function identifierCheck<C extends string>(catalog: ErrorCatalog<C>, problem: IdentifierProblem, options: IdentifierCheckOptions = {}): IdentifierCheck {
  if (problem === null) return { ok: true, issues: [] };
  const message = catalog.message(problem.code as C, problem.params, options.locale);
  return { ok: false, code: problem.code, params: problem.params, issues: [{ code: problem.code, path: options.path ?? [], message }] };
}

/**
 * One data problem found in a bordereau (FORM-2): a stable `code`, the `path`
 * of the offending value in the model and a human message (French by default).
 *
 * @example
 * ```json
 * { "code": "ERR_NIR_KEY", "path": ["insured", "nirKey"], "message": "Clé NIR incorrecte : attendu 38, reçu 39." }
 * ```
 * @public
 */
export interface Issue {
  /** Stable code, e.g. `ERR_NIR_KEY`; never changes between versions. */
  readonly code: string;
  /** Where the problem is: object keys and array indexes from the root. */
  readonly path: readonly (string | number)[];
  /** Human explanation: what failed, what was expected, what was received. */
  readonly message: string;
}

/**
 * Formats an issue path as a dotted string: `fees[2].practitioner.rpps` (FORM-2).
 *
 * @public
 */
export function formatPath(path: readonly (string | number)[], locale: 'fr' | 'en' = 'fr'): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  if (out !== '') return out;
  return locale === 'fr' ? '(racine)' : '(root)';
}

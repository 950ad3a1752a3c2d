import type { Locale } from './locale.js';

/**
 * One problem found in some data (FORM-2, X-2): a stable `code`, the `path`
 * of the offending value from the root of the input, and a human message
 * (French by default). Validation reports problems as data: a list of issues.
 *
 * `import type { Issue } from '@s3404/core'`
 *
 * @example
 * ```json
 * { "code": "ERR_NIR_KEY", "path": ["insured", "nirKey"], "message": "Clé NIR incorrecte : attendu 38 ; reçu 39." }
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
 * Formats an issue path as a dotted string, e.g. `fees[2].practitioner.rpps`
 * (FORM-2). The empty path is the root: `(racine)` / `(root)`.
 *
 * `import { formatPath } from '@s3404/core'`
 *
 * @example
 * ```ts
 * formatPath(['fees', 2, 'rpps']) // 'fees[2].rpps'
 * ```
 * @public
 */
export function formatPath(path: readonly (string | number)[], locale: Locale = 'fr'): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  if (out !== '') return out;
  return locale === 'en' ? '(root)' : '(racine)';
}

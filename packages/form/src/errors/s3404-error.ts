import type { Issue } from './issue.js';

/**
 * Base class of every coded error thrown by the s3404 packages.
 *
 * Check `error.code` (a stable `ERR_…` string) rather than `instanceof` across
 * packages: two installed copies of a package break `instanceof`, never `code`.
 *
 * `import { S3404Error } from '@s3404/form/errors'`
 *
 * @example
 * ```ts
 * try { parseBordereau(json) } catch (e) {
 *   if (e instanceof S3404Error && e.code === 'ERR_BORDEREAU_INVALID') console.log(e.issues)
 * }
 * ```
 * @public
 */
export class S3404Error extends Error {
  /** Stable machine-readable code, e.g. `ERR_BORDEREAU_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A bordereau (or another input) failed validation; `issues` lists every
 * problem as data (FORM-2).
 *
 * @public
 */
export class ValidationError extends S3404Error {
  /** Every problem found, in document order (capped, see `truncated`). */
  readonly issues: readonly Issue[];

  constructor(code: string, message: string, issues: readonly Issue[], options?: { cause?: unknown }) {
    super(code, message, options);
    this.issues = issues;
  }
}

/**
 * Input that cannot be read at all: invalid JSON, wrong encoding, too large,
 * not a PDF…. Exit code 2 in the CLI contract.
 *
 * @public
 */
export class InputError extends S3404Error {}

/**
 * The PDF could not be produced or modified as asked: invalid layout template,
 * unknown signature slot, unreadable vendor PDF, overflow of an overlay table
 * (FORM-4…FORM-6).
 *
 * @public
 */
export class RenderError extends S3404Error {}

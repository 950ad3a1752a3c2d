import type { ErrorCatalog, MessageParams } from './define-errors.js';
import type { ErrorKind } from './error-kind.js';
import type { Issue } from './issue.js';
import { resolveLocale, type Locale } from './locale.js';

/** Options of a coded error. @public */
export interface S3404ErrorOptions {
  /** The values the message is built from (never secrets). */
  readonly params?: MessageParams | undefined;
  /** Language of `message`. Default French; see {@link resolveLocale}. */
  readonly locale?: Locale | string | undefined;
  /** Detailed problems, when the error sums up a validation. */
  readonly issues?: readonly Issue[] | undefined;
  /** The error this one wraps (a driver failure, a parser's error…). */
  readonly cause?: unknown;
}

/**
 * Base class of every coded error thrown by the s3404 packages: a
 * stable `code` (`ERR_…`), its {@link ErrorKind}, the `params` its message
 * was built from, the `issues` of a validation, and `cause` when it wraps
 * another error. The message comes from the package's catalogue, in French
 * by default; {@link S3404Error.messageIn} gives it in the other language.
 *
 * Test `error.code` (or {@link isS3404Error}) rather than `instanceof` across
 * packages: two installed copies of a package break `instanceof`, never `code`.
 *
 * `import { S3404Error } from '@s3404/core'`
 *
 * @example
 * ```ts
 * try { parseBordereau(json) } catch (e) {
 *   if (isS3404Error(e) && e.kind === 'verdict') for (const i of e.issues) console.log(i.code, i.message)
 * }
 * ```
 * @public
 */
export class S3404Error<C extends string = string> extends Error {
  /** Stable machine-readable code, e.g. `ERR_BORDEREAU_INVALID`. */
  readonly code: C;
  /** What kind of failure: bad input, negative verdict, unavailable, internal. */
  readonly kind: ErrorKind;
  /** The values the message was built from. */
  readonly params: MessageParams;
  /** Every problem found, when the error sums up a validation (else empty). */
  readonly issues: readonly Issue[];
  readonly #catalog: ErrorCatalog<C>;

  constructor(catalog: ErrorCatalog<C>, code: C, options: S3404ErrorOptions = {}) {
    const params = options.params ?? {};
    super(catalog.message(code, params, resolveLocale(options.locale)), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.kind = catalog.kind(code);
    this.params = params;
    this.issues = options.issues ?? [];
    this.#catalog = catalog;
  }

  /** The message in another language, from the same parameters. */
  messageIn(locale: Locale | string): string {
    return this.#catalog.message(this.code, this.params, resolveLocale(locale));
  }
}

/**
 * Whether `value` is a coded error of the SDK, by shape rather than class
 * (two copies of a package defeat `instanceof`): an `Error` with an `ERR_…`
 * `code` and a known `kind`.
 *
 * `import { isS3404Error } from '@s3404/core'`
 *
 * @public
 */
export function isS3404Error(value: unknown): value is S3404Error {
  if (!(value instanceof Error)) return false;
  const v = value as Partial<S3404Error>;
  return (
    typeof v.code === 'string' && v.code.startsWith('ERR_') && (v.kind === 'input' || v.kind === 'verdict' || v.kind === 'unavailable' || v.kind === 'internal')
  );
}

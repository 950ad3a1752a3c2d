import { S3404Error, type Issue, type Locale, type MessageParams, type S3404ErrorOptions } from '@s3404/core';
import { SCOR_ERRORS, type ScorErrorCode } from './scor-errors.js';

/**
 * A problem found in a PJ or a lot (SCOR-1, SCOR-2, X-2): a stable code, the
 * path of the offending value (`['invoices', 2, 'pj', 0, 'pages', 1]`), a
 * message (French by default), and whether it refuses the PJ or the lot
 * (`error`) or only reports a repair the reader made (`warning`).
 *
 * `import type { ScorIssue } from '@s3404/scor/errors'`
 *
 * @example
 * ```json
 * { "code": "ERR_PJ_RESOLUTION_TOO_LOW", "severity": "error", "path": ["pages", 0, "images", 0], "params": { "page": 1, "image": "Im0", "dpi": 150, "min": 200 },
 *   "message": "Page 1 : image numérisée à 150 dpi (image Im0), 200 dpi au moins attendus (numérisez à 200 dpi ou plus)." }
 * ```
 * @public
 */
export interface ScorIssue extends Issue {
  readonly code: ScorErrorCode;
  readonly severity: 'error' | 'warning';
  /** The values the message was built from (language parameters as `{ fr, en }`). */
  readonly params: MessageParams;
}

/**
 * Options of a {@link ScorError}: core's error options, with the SCOR issues of a refused lot.
 *
 * `import type { ScorErrorOptions } from '@s3404/scor/errors'`
 *
 * @public
 */
export interface ScorErrorOptions extends S3404ErrorOptions {
  /** Every problem, for `ERR_LOT_REFUSED`. */
  readonly issues?: readonly ScorIssue[] | undefined;
}

/**
 * A coded error of `@s3404/scor` (SCOR-1…SCOR-3, X-2): a refused lot (with
 * its `issues`), a lifecycle step that is not allowed, an unavailable or
 * corrupt store, an unreadable ARL, bad options. Its `kind` says what to do
 * (see {@link SCOR_ERRORS}). A PJ check and a lot verification never throw it
 * for bad data: their verdicts list the issues.
 *
 * `import { ScorError } from '@s3404/scor/errors'`
 *
 * @example
 * ```ts
 * try { await packLot(lot, { files }) } catch (e) {
 *   if (isS3404Error(e) && e.code === 'ERR_LOT_REFUSED') for (const i of e.issues) console.log(i.code, i.path, i.message)
 * }
 * ```
 * @public
 */
export class ScorError extends S3404Error<ScorErrorCode> {
  /** Every problem, for `ERR_LOT_REFUSED` (else empty). */
  declare readonly issues: readonly ScorIssue[];

  constructor(code: ScorErrorCode, options: ScorErrorOptions = {}) {
    super(SCOR_ERRORS, code, options);
  }
}

/** Builds an issue, its message from {@link SCOR_ERRORS} (SCOR-1, SCOR-2). */
export function scorIssue(
  code: ScorErrorCode,
  path: readonly (string | number)[],
  options: { readonly params?: MessageParams; readonly severity?: 'error' | 'warning'; readonly locale: Locale },
): ScorIssue {
  const params = options.params ?? {};
  return { code, severity: options.severity ?? 'error', path, params, message: SCOR_ERRORS.message(code, params, options.locale) };
}

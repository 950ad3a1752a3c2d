import { S3404Error, type Issue, type Locale } from '@s3404/form/errors';
import { scorMessage, type ScorErrorCode, type ScorMessageParams } from './messages.js';

/**
 * A problem found in a PJ or a lot (SCOR-1, SCOR-2, X-2): a stable code, the
 * path of the offending value (`['invoices', 2, 'pj', 0, 'pages', 1]`), a
 * message (French by default), and whether it refuses the PJ or the lot
 * (`error`) or only reports a repair the reader made (`warning`).
 *
 * @example
 * ```json
 * { "code": "ERR_PJ_RESOLUTION_TOO_LOW", "severity": "error", "path": ["pages", 0, "images", 0],
 *   "message": "Page 1 : image numérisée à 150 dpi (image Im0), 200 dpi au moins attendus (numérisez à 200 dpi ou plus)." }
 * ```
 * @public
 */
export interface ScorIssue extends Issue {
  readonly code: ScorErrorCode;
  readonly severity: 'error' | 'warning';
  /** The values the message was built from. */
  readonly params: ScorMessageParams;
}

/**
 * A coded error of `@s3404/scor` (SCOR-1…SCOR-3, X-2): a refused lot (with
 * its `issues`), a lifecycle step that is not allowed, an unavailable
 * store, an unreadable ARL or container. A PJ check never throws it for a
 * bad PDF: the report lists the issues.
 *
 * `import { ScorError } from '@s3404/scor/errors'`
 *
 * @example
 * ```ts
 * try { await packLot(lot, { files }) } catch (e) {
 *   if (e instanceof ScorError && e.code === 'ERR_LOT_REFUSED') for (const i of e.issues) console.log(i.code, i.path, i.message)
 * }
 * ```
 * @public
 */
export class ScorError extends S3404Error {
  declare readonly code: ScorErrorCode;
  readonly params: ScorMessageParams;
  /** Every problem, for `ERR_LOT_REFUSED` and `ERR_LOT_INVALID`. */
  readonly issues: readonly ScorIssue[];

  constructor(
    code: ScorErrorCode,
    options: { readonly params?: ScorMessageParams | undefined; readonly locale?: Locale | undefined; readonly cause?: unknown; readonly issues?: readonly ScorIssue[] | undefined } = {},
  ) {
    super(code, scorMessage(code, options.params, options.locale), { cause: options.cause });
    this.params = options.params ?? {};
    this.issues = options.issues ?? [];
  }
}

/** Builds an issue (SCOR-1, SCOR-2). */
export function scorIssue(code: ScorErrorCode, path: readonly (string | number)[], options: { readonly params?: ScorMessageParams; readonly severity?: 'error' | 'warning'; readonly locale: Locale }): ScorIssue {
  const params = options.params ?? {};
  return { code, severity: options.severity ?? 'error', path, params, message: scorMessage(code, params, options.locale) };
}

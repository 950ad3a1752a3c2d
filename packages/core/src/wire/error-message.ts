/**
 * One problem of a refused message: a stable code, the path of the
 * offending value from the root of the message, and a human message — the
 * shape of `Issue` of `@s3404/core`.
 *
 * `import type { WireIssue } from '@s3404/core/wire'`
 *
 * @example
 * ```json
 * { "code": "ERR_RECORD_INVALID", "path": ["context", "display", "lines", 2], "message": "Invalid signature record (context.display.lines.2)." }
 * ```
 * @public
 */
export interface WireIssue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * The error a server answers instead of a context or a sealed capture:
 * the SDK's stable code (`ERR_CONTEXT_UNKNOWN`, `ERR_CONTEXT_MISMATCH`,
 * `ERR_IMAGE_TOO_LARGE`…), its kind (what the tablet should do: `input` and
 * `verdict` — fix or capture again, `unavailable` — retry later, `internal` —
 * report it), a legible message in the requested language, and the issues of
 * a validation. Its JSON Schema is {@link ERROR_MESSAGE_SCHEMA}.
 *
 * `import type { ErrorMessage } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * if (body.type === 's3404.error' && body.code === 'ERR_CONTEXT_EXPIRED') reopenContext()
 * ```
 * @public
 */
export interface ErrorMessage {
  readonly type: 's3404.error';
  readonly version: '1';
  /** `ERR_…`, stable across versions. */
  readonly code: string;
  readonly kind: 'input' | 'verdict' | 'unavailable' | 'internal';
  readonly message: string;
  readonly issues?: readonly WireIssue[];
}

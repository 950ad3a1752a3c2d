import { isS3404Error } from '../errors/s3404-error.js';

/**
 * Wraps a failure of a store's backend in the package's coded
 * `…_STORE_UNAVAILABLE` error (the store contract of
 * `docs/conventions.md`): coded errors of the SDK pass as they are; any
 * other error — the driver's, the network's, the file system's — becomes
 * `unavailable(cause)`, the original kept as `cause`.
 *
 * `import { storeFailure } from '@s3404/core/stores'`
 *
 * @internal Shared plumbing of the s3404 store subpaths; not a stable API.
 */
export function storeFailure(e: unknown, unavailable: (cause: unknown) => Error): Error {
  if (isS3404Error(e)) return e;
  return unavailable(e);
}

/**
 * A failure of `operation` on `backend` as the store's unavailable error (the
 * store contract): coded errors pass as they are; a Redis key of another kind
 * than the store writes ({@link isWrongKindOfKey}) becomes
 * `corrupt(cause, 'backend operation: WRONGTYPE')` when the caller gives
 * `corrupt` (issue 19: its `…_STORE_CORRUPT`, kind `internal` — retrying never
 * helps); any other error becomes `unavailable(cause, 'backend operation:
 * reason')`, the reason being {@link failureReason}'s. Every store of the SDK
 * labels its failures this way; every Redis one gives `corrupt`.
 *
 * `import { backendFailure } from '@s3404/core/stores'`
 *
 * @internal
 */
export function backendFailure(
  e: unknown,
  backend: string,
  operation: string,
  unavailable: (cause: unknown, reason: string) => Error,
  corrupt?: (cause: unknown, reason: string) => Error,
): Error {
  if (corrupt !== undefined && isWrongKindOfKey(e)) return corrupt(e, `${backend} ${operation}: WRONGTYPE`);
  return storeFailure(e, (cause) => unavailable(cause, `${backend} ${operation}: ${failureReason(cause)}`));
}

/**
 * Whether `e` is Redis's `WRONGTYPE` reply (issue 19), sent directly or from
 * inside a Lua script: a key of another kind than the SDK writes there (a
 * hash where a string stands, edited behind the SDK's back). The store holds
 * what it never writes, so retrying never helps and an operator must look:
 * the store's `…_STORE_CORRUPT`, never its `…_STORE_UNAVAILABLE`. A coded
 * error of the SDK is never one.
 *
 * `import { isWrongKindOfKey } from '@s3404/core/stores'`
 *
 * @internal
 */
export function isWrongKindOfKey(e: unknown): boolean {
  return e instanceof Error && !isS3404Error(e) && /\bWRONGTYPE\b/.test(e.message);
}

/**
 * A short, secret-free description of a backend failure for a message: the
 * driver's code (a SQLSTATE, `SQLITE_BUSY`, `ECONNREFUSED`) or the first 120
 * characters of its message.
 *
 * @internal
 */
export function failureReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return e instanceof Error ? e.message.slice(0, 120) : 'unknown error';
}

/**
 * The driver's error code of `e` or of an error it wraps (its `cause`
 * chain): a SQLSTATE such as `23505`, or `SQLITE_CONSTRAINT_PRIMARYKEY`.
 *
 * @internal
 */
export function driverCode(e: unknown): string | undefined {
  for (let current = e, depth = 0; current !== null && typeof current === 'object' && depth < 8; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('ERR_')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

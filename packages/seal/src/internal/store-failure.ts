import type { Locale } from '@s3404/core';
import { backendFailure } from '@s3404/core/stores';
import { SealError } from '../errors/seal-error.js';

/** The store contract's `…_STORE_UNAVAILABLE` of the seal (SIG-5, SIG-6): nothing was consumed, retry. */
export function storeUnavailable(locale: Locale): (cause: unknown, reason: string) => SealError {
  return (cause, reason) => new SealError('ERR_STORE_UNAVAILABLE', { params: { detail: reason }, locale, cause });
}

/** The store contract's `ERR_STORE_MISCONFIGURED` of the seal (issue 19): the backend refuses the store for good. */
export function storeMisconfigured(locale: Locale): (cause: unknown, reason: string) => SealError {
  return (cause, reason) => new SealError('ERR_STORE_MISCONFIGURED', { params: { detail: reason }, locale, cause });
}

/**
 * Runs one operation of a store on its backend: the SDK's coded errors pass
 * as they are, a Redis key of the wrong kind is `ERR_STORE_CORRUPT`, a
 * refusal no retry changes (a right, a table, a Cluster's slots) is
 * `ERR_STORE_MISCONFIGURED`, any other failure (driver, network, file
 * system) becomes `ERR_STORE_UNAVAILABLE` with the original error as `cause`.
 */
export async function onBackend<R>(backend: string, operation: string, locale: Locale, work: () => R | Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (e) {
    // A Redis key of another kind than the store writes (a hash where a string stands, edited behind the SDK's
    // back), a SQLite file or PostgreSQL page the backend reports damaged: retrying never helps, an operator must
    // look — recognised by core's `isWrongKindOfKey` and `damageOf`, as every store of the SDK does (issue 19).
    throw backendFailure(e, backend, operation, {
      unavailable: storeUnavailable(locale),
      misconfigured: storeMisconfigured(locale),
      corrupt: storeCorruptFailure(locale),
    });
  }
}

/** The store contract's `ERR_STORE_CORRUPT` of the seal for a backend failure: a key of the wrong kind, damaged data. */
export function storeCorruptFailure(locale: Locale): (cause: unknown, reason: string) => SealError {
  return (cause, reason) => storeCorrupt(reason, locale, cause);
}

/** A `SealError` `ERR_STORE_CORRUPT`: the backend holds what the store never writes. */
export function storeCorrupt(detail: string, locale: Locale, cause?: unknown): SealError {
  return new SealError('ERR_STORE_CORRUPT', { params: { detail }, locale, cause });
}

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
 * The package's errors for a backend failure (the store contract of
 * `docs/conventions.md`), each given the driver's error as `cause` and a
 * short, secret-free `reason` (`backend operation: code`).
 *
 * @internal
 */
export interface BackendErrors {
  /** `…_STORE_UNAVAILABLE` (kind `unavailable`): the same call may succeed later. */
  readonly unavailable: (cause: unknown, reason: string) => Error;
  /**
   * `…_STORE_CORRUPT` (kind `internal`): the backend holds what the store
   * never writes, or reports its own data damaged ({@link damageOf}).
   * Given by every Redis user and every SQL store of the SDK.
   */
  readonly corrupt?: (cause: unknown, reason: string) => Error;
  /**
   * `…_STORE_MISCONFIGURED` (kind `internal`): the backend refuses the
   * store for good ({@link misconfigurationOf}) — retrying never helps.
   */
  readonly misconfigured?: (cause: unknown, reason: string) => Error;
}

/**
 * A failure of `operation` on `backend` as one of the package's store errors
 * (the store contract): coded errors pass as they are; a Redis key of
 * another kind than the store writes ({@link isWrongKindOfKey}) or a
 * backend that reports its data damaged ({@link damageOf}) is
 * `errors.corrupt` when given; a refusal for good — the role lacks a right,
 * the schema lacks a table or a column, a Redis Cluster's slots
 * ({@link misconfigurationOf}) — is `errors.misconfigured` when given (issue
 * 19: reported as "unavailable, retry later", a fleet retried for ever and
 * no alert told anyone to fix a grant); any other error is
 * `errors.unavailable`. The reason is `backend operation: code`. Every store
 * of the SDK labels its failures this way.
 *
 * `import { backendFailure } from '@s3404/core/stores'`
 *
 * @internal
 */
export function backendFailure(e: unknown, backend: string, operation: string, errors: BackendErrors): Error {
  if (isS3404Error(e)) return e;
  const found = failureClassOf(e);
  const make = found === undefined ? undefined : errors[found.as];
  if (make !== undefined) return make(e, `${backend} ${operation}: ${found!.reason}`);
  return storeFailure(e, (cause) => errors.unavailable(cause, `${backend} ${operation}: ${failureReason(cause)}`));
}

/**
 * What a backend's failure is under the store contract (issue 19), or
 * `undefined` for one a later try may not meet (`…_STORE_UNAVAILABLE`):
 * `corrupt` for a Redis key of another kind ({@link isWrongKindOfKey}) or
 * data the backend reports damaged ({@link damageOf}), `misconfigured` for
 * a refusal no retry changes ({@link misconfigurationOf}); with a short,
 * secret-free reason. The one classification of {@link backendFailure}, and
 * of the SDK's users of a vendor's store (the consumer, the audit log) that
 * word their details their own way. A coded error of the SDK is none.
 *
 * `import { failureClassOf } from '@s3404/core/stores'`
 *
 * @internal
 */
export function failureClassOf(e: unknown): { readonly as: 'corrupt' | 'misconfigured'; readonly reason: string } | undefined {
  if (isWrongKindOfKey(e)) return { as: 'corrupt', reason: 'WRONGTYPE' };
  const damage = damageOf(e);
  if (damage !== undefined) return { as: 'corrupt', reason: damage };
  const refused = misconfigurationOf(e);
  return refused === undefined ? undefined : { as: 'misconfigured', reason: refused };
}

/** PostgreSQL SQLSTATEs that no retry changes: rights, missing relations or columns, the database or role itself. */
const PG_REFUSALS: Readonly<Record<string, string>> = {
  '42501': 'insufficient_privilege',
  '42P01': 'undefined_table',
  '42703': 'undefined_column',
  '42883': 'undefined_function',
  '42704': 'undefined_object',
  '3F000': 'invalid_schema_name',
  '3D000': 'invalid_catalog_name',
  '28000': 'invalid_authorization_specification',
  '28P01': 'invalid_password',
};

/**
 * Redis replies that no retry changes: an ACL refusal, a Cluster's slots, an unknown command, a refused login, a
 * database the server does not have or a Cluster that has only one (`SELECT` refused).
 */
const REDIS_REFUSAL =
  /\b(NOPERM|CROSSSLOT|NOAUTH|WRONGPASS)\b|^(MOVED|ASK) \d|\bunknown command\b|\bcluster support disabled\b|\b(DB index is out of range|SELECT is not allowed in cluster mode)\b/;

/** SQLite result codes that no retry changes: a read-only or forbidden file, a refused statement, a path that is no database. */
const SQLITE_REFUSAL = /^SQLITE_(READONLY|PERM|AUTH|CANTOPEN|NOTADB)/;

/** File-system codes that no retry changes: a file or directory the process may not write. */
const FS_REFUSALS = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Why the backend refuses a store for good, or `undefined` for a failure a
 * later try may not meet (issue 19): a PostgreSQL right, table, column,
 * schema, database or login that is missing (SQLSTATE `42501`, `42P01`,
 * `42703`, `42883`, `42704`, `3F000`, `3D000`, `28000`, `28P01`); a Redis
 * `NOPERM` (an ACL without a command the store runs), `CROSSSLOT`, `MOVED`
 * or `ASK` (a Cluster reached without a hash tag, or through a client that
 * does not follow it), `NOAUTH`, `WRONGPASS`, an unknown command, or a
 * `SELECT` refused (a database index the server does not have); a
 * SQLite file read-only, forbidden, that cannot be opened or is no database
 * (`SQLITE_NOTADB`: the path names another file), or a table or
 * column missing; a file system refusing the process (`EACCES`, `EPERM`,
 * `EROFS`). An operator must change a grant, the schema or the
 * configuration. Disk full, timeouts, refused connections, deadlocks and a
 * replica that became read-only in a fail-over are not: they may pass.
 *
 * `import { misconfigurationOf } from '@s3404/core/stores'`
 *
 * @internal
 */
export function misconfigurationOf(e: unknown): string | undefined {
  if (!(e instanceof Error) || isS3404Error(e)) return undefined;
  const code = driverCode(e);
  if (code !== undefined) {
    if (PG_REFUSALS[code] !== undefined) return `${code} ${PG_REFUSALS[code]}`;
    if (SQLITE_REFUSAL.test(code) || FS_REFUSALS.has(code)) return code;
    if (code.startsWith('SQLITE_') && /^no such (table|column)\b/.test(e.message)) return `${code} ${e.message.slice(0, 80)}`;
  }
  // better-sqlite3 refuses a path whose directory does not exist before SQLite sees it (a TypeError without a code).
  if (/^Cannot open database because the directory does not exist\b|\bunable to open database file\b/.test(e.message)) return 'SQLITE_CANTOPEN';
  const redis = REDIS_REFUSAL.exec(e.message);
  if (redis !== null) return (redis[1] ?? redis[2] ?? redis[3] ?? e.message.slice(0, 40)).trim();
  return undefined;
}

/** PostgreSQL SQLSTATEs of damaged data: a heap page or an index the server itself cannot read. */
const PG_DAMAGE: Readonly<Record<string, string>> = { XX001: 'data_corrupted', XX002: 'index_corrupted' };

/**
 * Why the backend says its own data is damaged, or `undefined` (issue 19):
 * SQLite's `SQLITE_CORRUPT` ("database disk image is malformed": a disk
 * fault, a copy taken mid-write, a tool that wrote into the file) and
 * PostgreSQL's `XX001` (`data_corrupted`) and `XX002` (`index_corrupted`).
 * No retry mends it; an operator must restore the backend from a backup:
 * the store's `…_STORE_CORRUPT` (kind `internal`), never its
 * `…_STORE_UNAVAILABLE`. A coded error of the SDK is never one.
 *
 * `import { damageOf } from '@s3404/core/stores'`
 *
 * @internal
 */
export function damageOf(e: unknown): string | undefined {
  if (!(e instanceof Error) || isS3404Error(e)) return undefined;
  const code = driverCode(e);
  if (code === undefined) return undefined;
  if (/^SQLITE_CORRUPT/.test(code)) return code;
  return PG_DAMAGE[code] === undefined ? undefined : `${code} ${PG_DAMAGE[code]}`;
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

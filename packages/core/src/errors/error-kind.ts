/**
 * What kind of failure a coded error reports. It tells a caller what to
 * do without a list of codes, and the CLI its exit code:
 *
 * - `input` — the data given cannot be read or used as it is (malformed JSON,
 *   wrong format, too large, unreadable file, bad key file). Fix the input.
 *   Exit code 2.
 * - `verdict` — the data was read and judged negatively (invalid bordereau,
 *   refused record, replay, wrong bordereau, broken chain). Exit code 1.
 * - `unavailable` — a store, lock or service the operation needs failed or is
 *   busy; the same call may succeed later. Exit code 2.
 * - `internal` — a broken invariant of the SDK itself, or of what it stands
 *   on: a store holding what the SDK never writes (`…_STORE_CORRUPT`), a
 *   backend refusing a store for good (`…_STORE_MISCONFIGURED`: a right, a
 *   table, a Redis ACL). Retrying never helps: report it, or fix the
 *   deployment. Exit code 70.
 *
 * @public
 */
export type ErrorKind = 'input' | 'verdict' | 'unavailable' | 'internal';

/** Every {@link ErrorKind}. @public */
export const ERROR_KINDS: readonly ErrorKind[] = Object.freeze(['input', 'verdict', 'unavailable', 'internal'] as const);

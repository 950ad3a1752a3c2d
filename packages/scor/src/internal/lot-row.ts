import { backendFailure } from '@s3404/core/stores';
import { ScorError } from '../errors/scor-error.js';
import { LotRecordSchema, type LotRecord } from '../lifecycle/lot-record.js';

/**
 * The SQL stores' mapping between a lot record and its row (SCOR-3): the
 * record is kept whole as JSON, checked against its schema on the way in
 * (a TypeError: the caller's mistake) and on the way out (a damaged row:
 * `ERR_LOT_STORE_CORRUPT`), and its indexed columns must agree with it.
 * The lot manager's `register` checks the record it builds the same way,
 * whichever store keeps it.
 */
export function checkedRecord(record: LotRecord, where: string): LotRecord {
  const parsed = LotRecordSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`${where}: not a valid lot record${issue === undefined ? '' : ` (${issue.path.join('.')}: ${issue.message})`}`);
  }
  return parsed.data;
}

/** The record of a row whose JSON column holds `json` (parsed or text). */
export function recordOfRow(row: LotRowKey, json: unknown): LotRecord {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw storeCorrupt(`lot ${row.lot_id}: record is not JSON`);
    }
  }
  const parsed = LotRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw storeCorrupt(`lot ${row.lot_id}: ${issue === undefined ? 'invalid record' : `${issue.path.join('.') || 'record'}: ${issue.message}`}`);
  }
  if (parsed.data.lotId !== row.lot_id || parsed.data.version !== row.version) throw storeCorrupt(`lot ${row.lot_id}: record does not match its row`);
  return parsed.data;
}

/**
 * The records of `rows` for `list`: a row that no longer reads throws
 * `ERR_LOT_STORE_CORRUPT`, or is skipped and handed to `onUnreadable` when
 * the query gives one.
 */
export function recordsOfRows(
  rows: readonly (LotRowKey & { readonly record: unknown })[],
  onUnreadable: ((lotId: string, error: ScorError) => void) | undefined,
): LotRecord[] {
  const out: LotRecord[] = [];
  for (const row of rows) {
    try {
      out.push(recordOfRow(row, row.record));
    } catch (e) {
      if (onUnreadable === undefined || !(e instanceof ScorError) || e.code !== 'ERR_LOT_STORE_CORRUPT') throw e;
      onUnreadable(row.lot_id, e);
    }
  }
  return out;
}

/** What identifies a lot's row. */
type LotRowKey = { readonly lot_id: string; readonly version: number };

/** A stored lot or container that no longer reads (the detail is language-neutral: identifiers and the schema's words). */
export function storeCorrupt(detail: string): ScorError {
  return new ScorError('ERR_LOT_STORE_CORRUPT', { params: { detail } });
}

/** The store kit's `unavailable`: `ERR_LOT_STORE_UNAVAILABLE` with the driver's error as `cause` and a short, secret-free `reason`. */
export function lotStoreUnavailable(cause: unknown, reason: string): ScorError {
  return new ScorError('ERR_LOT_STORE_UNAVAILABLE', { params: { detail: reason }, cause });
}

/** The store kit's `misconfigured` (issue 19): `ERR_LOT_STORE_MISCONFIGURED`, the backend refuses the store for good. */
export function lotStoreMisconfigured(cause: unknown, reason: string): ScorError {
  return new ScorError('ERR_LOT_STORE_MISCONFIGURED', { params: { detail: reason }, cause });
}

/** The store kit's `corrupt` (issue 19): `ERR_LOT_STORE_CORRUPT`, data the backend reports damaged, with the driver's error as `cause`. */
export function lotStoreCorrupt(cause: unknown, reason: string): ScorError {
  return new ScorError('ERR_LOT_STORE_CORRUPT', { params: { detail: reason }, cause });
}

/**
 * A driver failure during `op` as `ERR_LOT_STORE_UNAVAILABLE`,
 * `ERR_LOT_STORE_MISCONFIGURED` for a refusal no retry changes (a right, a
 * table), or `ERR_LOT_STORE_CORRUPT` for data the backend reports damaged;
 * coded errors pass as they are.
 */
export function storeUnavailable(backend: string, op: string, e: unknown): Error {
  return backendFailure(e, backend, op, { unavailable: lotStoreUnavailable, misconfigured: lotStoreMisconfigured, corrupt: lotStoreCorrupt });
}

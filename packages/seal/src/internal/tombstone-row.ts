import type { Tombstone } from '../consumption-store.js';

/** A tombstone as the SQL stores keep it (snake_case columns). */
export interface TombstoneRow {
  record_id: string;
  digest: string;
  target: string;
  request_id: string;
  consumer: string;
  /** ISO text (SQLite) or a `Date` (PostgreSQL `timestamptz`). */
  claimed_at: Date | string;
  completed_at: Date | string | null;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

/** The tombstone of a SQL row, instants as ISO 8601 with milliseconds (SIG-5). */
export function tombstoneFromRow(row: TombstoneRow): Tombstone {
  return {
    recordId: row.record_id,
    digest: row.digest,
    target: row.target,
    requestId: row.request_id,
    consumer: row.consumer,
    claimedAt: iso(row.claimed_at),
    ...(row.completed_at === null ? {} : { completedAt: iso(row.completed_at) }),
  };
}

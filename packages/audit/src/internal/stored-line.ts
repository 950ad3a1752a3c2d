import type { Locale } from '@s3404/core';
import { AuditError } from '../errors/audit-error.js';
import type { AuditEvent } from '../event-schema.js';
import { EVENT_ID } from './event-id.js';

/**
 * One line a store holds, read back as an event (AUD-2): it must parse and
 * have an event's frame — a sequence number, an id, a hash, an action and a
 * time of the right types. The rest is `verifyLog`'s to judge; this is what a
 * store's read, head and id lookup rely on. A line damaged after it was
 * written (by another program, by hand, a disk) is `ERR_AUDIT_LINE_INVALID`
 * (kind `verdict`), `where` naming it (a file and offset, a table and
 * sequence number) — never a raw `SyntaxError` or `TypeError`.
 */
export function parseStoredLine(line: string, where: string, locale?: Locale): AuditEvent {
  let e: unknown;
  try {
    e = JSON.parse(line);
  } catch (cause) {
    throw new AuditError('ERR_AUDIT_LINE_INVALID', { params: { detail: where }, ...(locale === undefined ? {} : { locale }), cause });
  }
  if (!isEventFrame(e)) throw new AuditError('ERR_AUDIT_LINE_INVALID', { params: { detail: where }, ...(locale === undefined ? {} : { locale }) });
  return e;
}

function isEventFrame(e: unknown): e is AuditEvent {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  const f = e as Record<string, unknown>;
  return (
    Number.isSafeInteger(f['seq']) &&
    (f['seq'] as number) >= 1 &&
    typeof f['id'] === 'string' &&
    EVENT_ID.test(f['id']) &&
    typeof f['hash'] === 'string' &&
    typeof f['action'] === 'string' &&
    typeof f['time'] === 'string'
  );
}

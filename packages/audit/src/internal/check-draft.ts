import type { z } from 'zod';
import { isIsoInstant, TRACE_CODE } from '@s3404/core';
import { EVENT_ID } from './event-id.js';
import { AUDIT_ACTIONS, AUDIT_ROLES, type AuditEventDraftSchema, type AuditSubject } from '../event-schema.js';

/** A draft as `AuditEventDraftSchema` gives it once parsed. */
export type CheckedDraft = z.output<typeof AuditEventDraftSchema>;

/**
 * The checks of `AuditEventDraftSchema` (AUD-1), written out for the
 * common draft (issue 19: zod's generic parse was a tenth of an append).
 * It accepts only what the schema accepts — every rule of the schema is
 * checked here, none is skipped — and answers `null` for anything it is
 * not sure of (a `time` not written as `Date#toISOString` writes a real
 * instant, a key it does not know, a value of another type…): the caller
 * then parses with the schema, which refuses with its own issue. A test
 * holds the two to the same verdicts.
 */

const ACTIONS: ReadonlySet<unknown> = new Set(AUDIT_ACTIONS);
const ROLES: ReadonlySet<unknown> = new Set(AUDIT_ROLES);
const OUTCOMES: ReadonlySet<unknown> = new Set(['success', 'refused', 'failure']);
const DRAFT_KEYS: ReadonlySet<string> = new Set(['action', 'actor', 'subject', 'outcome', 'code', 'reason', 'count', 'time', 'id', 'firstDelivery']);
const ACTOR_KEYS: ReadonlySet<string> = new Set(['personId', 'role', 'terminalId']);
const SUBJECT_KEYS: ReadonlySet<string> = new Set([
  'bordereauId',
  'line',
  'day',
  'finess',
  'lotId',
  'invoiceNumber',
  'recordId',
  'contextNonce',
  'exportId',
  'firstSeq',
  'lastSeq',
]);
/** The patterns of the schema, the same ones. */
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const ERROR_CODE = TRACE_CODE;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FINESS = /^[0-9AB]{9}$/;

type Fields = Record<string, unknown>;

function isObject(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** No key but `keys` (a strict object: the schema refuses any other, inherited enumerable ones included, as `for…in` sees them). */
function onlyKeys(o: Fields, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k)) return false;
  return true;
}

/** `text(max)` of the schema: 1 to `max` UTF-16 code units, no control character. */
function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= max && NO_CONTROL.test(v);
}

/** `z.int().min(min).max(max)`: a safe integer in range. */
function isInt(v: unknown, min: number, max: number): v is number {
  return Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
}

function optional<T>(v: unknown, check: (v: unknown) => v is T): v is T | undefined {
  return v === undefined || check(v);
}

const text64 = (v: unknown): v is string => isText(v, 64);
const text128 = (v: unknown): v is string => isText(v, 128);
const text500 = (v: unknown): v is string => isText(v, 500);
const seq = (v: unknown): v is number => isInt(v, 1, Number.MAX_SAFE_INTEGER);
const lineNumber = (v: unknown): v is number => isInt(v, 1, 9999);
const countOf = (v: unknown): v is number => isInt(v, 0, Number.MAX_SAFE_INTEGER);
const day = (v: unknown): v is string => typeof v === 'string' && DAY.test(v);
const finessNumber = (v: unknown): v is string => typeof v === 'string' && FINESS.test(v);
const errorCode = (v: unknown): v is string => typeof v === 'string' && ERROR_CODE.test(v);
const eventId = (v: unknown): v is string => typeof v === 'string' && EVENT_ID.test(v);
const flag = (v: unknown): v is boolean => typeof v === 'boolean';
/** The subject as the schema gives it (its keys in the schema's order, only those given), or null. */
function checkSubject(s: unknown): AuditSubject | null {
  if (s === undefined) return {};
  if (!isObject(s) || !onlyKeys(s, SUBJECT_KEYS)) return null;
  const { bordereauId, line, day: dayOf, finess, lotId, invoiceNumber, recordId, contextNonce, exportId, firstSeq, lastSeq } = s;
  if (
    !optional(bordereauId, text64) ||
    !optional(line, lineNumber) ||
    !optional(dayOf, day) ||
    !optional(finess, finessNumber) ||
    !optional(lotId, text64) ||
    !optional(invoiceNumber, text64) ||
    !optional(recordId, text64) ||
    !optional(contextNonce, text128) ||
    !optional(exportId, text64) ||
    !optional(firstSeq, seq) ||
    !optional(lastSeq, seq)
  ) {
    return null;
  }
  const out: AuditSubject = {};
  if (bordereauId !== undefined) out.bordereauId = bordereauId;
  if (line !== undefined) out.line = line;
  if (dayOf !== undefined) out.day = dayOf;
  if (finess !== undefined) out.finess = finess;
  if (lotId !== undefined) out.lotId = lotId;
  if (invoiceNumber !== undefined) out.invoiceNumber = invoiceNumber;
  if (recordId !== undefined) out.recordId = recordId;
  if (contextNonce !== undefined) out.contextNonce = contextNonce;
  if (exportId !== undefined) out.exportId = exportId;
  if (firstSeq !== undefined) out.firstSeq = firstSeq;
  if (lastSeq !== undefined) out.lastSeq = lastSeq;
  return out;
}

/**
 * The draft as `AuditEventDraftSchema.parse` would give it, when it
 * certainly accepts it; `null` when the schema must decide (AUD-1).
 */
export function checkDraft(draft: unknown): CheckedDraft | null {
  if (!isObject(draft) || !onlyKeys(draft, DRAFT_KEYS)) return null;
  const { action, actor, subject, outcome, code, reason, count, time, id, firstDelivery } = draft;
  // A time the schema certainly accepts: as `toISOString` writes a real instant (every time the SDK's emitters give).
  if (!optional(time, isIsoInstant)) return null;
  if (!ACTIONS.has(action) || !OUTCOMES.has(outcome)) return null;
  if (!isObject(actor) || !onlyKeys(actor, ACTOR_KEYS)) return null;
  const { personId, role, terminalId } = actor;
  if (!text128(personId) || !ROLES.has(role) || !text128(terminalId)) return null;
  if (!optional(code, errorCode) || !optional(reason, text500) || !optional(count, countOf)) return null;
  if (!optional(id, eventId) || !optional(firstDelivery, flag)) return null;
  const checkedSubject = checkSubject(subject);
  if (checkedSubject === null) return null;
  const out: CheckedDraft = {
    action: action as CheckedDraft['action'],
    actor: { personId, role: role as CheckedDraft['actor']['role'], terminalId },
    subject: checkedSubject,
    outcome: outcome as CheckedDraft['outcome'],
  };
  if (code !== undefined) out.code = code;
  if (reason !== undefined) out.reason = reason;
  if (count !== undefined) out.count = count;
  if (time !== undefined) out.time = time;
  if (id !== undefined) out.id = id;
  if (firstDelivery !== undefined) out.firstDelivery = firstDelivery;
  return out;
}

import type { AuditEvent } from '../event-schema.js';

/**
 * The columns of the CSV export, in order (AUD-4). One row per event;
 * empty cell when the event has no such member.
 *
 * | column | event member |
 * | --- | --- |
 * | `seq` | `seq` |
 * | `id` | `id` (UUIDv7) |
 * | `time` | `time` (ISO 8601 UTC, ms) |
 * | `action` | `action` |
 * | `outcome` | `outcome` (`success`, `refused`, `failure`) |
 * | `code` | `code` |
 * | `actor_person` | `actor.personId` |
 * | `actor_role` | `actor.role` |
 * | `actor_terminal` | `actor.terminalId` |
 * | `bordereau` | `subject.bordereauId` |
 * | `line` | `subject.line` |
 * | `day` | `subject.day` |
 * | `finess` | `subject.finess` |
 * | `lot` | `subject.lotId` |
 * | `invoice` | `subject.invoiceNumber` |
 * | `record` | `subject.recordId` |
 * | `count` | `count` |
 * | `reason` | `reason` |
 * | `prev` | `prev` |
 * | `hash` | `hash` |
 *
 * Not in the CSV (a reading view, not restorable; use JSON Lines for
 * that): `v`, `subject.contextNonce`, `subject.exportId`,
 * `subject.firstSeq`/`lastSeq`, `checkpoint`.
 *
 * `import { CSV_COLUMNS } from '@s3404/audit'`
 *
 * @public
 */
export const CSV_COLUMNS = [
  'seq',
  'id',
  'time',
  'action',
  'outcome',
  'code',
  'actor_person',
  'actor_role',
  'actor_terminal',
  'bordereau',
  'line',
  'day',
  'finess',
  'lot',
  'invoice',
  'record',
  'count',
  'reason',
  'prev',
  'hash',
] as const;

/**
 * One CSV column (AUD-4).
 *
 * `import type { CsvColumn } from '@s3404/audit'`
 *
 * @public
 */
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/**
 * Columns whose text the event schema does not constrain: a value starting
 * with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` so a spreadsheet
 * does not run it as a formula (OWASP, CSV injection).
 */
export const CSV_GUARDED: ReadonlySet<CsvColumn> = new Set(['actor_person', 'actor_terminal', 'bordereau', 'lot', 'invoice', 'record', 'reason']);

const str = (v: string | number | undefined): string => (v === undefined ? '' : String(v));

/** The cells of one event, in {@link CSV_COLUMNS} order, before quoting. */
export function csvCells(e: AuditEvent): string[] {
  const s = e.subject;
  const row: Record<CsvColumn, string> = {
    seq: str(e.seq),
    id: e.id,
    time: e.time,
    action: e.action,
    outcome: e.outcome,
    code: str(e.code),
    actor_person: e.actor.personId,
    actor_role: e.actor.role,
    actor_terminal: e.actor.terminalId,
    bordereau: str(s.bordereauId),
    line: str(s.line),
    day: str(s.day),
    finess: str(s.finess),
    lot: str(s.lotId),
    invoice: str(s.invoiceNumber),
    record: str(s.recordId),
    count: str(e.count),
    reason: str(e.reason),
    prev: e.prev,
    hash: e.hash,
  };
  return CSV_COLUMNS.map((c) => (CSV_GUARDED.has(c) ? guardFormula(row[c]) : row[c]));
}

/** Prefixes a cell a spreadsheet would read as a formula with `'` (OWASP CSV injection). */
export function guardFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 field: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. */
export function csvField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** One RFC 4180 record with its CRLF. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/**
 * Strict RFC 4180 reader (what {@link csvRecord} writes): every record
 * ends with CRLF, quotes only around whole fields. Returns the records, or
 * the 1-based record number where the text stops being valid.
 */
export function parseCsv(text: string): { readonly records: string[][] } | { readonly error: number } {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === 34) {
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return { error: records.length + 1 };
        out += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = out;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 13) break;
        if (c === 10 || c === 34) return { error: records.length + 1 };
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    fields.push(field);
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === n) return { error: records.length + 1 };
    } else if (c === 13 && text.charCodeAt(i + 1) === 10) {
      records.push(fields);
      fields = [];
      i += 2;
    } else {
      return { error: records.length + 1 };
    }
  }
  if (fields.length > 0) return { error: records.length + 1 };
  return { records };
}

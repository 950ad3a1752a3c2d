import type { Locale } from '@s3404/core';
import type { ContextMessage } from '@s3404/core/wire';
import { UI_STRINGS } from './strings.js';

/** One line of the context panel: what it is, its label and its value (shown `label value`). */
export interface DisplayRow {
  readonly key: 'timestamp' | 'bordereau' | 'line' | 'day' | 'count' | 'hash' | 'signer' | 'mandate';
  readonly label: string;
  readonly value: string;
}

/**
 * The lines the signing screen shows (SIG-1, DMPR §1.2), from the context's
 * display as the server wrote it: « Horodatage : jj/mm/aaaa hh:mm:ss » (the
 * context's timestamp — no live clock that could pass for the capture
 * time), the bordereau identifier and line, or the accounting day with the
 * words « journée comptable » and the number of bordereaux, the whole content
 * hash, the signer's role and name, and « Mandat » with its reference.
 */
export function displayRows(message: ContextMessage, locale: Locale): DisplayRow[] {
  const s = UI_STRINGS[locale];
  const d = message.context.display;
  const rows: DisplayRow[] = [{ key: 'timestamp', label: s.timestamp, value: d.timestamp }];
  if (d.accountingDay !== undefined) {
    rows.push({ key: 'day', label: '', value: d.accountingDay });
    const scope = message.context.scope;
    if (scope?.kind === 'accounting-day' && Number.isInteger(scope.bordereaux?.count))
      rows.push({ key: 'count', label: '', value: s.count(scope.bordereaux.count) });
  }
  if (d.bordereauId !== undefined) rows.push({ key: 'bordereau', label: s.bordereau, value: d.bordereauId });
  if (d.line !== undefined) rows.push({ key: 'line', label: '', value: s.line(d.line) });
  if (d.contentHash !== undefined) rows.push({ key: 'hash', label: s.contentHash, value: d.contentHash });
  rows.push({ key: 'signer', label: s.signer(d.role), value: d.signerName });
  if (d.mandate !== undefined) rows.push({ key: 'mandate', label: s.mandate, value: message.context.mandate?.reference ?? d.mandate });
  return rows;
}

import { canonicalJson, concatBytes, createUuidV7, readClock, resolveClock, resolveLocale, resolveRandom, toHex, truncateForMessage } from '@s3404/core';
import type { Clock, ContentSigner, Locale, LocalizedText, RandomSource, Sha256 } from '@s3404/core';
import { AuditError } from '../errors/audit-error.js';
import { AuditEventSchema, type AuditEvent } from '../event-schema.js';
import { eventLine } from '../internal/event-line.js';
import { schemaIssueDetail } from '../internal/schema-issue.js';
import { defaultSha256 } from '../internal/sha256.js';
import { CSV_COLUMNS, csvCells, csvRecord } from './csv.js';
import { EXPORT_FORMATS, EXPORT_MANIFEST_TYPE, type ExportFormat, type ExportManifest } from './manifest.js';
import { toOcsfApiActivity } from './ocsf.js';
import { checkPeriod, periodStem } from './period.js';

/** Options of {@link exportEvents} (AUD-4). `import type { ExportOptions } from '@s3404/audit'` @public */
export interface ExportOptions {
  /** `jsonl` (restorable: the log's own lines), `csv` (RFC 4180) or `ocsf` (OCSF 1.3 API Activity, a JSON array). */
  readonly format: ExportFormat;
  /** First instant of the period (included). See {@link parsePeriod}. */
  readonly from: Date;
  /** End of the period (excluded). */
  readonly to: Date;
  /** CSV only: start the file with a UTF-8 BOM (EF BB BF), for spreadsheets that need it. Default false. */
  readonly bom?: boolean;
  /**
   * Signs the manifest (a detached signature): core's `ContentSigner`, the same
   * as the log's checkpoints (e.g. `createContentSigner` of `@s3404/seal`).
   */
  readonly signer: ContentSigner;
  /** Who keeps the log, as in checkpoints, e.g. `finess:750300360`. Default `s3404`. */
  readonly origin?: string;
  /** Id of the export. Default: a UUIDv7. */
  readonly exportId?: string;
  /** The clock of `manifest.createdAt` and of the default export id. Default: the system clock. */
  readonly now?: Clock;
  /** Random source of the default export id. Default: Web Crypto. */
  readonly random?: RandomSource;
  /** SHA-256 of the file hash. Default @noble/hashes. */
  readonly sha256?: Sha256;
  /** Language of the errors. Default French; anything but English is French. */
  readonly locale?: Locale;
  /** Name of the data file as the manifest lists it (no directory). Default: `audit-<period>.<ext>`. */
  readonly fileName?: string;
}

/** What {@link exportEvents} produces (AUD-4): write the three files side by side. `import type { ExportResult } from '@s3404/audit'` @public */
export interface ExportResult {
  /** The data file's bytes. */
  readonly data: Uint8Array;
  /** Its name, e.g. `audit-2026-03-20--2026-03-21.jsonl`. */
  readonly fileName: string;
  readonly manifest: ExportManifest;
  /** UTF-8 canonical JSON (RFC 8785) of `manifest`: what `signature` signs. */
  readonly manifestBytes: Uint8Array;
  /** `<fileName>.manifest.json` */
  readonly manifestFileName: string;
  /** Detached signature over `manifestBytes` (a DER CMS SignedData with the seal signer). */
  readonly signature: Uint8Array;
  /** `<fileName>.manifest.p7s` */
  readonly signatureFileName: string;
}

const EXTENSIONS: Readonly<Record<ExportFormat, string>> = { jsonl: 'jsonl', csv: 'csv', ocsf: 'ocsf.json' };
const MIME: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'application/jsonl',
  csv: 'text/csv; charset=utf-8; header=present',
  ocsf: 'application/json',
};

/**
 * The media type of an export file (AUD-4), for a download or an HTTP
 * response: `application/jsonl`, `text/csv; charset=utf-8; header=present`
 * (RFC 4180, RFC 7111), `application/json`.
 *
 * `import { exportMimeType } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * exportMimeType('csv') // 'text/csv; charset=utf-8; header=present'
 * ```
 * @throws {@link AuditError} `ERR_AUDIT_EXPORT_FORMAT` (kind `input`).
 * @public
 */
export function exportMimeType(format: ExportFormat, options: { readonly locale?: Locale } = {}): string {
  checkFormat(format, resolveLocale(options?.locale));
  return MIME[format];
}

function checkFormat(format: ExportFormat, locale: Locale): void {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new AuditError('ERR_AUDIT_EXPORT_FORMAT', { params: { format: truncateForMessage(format) }, locale });
}

const encoder = new TextEncoder();
const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/**
 * Exports the events of a period with a signed manifest (AUD-4). Pure: runs
 * in Node and browsers.
 *
 * `events` is the log in sequence order — `log.read()` or `store.read()`,
 * optionally limited by sequence numbers; the period filter is done here:
 * only events with `from ≤ time < to` are exported. Events of the covered
 * sequence range whose time falls outside the period (back-dated) are left
 * out of the data and listed in `manifest.chain.outside`, so the chain
 * still checks. The events are not re-verified: run {@link verifyLog} first
 * if in doubt. Trace the export itself with an `audit.export` event.
 *
 * - `jsonl`: each event's canonical line (the log's own bytes) and LF;
 *   UTF-8 without BOM. Restorable, and {@link verifyExport} rechecks every
 *   hash and link.
 * - `csv`: RFC 4180, header row then one row per event, CRLF, UTF-8, BOM
 *   with `bom: true`; columns {@link CSV_COLUMNS}. Cells of free-text
 *   columns (`actor_person`, `actor_terminal`, `bordereau`, `lot`,
 *   `invoice`, `record`, `reason`) that start with `=`, `+`, `-`, `@`, TAB
 *   or CR get a leading `'` (OWASP CSV injection guidance), so they are
 *   not always the original text.
 * - `ocsf`: a JSON array, one OCSF 1.3 API Activity per line (canonical
 *   JSON each), see {@link toOcsfApiActivity}.
 *
 * NIRs never appear: the log pseudonymised them when the events were
 * traced, and exports copy the events as they are.
 *
 * `import { exportEvents } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const signer = await createContentSigner({ key, certificate }) // @s3404/seal, or any ContentSigner
 * const { from, to } = parsePeriod('2026-03-01', '2026-03-31')
 * const out = await exportEvents(log.read(), { format: 'csv', from, to, signer, origin: 'finess:750300360' })
 * // write out.data as out.fileName, out.manifestBytes as out.manifestFileName, out.signature as out.signatureFileName
 * ```
 * @throws {@link AuditError} `ERR_AUDIT_EXPORT_FORMAT`, `ERR_AUDIT_PERIOD_INVALID`, `ERR_AUDIT_NO_SIGNER`,
 * `ERR_AUDIT_EVENT_INVALID` (an event not matching the schema, out of sequence order, or missing from the source);
 * TypeError for malformed options (`bom`, `fileName`, `origin`, `exportId`, a `now` that is not a `Clock`).
 * @public
 */
export async function exportEvents(events: Iterable<AuditEvent> | AsyncIterable<AuditEvent>, options: ExportOptions): Promise<ExportResult> {
  if (options === null || typeof options !== 'object') throw new TypeError('exportEvents: options are required');
  const locale = resolveLocale(options.locale);
  const format = options.format;
  checkFormat(format, locale);
  const period = checkPeriod(options.from, options.to, { locale });
  if (options.signer === null || typeof options.signer?.sign !== 'function') throw new AuditError('ERR_AUDIT_NO_SIGNER', { locale });
  if (options.bom !== undefined && typeof options.bom !== 'boolean') throw new TypeError('exportEvents: bom must be a boolean');
  if (
    options.fileName !== undefined &&
    (typeof options.fileName !== 'string' || !/^[^/\\\0]{1,200}$/.test(options.fileName) || options.fileName.startsWith('.'))
  ) {
    throw new TypeError('exportEvents: fileName must be a plain file name (no directory)');
  }
  if (options.bom === true && format !== 'csv') throw new TypeError('exportEvents: bom applies to the csv format only');
  const origin = options.origin ?? 's3404';
  if (typeof origin !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(origin))
    throw new TypeError('exportEvents: origin must be 1 to 128 printable ASCII characters without spaces');
  if (events === null || typeof events !== 'object') throw new TypeError('exportEvents: events must be an iterable of events');
  const now = readClock(resolveClock(options.now, 'exportEvents'), 'exportEvents');
  const exportId = options.exportId ?? createUuidV7(resolveRandom(options.random))(now.getTime());
  if (typeof exportId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(exportId))
    throw new TypeError('exportEvents: exportId must be 1 to 64 characters among A-Z a-z 0-9 . _ : -');
  const sha256 = options.sha256 ?? defaultSha256;
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const invalid = (detail: LocalizedText | undefined): AuditError => new AuditError('ERR_AUDIT_EVENT_INVALID', { params: { detail }, locale });

  // Select the events of the period; keep the skeleton of those between them that are not.
  const selected: AuditEvent[] = [];
  const outside: { seq: number; prev: string; hash: string }[] = [];
  let pending: { seq: number; prev: string; hash: string }[] = [];
  let lastSeq = 0;
  let hole = 0;
  for await (const raw of events as AsyncIterable<AuditEvent>) {
    const parsed = AuditEventSchema.safeParse(raw);
    if (!parsed.success) {
      const seq = typeof (raw as { seq?: unknown } | null)?.seq === 'number' ? ` (seq ${(raw as { seq: number }).seq})` : '';
      throw invalid(schemaIssueDetail(parsed.error.issues, seq));
    }
    const e = parsed.data;
    if (e.seq <= lastSeq) throw invalid({ fr: `seq ${e.seq} ≤ ${lastSeq} : ordre des séquences`, en: `seq ${e.seq} ≤ ${lastSeq}: sequence order` });
    if (selected.length > 0 && e.seq !== lastSeq + 1 && hole === 0) hole = lastSeq + 1;
    lastSeq = e.seq;
    if (e.time >= from && e.time < to) {
      if (selected.length > 0 && hole !== 0) throw invalid({ fr: `seq ${hole} absente de la source`, en: `seq ${hole} missing from the source` });
      outside.push(...pending);
      pending = [];
      selected.push(e);
    } else if (selected.length > 0) {
      pending.push({ seq: e.seq, prev: e.prev, hash: e.hash });
    }
  }

  // The data file.
  let data: Uint8Array;
  if (format === 'jsonl') {
    data = encoder.encode(selected.map((e) => `${eventLine(e)}\n`).join(''));
  } else if (format === 'csv') {
    const text = csvRecord(CSV_COLUMNS) + selected.map((e) => csvRecord(csvCells(e))).join('');
    const body = encoder.encode(text);
    data = options.bom === true ? concatBytes(BOM, body) : body;
  } else {
    data = encoder.encode(ocsfText(selected, origin));
  }

  const byAction: Record<string, number> = {};
  const byOutcome = { success: 0, refused: 0, failure: 0 };
  for (const e of selected) {
    byAction[e.action] = (byAction[e.action] ?? 0) + 1;
    byOutcome[e.outcome]++;
  }
  const first = selected[0];
  const last = selected[selected.length - 1];
  const fileName = options.fileName ?? `${periodStem(period)}.${EXTENSIONS[format]}`;
  const manifest: ExportManifest = {
    type: EXPORT_MANIFEST_TYPE,
    version: 1,
    exportId,
    origin,
    format,
    createdAt: now.toISOString(),
    period: { from, to },
    files: [{ name: fileName, bytes: data.length, sha256: toHex(sha256(data)) }],
    counts: { events: selected.length, byAction, byOutcome },
    chain: first === undefined || last === undefined ? null : { firstSeq: first.seq, lastSeq: last.seq, firstPrev: first.prev, lastHash: last.hash, outside },
  };
  const manifestBytes = encoder.encode(canonicalJson(manifest));
  const signature = await options.signer.sign(manifestBytes, { detached: true });
  return {
    data,
    fileName,
    manifest,
    manifestBytes,
    manifestFileName: `${fileName}.manifest.json`,
    signature,
    signatureFileName: `${fileName}.manifest.p7s`,
  };
}

/** The OCSF file: a JSON array, one canonical record per line. */
export function ocsfText(events: readonly AuditEvent[], origin: string): string {
  return events.length === 0 ? '[]\n' : `[\n${events.map((e) => canonicalJson(toOcsfApiActivity(e, origin))).join(',\n')}\n]\n`;
}

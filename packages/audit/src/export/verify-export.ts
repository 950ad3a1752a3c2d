import { canonicalJson, resolveLocale, toHex, truncateForMessage } from '@s3404/core';
import type { ContentVerifier, Issue, Locale, LocalizedText, MessageParams, Sha256, SignatureCheck } from '@s3404/core';
import { AUDIT_ERRORS, type AuditErrorCode } from '../errors/audit-errors.js';
import { AUDIT_ACTIONS, AuditEventSchema, type AuditEvent } from '../event-schema.js';
import { eventLine, leafHashHex, unhashedJson } from '../internal/event-line.js';
import { defaultSha256 } from '../internal/sha256.js';
import { CSV_COLUMNS, parseCsv } from './csv.js';
import { ExportManifestSchema, manifestInconsistency, type ExportFormat, type ExportManifest } from './manifest.js';
import { fromOcsfApiActivity, toOcsfApiActivity } from './ocsf.js';

/** What {@link verifyExport} checks (AUD-4). `import type { VerifyExportInput } from '@s3404/audit'` @public */
export interface VerifyExportInput {
  /** The manifest file's bytes (`<file>.manifest.json`). */
  readonly manifestBytes: Uint8Array;
  /** The detached signature (`<file>.manifest.p7s`). */
  readonly signature?: Uint8Array;
  /** The data files by name, as the manifest lists them. Other entries are ignored. */
  readonly files: Readonly<Record<string, Uint8Array>>;
  /**
   * Checks the manifest signature: core's `ContentVerifier`, e.g.
   * `createContentVerifier({ trustAnchors })` of `@s3404/seal`. Without it the
   * signature is `unchecked` (or `none` when there is no signature).
   */
  readonly verifier?: ContentVerifier;
  /** SHA-256 of the file hashes. Default @noble/hashes. */
  readonly sha256?: Sha256;
  /** Language of the messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * One thing wrong with an export (AUD-4): an `Issue` whose `path` points into
 * the {@link VerifyExportInput} — `['manifestBytes']`, `['signature']`,
 * `['files', name]` or `['files', name, index]` (the 0-based line, record or
 * array element) — with the file, sequence number and line as their own
 * fields.
 *
 * `import type { ExportIssue } from '@s3404/audit'`
 *
 * @public
 */
export interface ExportIssue extends Issue {
  /** An {@link AuditErrorCode}, or the verifier's own code for a bad signature. */
  readonly code: string;
  /** The file concerned, when it is a data file. */
  readonly file?: string;
  /** The sequence number concerned. */
  readonly seq?: number;
  /** The 1-based line (JSON Lines), record (CSV, header = 1) or array element (OCSF) concerned. */
  readonly line?: number;
}

/**
 * The verdict of {@link verifyExport} (AUD-4): `ok` and its `issues`, as
 * every verdict of the SDK, and what was checked.
 *
 * `import type { ExportReport } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const report: ExportReport = await verifyExport({ manifestBytes, signature, files, verifier })
 * for (const issue of report.issues) console.error(issue.path.join('/'), issue.message)
 * ```
 *
 * @public
 */
export interface ExportReport {
  /**
   * No problem found. Without a verifier the signature is not checked
   * (`signature.status` is `unchecked` or `none`): require `valid` too.
   */
  readonly ok: boolean;
  /** The manifest, when it could be read. */
  readonly manifest: ExportManifest | null;
  readonly format: ExportFormat | null;
  readonly period: { readonly from: string; readonly to: string } | null;
  /** Events the manifest declares (null when it could not be read). */
  readonly events: number | null;
  /** Each file the manifest lists: present with the listed size and SHA-256. */
  readonly files: readonly { readonly name: string; readonly ok: boolean }[];
  /**
   * The manifest's signature (core's `SignatureCheck`): `valid` with its
   * `signer` and `signedAt`; `invalid` (a bad or missing signature with a
   * verifier); `unchecked` (a signature, no verifier); `none` (neither).
   */
  readonly signature: SignatureCheck;
  /**
   * How far the content was checked against the manifest: `verified` (JSON
   * Lines and OCSF: every event's hash recomputed, links, sequence, first
   * `prev`, last `hash`, counts, period), `linked` (CSV: the recorded
   * hashes linked, counts, period; hashes cannot be recomputed from CSV),
   * `unchecked` (not read).
   */
  readonly chain: 'verified' | 'linked' | 'unchecked';
  readonly issues: readonly ExportIssue[];
}

interface Item {
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
  readonly time: string;
  readonly action: string;
  readonly outcome: string;
  /** The hash recomputed from the content, or null when the format cannot (CSV). */
  readonly computed: string | null;
  readonly line: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);
const OUTCOMES: ReadonlySet<string> = new Set(['success', 'refused', 'failure']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEX64 = /^[0-9a-f]{64}$/;
const NOT_CANONICAL: LocalizedText = { fr: 'JSON non canonique (RFC 8785)', en: 'not canonical JSON (RFC 8785)' };

/** Where an issue is: a data file (and a line of it), or else the manifest. */
interface Where {
  readonly file?: string;
  readonly seq?: number;
  readonly line?: number;
}

const pathOf = (w: Where): (string | number)[] =>
  w.file === undefined ? ['manifestBytes'] : w.line === undefined ? ['files', w.file] : ['files', w.file, w.line - 1];

class Checker {
  readonly issues: ExportIssue[] = [];
  readonly #locale: Locale;
  constructor(locale: Locale) {
    this.#locale = locale;
  }
  add(code: AuditErrorCode, params: MessageParams, where: Where = {}): undefined {
    this.issues.push({ code, path: pathOf(where), message: AUDIT_ERRORS.message(code, params, this.#locale), ...where });
  }
  /** A signature problem: the verifier's own code and message, or the catalogue's. */
  signature(check: SignatureCheck & { readonly status: 'invalid' }): void {
    this.issues.push({ code: check.code, path: ['signature'], message: check.message });
  }
  invalidSignature(detail: LocalizedText | string): SignatureCheck & { readonly status: 'invalid' } {
    return { status: 'invalid', code: 'ERR_AUDIT_MANIFEST_INVALID', message: AUDIT_ERRORS.message('ERR_AUDIT_MANIFEST_INVALID', { detail }, this.#locale) };
  }
  mismatch(file: string, text: LocalizedText, where: Omit<Where, 'file'> = {}): void {
    this.add('ERR_AUDIT_EXPORT_MISMATCH', { detail: { fr: `${file} : ${text.fr}`, en: `${file}: ${text.en}` } }, { file, ...where });
  }
}

/**
 * Verifies an export offline from its files alone (AUD-4): the manifest
 * (schema, canonical form, consistency), its signature (with a verifier),
 * each listed file's size and SHA-256, then the content against the
 * manifest — JSON Lines and OCSF: every event rebuilt and its hash
 * recomputed, sequence numbers consecutive, `prev` links (across the
 * `outside` events), first `prev` and last `hash` equal to the manifest's
 * chain, counts, period; CSV: header, rows, recorded links, counts, period.
 * Never throws for bad input: the verdict is `{ ok, issues }`.
 *
 * `import { verifyExport } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const verifier = createContentVerifier({ trustAnchors: [caDer] }) // @s3404/seal, or any ContentVerifier
 * const report = await verifyExport({ manifestBytes, signature, files: { [name]: data }, verifier })
 * if (!report.ok || report.signature.status !== 'valid') console.error(report.issues)
 * ```
 * @public
 */
export async function verifyExport(input: VerifyExportInput): Promise<ExportReport> {
  const c = new Checker(resolveLocale(input?.locale));
  let manifest: ExportManifest | null = null;
  const signed = input?.signature instanceof Uint8Array && input.signature.length > 0;
  let signature: SignatureCheck = signed ? { status: 'unchecked' } : { status: 'none' };
  let chain: ExportReport['chain'] = 'unchecked';
  const files: { name: string; ok: boolean }[] = [];
  try {
    if (input === null || typeof input !== 'object' || !(input.manifestBytes instanceof Uint8Array)) {
      c.add('ERR_AUDIT_MANIFEST_INVALID', { detail: { fr: 'manifeste absent', en: 'missing manifest' } });
    } else {
      manifest = readManifest(input.manifestBytes, c);
      // The signature covers the bytes: checked even when the manifest is unreadable.
      if (input.verifier !== undefined) signature = await checkSignature(input, c);
      if (manifest !== null) {
        const sha256 = input.sha256 ?? defaultSha256;
        const given = input.files !== null && typeof input.files === 'object' ? input.files : {};
        for (const f of manifest.files) {
          const data = Object.hasOwn(given, f.name) ? (given as Record<string, unknown>)[f.name] : undefined;
          if (!(data instanceof Uint8Array)) {
            c.mismatch(f.name, { fr: 'fichier absent', en: 'file missing' });
            files.push({ name: f.name, ok: false });
            continue;
          }
          let ok = true;
          if (data.length !== f.bytes) {
            c.mismatch(f.name, { fr: `${data.length} octets au lieu de ${f.bytes}`, en: `${data.length} bytes instead of ${f.bytes}` });
            ok = false;
          } else if (toHex(sha256(data)) !== f.sha256) {
            c.mismatch(f.name, { fr: 'empreinte SHA-256 différente', en: 'different SHA-256 digest' });
            ok = false;
          }
          files.push({ name: f.name, ok });
          // Read the content even when it does not match: the first damaged event gets named.
          const items = readItems(manifest, f.name, data, sha256, c);
          if (items !== null) {
            checkItems(manifest, f.name, items, c);
            chain = manifest.format === 'csv' ? 'linked' : 'verified';
          }
        }
      }
    }
  } catch (e) {
    c.add('ERR_AUDIT_MANIFEST_INVALID', { detail: e instanceof Error ? e.message : String(e) });
  }
  return {
    ok: c.issues.length === 0,
    issues: c.issues,
    manifest,
    format: manifest?.format ?? null,
    period: manifest === null ? null : { ...manifest.period },
    events: manifest?.counts.events ?? null,
    files,
    signature,
    chain,
  };
}

function readManifest(bytes: Uint8Array, c: Checker): ExportManifest | null {
  const bad = (detail: LocalizedText | string): null => {
    c.add('ERR_AUDIT_MANIFEST_INVALID', { detail });
    return null;
  };
  let text: string;
  let json: unknown;
  try {
    text = decoder.decode(bytes);
    json = JSON.parse(text);
  } catch {
    return bad({ fr: 'JSON UTF-8 illisible', en: 'unreadable UTF-8 JSON' });
  }
  const parsed = ExportManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bad(issue === undefined ? 'schema' : `${issue.path.join('.') || '/'}: ${issue.message}`);
  }
  if (canonicalJson(parsed.data) !== text) return bad(NOT_CANONICAL);
  const inconsistent = manifestInconsistency(parsed.data);
  if (inconsistent !== null) return bad({ fr: `incohérent (${inconsistent})`, en: `inconsistent (${inconsistent})` });
  return parsed.data;
}

/** The manifest's signature through the verifier; every problem is also an issue at `['signature']`. */
async function checkSignature(input: VerifyExportInput, c: Checker): Promise<SignatureCheck> {
  let check: SignatureCheck & { readonly status: 'invalid' };
  if (!(input.signature instanceof Uint8Array) || input.signature.length === 0) {
    check = c.invalidSignature({ fr: 'signature absente', en: 'missing signature' });
  } else {
    try {
      const got = await input.verifier!.verify(input.manifestBytes, input.signature);
      if (got?.status === 'valid' && typeof got.signer === 'string') return got;
      check =
        got?.status === 'invalid' && typeof got.code === 'string' && typeof got.message === 'string'
          ? { status: 'invalid', code: got.code, message: got.message }
          : c.invalidSignature({ fr: 'signature : réponse du vérificateur illisible', en: 'signature: unreadable answer of the verifier' });
    } catch (e) {
      const reason = truncateForMessage(e instanceof Error ? e.message : String(e), 120);
      check = c.invalidSignature({ fr: `signature : ${reason}`, en: `signature: ${reason}` });
    }
  }
  c.signature(check);
  return check;
}

/** Reads the data file into the chain items, or null (problem reported) when it cannot be read. */
function readItems(m: ExportManifest, file: string, data: Uint8Array, sha256: Sha256, c: Checker): Item[] | null {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    c.add('ERR_AUDIT_ENCODING', {}, { file });
    return null;
  }
  const hasBom = text.charCodeAt(0) === 0xfeff;
  if (hasBom && m.format !== 'csv') {
    c.add('ERR_AUDIT_ENCODING', { line: 1 }, { file, line: 1 });
    return null;
  }
  const lineError = (line: number, detail?: LocalizedText | string): null => {
    c.add('ERR_AUDIT_LINE_INVALID', { line, detail }, { file, line });
    return null;
  };
  const fromEvent = (e: AuditEvent, line: number): Item => ({
    seq: e.seq,
    prev: e.prev,
    hash: e.hash,
    time: e.time,
    action: e.action,
    outcome: e.outcome,
    computed: leafHashHex(unhashedJson(e), sha256),
    line,
  });

  if (m.format === 'jsonl') {
    if (text.length > 0 && !text.endsWith('\n')) return lineError(text.split('\n').length, { fr: 'fin de ligne LF manquante', en: 'missing final LF' });
    const lines = text.length === 0 ? [] : text.slice(0, -1).split('\n');
    const items: Item[] = [];
    for (let i = 0; i < lines.length; i++) {
      let json: unknown;
      try {
        json = JSON.parse(lines[i]!);
      } catch {
        return lineError(i + 1, 'JSON');
      }
      const parsed = AuditEventSchema.safeParse(json);
      if (!parsed.success) return lineError(i + 1, parsed.error.issues[0]?.path.join('.'));
      if (eventLine(parsed.data) !== lines[i]) return lineError(i + 1, NOT_CANONICAL);
      items.push(fromEvent(parsed.data, i + 1));
    }
    return items;
  }

  if (m.format === 'ocsf') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return lineError(1, 'JSON');
    }
    if (!Array.isArray(json)) return lineError(1, { fr: 'tableau JSON attendu', en: 'JSON array expected' });
    const items: Item[] = [];
    for (let i = 0; i < json.length; i++) {
      const e = fromOcsfApiActivity(json[i]);
      if (e === null) return lineError(i + 1, 'OCSF');
      let same = false;
      try {
        same = canonicalJson(toOcsfApiActivity(e, m.origin)) === canonicalJson(json[i]);
      } catch {
        same = false;
      }
      if (!same) {
        c.mismatch(
          file,
          { fr: `enregistrement OCSF ${i + 1} incohérent avec son événement`, en: `OCSF record ${i + 1} inconsistent with its event` },
          { seq: e.seq, line: i + 1 },
        );
        return null;
      }
      items.push(fromEvent(e, i + 1));
    }
    return items;
  }

  // CSV: header, then the recorded seq, prev, hash, time, action, outcome of each row.
  const parsed = parseCsv(hasBom ? text.slice(1) : text);
  if ('error' in parsed) return lineError(parsed.error, 'CSV (RFC 4180)');
  const [header, ...rows] = parsed.records;
  if (header === undefined || header.join(',') !== CSV_COLUMNS.join(',')) return lineError(1, { fr: 'en-tête', en: 'header' });
  const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);
  const items: Item[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const line = i + 2;
    if (r.length !== CSV_COLUMNS.length) return lineError(line, { fr: `${r.length} colonnes`, en: `${r.length} columns` });
    const seq = r[col('seq')]!;
    const prev = r[col('prev')]!;
    const hash = r[col('hash')]!;
    const time = r[col('time')]!;
    const action = r[col('action')]!;
    const outcome = r[col('outcome')]!;
    if (!/^[1-9]\d{0,15}$/.test(seq) || !Number.isSafeInteger(Number(seq))) return lineError(line, 'seq');
    if (!HEX64.test(prev) || !HEX64.test(hash)) return lineError(line, 'prev/hash');
    if (!ISO.test(time)) return lineError(line, 'time');
    if (!ACTIONS.has(action)) return lineError(line, 'action');
    if (!OUTCOMES.has(outcome)) return lineError(line, 'outcome');
    items.push({ seq: Number(seq), prev, hash, time, action, outcome, computed: null, line });
  }
  return items;
}

/** Checks the items against the manifest: counts, period, then the chain up to its first damage. */
function checkItems(m: ExportManifest, file: string, items: readonly Item[], c: Checker): undefined {
  const byAction: Record<string, number> = {};
  const byOutcome: Record<string, number> = { success: 0, refused: 0, failure: 0 };
  for (const it of items) {
    byAction[it.action] = (byAction[it.action] ?? 0) + 1;
    byOutcome[it.outcome] = (byOutcome[it.outcome] ?? 0) + 1;
  }
  if (items.length !== m.counts.events) {
    c.mismatch(file, { fr: `${items.length} événements au lieu de ${m.counts.events}`, en: `${items.length} events instead of ${m.counts.events}` });
  } else if (canonicalJson(byAction) !== canonicalJson(m.counts.byAction) || canonicalJson(byOutcome) !== canonicalJson(m.counts.byOutcome)) {
    c.mismatch(file, { fr: 'décompte par action ou par issue différent', en: 'different counts per action or outcome' });
  }
  const stray = items.find((it) => it.time < m.period.from || it.time >= m.period.to);
  if (stray !== undefined)
    c.mismatch(file, { fr: `séquence ${stray.seq} hors période`, en: `sequence ${stray.seq} outside the period` }, { seq: stray.seq, line: stray.line });

  const ch = m.chain;
  const first = items[0];
  const last = items[items.length - 1];
  if (ch === null || first === undefined || last === undefined) {
    if (ch !== null || first !== undefined) c.mismatch(file, { fr: 'chaîne du manifeste différente', en: "different chain from the manifest's" });
    return;
  }
  const at = (it: Item, code: AuditErrorCode, seq: number, params: MessageParams = {}): undefined =>
    c.add(code, { seq, ...params }, { file, seq, line: it.line });
  if (first.seq !== ch.firstSeq || first.prev !== ch.firstPrev) {
    c.mismatch(file, { fr: 'début de chaîne différent du manifeste', en: "chain start differs from the manifest's" }, { seq: first.seq, line: first.line });
    return;
  }
  const outside = new Map(ch.outside.map((o) => [o.seq, o]));
  let used = 0;
  let prev: Item | null = null;
  for (const it of items) {
    if (it.computed !== null && it.computed !== it.hash) return at(it, 'ERR_AUDIT_HASH_MISMATCH', it.seq);
    if (prev !== null) {
      if (it.seq === prev.seq) return at(it, 'ERR_AUDIT_SEQ_DUPLICATE', it.seq);
      if (it.seq < prev.seq) return at(it, 'ERR_AUDIT_SEQ_ORDER', it.seq);
      let s = prev.seq + 1;
      let hash = prev.hash;
      for (; s < it.seq; s++) {
        const o = outside.get(s);
        if (o === undefined) return at(it, 'ERR_AUDIT_SEQ_GAP', s, { count: it.seq - s });
        if (o.prev !== hash) return at(it, 'ERR_AUDIT_LINK_BROKEN', s - 1);
        hash = o.hash;
        used++;
      }
      if (it.prev !== hash) return at(it, 'ERR_AUDIT_LINK_BROKEN', it.seq - 1);
    }
    prev = it;
  }
  if (last.seq !== ch.lastSeq || last.hash !== ch.lastHash) {
    c.mismatch(file, { fr: 'fin de chaîne différente du manifeste', en: "chain end differs from the manifest's" }, { seq: last.seq, line: last.line });
  } else if (used !== outside.size) {
    c.mismatch(file, { fr: 'événements hors période du manifeste non rencontrés', en: "the manifest's outside events were not met" });
  }
}

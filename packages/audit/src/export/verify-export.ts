import { canonicalJson } from '@s3404/form';
import type { Locale } from '@s3404/form/errors';
import type { CheckpointVerifier } from '../checkpoint.js';
import { auditMessage, type AuditErrorCode, type AuditMessageParams } from '../errors/messages.js';
import { AUDIT_ACTIONS, AuditEventSchema, type AuditEvent } from '../event-schema.js';
import { eventLine, leafHashHex, unhashedJson } from '../internal/event-line.js';
import { defaultSha256, toHex, type Sha256 } from '../internal/sha256.js';
import { CSV_COLUMNS, parseCsv } from './csv.js';
import { ExportManifestSchema, manifestInconsistency, type ExportFormat, type ExportManifest } from './manifest.js';
import { fromOcsfApiActivity, toOcsfApiActivity } from './ocsf.js';

/** What {@link verifyExport} checks (AUD-4). @public */
export interface VerifyExportInput {
  /** The manifest file's bytes (`<file>.manifest.json`). */
  readonly manifestBytes: Uint8Array;
  /** The detached signature (`<file>.manifest.p7s`). */
  readonly signature?: Uint8Array;
  /** The data files by name, as the manifest lists them. Other entries are ignored. */
  readonly files: Readonly<Record<string, Uint8Array>>;
  /** Checks the manifest signature ({@link sealCheckpointVerifier}); without it the signature is `unchecked`. */
  readonly verifier?: CheckpointVerifier;
  readonly sha256?: Sha256;
  readonly locale?: Locale;
}

/** One thing wrong with an export (AUD-4). @public */
export interface ExportProblem {
  /** An {@link AuditErrorCode}, or the verifier's own code for a bad signature. */
  readonly code: string;
  readonly message: string;
  /** The file concerned, when it is a data file. */
  readonly file?: string;
  /** The sequence number concerned. */
  readonly seq?: number;
  /** The 1-based line (JSON Lines), record (CSV, header = 1) or array element (OCSF) concerned. */
  readonly line?: number;
}

/** The result of {@link verifyExport} (AUD-4). @public */
export interface ExportReport {
  /** No problem found. Without a verifier the signature is not checked (`signature: 'unchecked'`): require `'verified'` too. */
  readonly valid: boolean;
  /** The manifest, when it could be read. */
  readonly manifest: ExportManifest | null;
  readonly format: ExportFormat | null;
  readonly period: { readonly from: string; readonly to: string } | null;
  /** Events the manifest declares (null when it could not be read). */
  readonly events: number | null;
  /** Each file the manifest lists: present with the listed size and SHA-256. */
  readonly files: readonly { readonly name: string; readonly ok: boolean }[];
  readonly signature: 'verified' | 'unchecked' | 'invalid';
  /** Who signed the manifest (with a verifier). */
  readonly signer?: string;
  readonly signedAt?: string;
  /**
   * How far the content was checked against the manifest: `verified` (JSON
   * Lines and OCSF: every event's hash recomputed, links, sequence, first
   * `prev`, last `hash`, counts, period), `linked` (CSV: the recorded
   * hashes linked, counts, period; hashes cannot be recomputed from CSV),
   * `unchecked` (not read).
   */
  readonly chain: 'verified' | 'linked' | 'unchecked';
  readonly problems: readonly ExportProblem[];
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

class Checker {
  readonly problems: ExportProblem[] = [];
  readonly #locale: Locale;
  constructor(locale: Locale) {
    this.#locale = locale;
  }
  t(fr: string, en: string): string {
    return this.#locale === 'en' ? en : fr;
  }
  add(code: AuditErrorCode, params: AuditMessageParams, where: { file?: string; seq?: number; line?: number } = {}): void {
    this.problems.push({ code, message: auditMessage(code, params, this.#locale), ...where });
  }
  raw(code: string, message: string): void {
    this.problems.push({ code, message });
  }
  mismatch(file: string, fr: string, en: string, where: { seq?: number; line?: number } = {}): void {
    this.add('ERR_AUDIT_EXPORT_MISMATCH', { detail: `${file} : ${this.t(fr, en)}` }, { file, ...where });
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
 * Never throws for bad input: the report lists the problems.
 *
 * @example
 * ```ts
 * const report = await verifyExport({ manifestBytes, signature, files: { [name]: data }, verifier: sealCheckpointVerifier({ trustAnchors: [caDer] }) })
 * if (!report.valid || report.signature !== 'verified') console.error(report.problems)
 * ```
 * @public
 */
export async function verifyExport(input: VerifyExportInput): Promise<ExportReport> {
  const locale: Locale = input?.locale === 'en' ? 'en' : 'fr';
  const c = new Checker(locale);
  let manifest: ExportManifest | null = null;
  let signature: ExportReport['signature'] = 'unchecked';
  let signer: { signer: string; signedAt?: string } | null = null;
  let chain: ExportReport['chain'] = 'unchecked';
  const files: { name: string; ok: boolean }[] = [];
  try {
    if (input === null || typeof input !== 'object' || !(input.manifestBytes instanceof Uint8Array)) {
      c.add('ERR_AUDIT_MANIFEST_INVALID', { detail: c.t('manifeste absent', 'missing manifest') });
    } else {
      manifest = readManifest(input.manifestBytes, c);
      // The signature covers the bytes: checked even when the manifest is unreadable.
      if (input.verifier !== undefined) {
        const check = await checkSignature(input, c);
        signature = check === null ? 'invalid' : 'verified';
        signer = check;
      }
      if (manifest !== null) {
        const sha256 = input.sha256 ?? defaultSha256;
        const given = input.files !== null && typeof input.files === 'object' ? input.files : {};
        for (const f of manifest.files) {
          const data = Object.prototype.hasOwnProperty.call(given, f.name) ? (given as Record<string, unknown>)[f.name] : undefined;
          if (!(data instanceof Uint8Array)) {
            c.mismatch(f.name, 'fichier absent', 'file missing');
            files.push({ name: f.name, ok: false });
            continue;
          }
          let ok = true;
          if (data.length !== f.bytes) {
            c.mismatch(f.name, `${data.length} octets au lieu de ${f.bytes}`, `${data.length} bytes instead of ${f.bytes}`);
            ok = false;
          } else if (toHex(sha256(data)) !== f.sha256) {
            c.mismatch(f.name, 'empreinte SHA-256 différente', 'different SHA-256 digest');
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
    valid: c.problems.length === 0,
    manifest,
    format: manifest?.format ?? null,
    period: manifest === null ? null : { ...manifest.period },
    events: manifest?.counts.events ?? null,
    files,
    signature,
    ...(signer === null ? {} : { signer: signer.signer, ...(signer.signedAt === undefined ? {} : { signedAt: signer.signedAt }) }),
    chain,
    problems: c.problems,
  };
}

function readManifest(bytes: Uint8Array, c: Checker): ExportManifest | null {
  const bad = (detail: string): null => {
    c.add('ERR_AUDIT_MANIFEST_INVALID', { detail });
    return null;
  };
  let text: string;
  let json: unknown;
  try {
    text = decoder.decode(bytes);
    json = JSON.parse(text);
  } catch {
    return bad(c.t('JSON UTF-8 illisible', 'unreadable UTF-8 JSON'));
  }
  const parsed = ExportManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bad(issue === undefined ? 'schema' : `${issue.path.join('.') || '/'}: ${issue.message}`);
  }
  if (canonicalJson(parsed.data) !== text) return bad(c.t('JSON non canonique (RFC 8785)', 'not canonical JSON (RFC 8785)'));
  const inconsistent = manifestInconsistency(parsed.data);
  if (inconsistent !== null) return bad(c.t(`incohérent (${inconsistent})`, `inconsistent (${inconsistent})`));
  return parsed.data;
}

async function checkSignature(input: VerifyExportInput, c: Checker): Promise<{ signer: string; signedAt?: string } | null> {
  if (!(input.signature instanceof Uint8Array) || input.signature.length === 0) {
    c.add('ERR_AUDIT_MANIFEST_INVALID', { detail: c.t('signature absente', 'missing signature') });
    return null;
  }
  try {
    const check = await input.verifier!.verify(input.manifestBytes, input.signature);
    if (check.valid) return { signer: check.signer, ...(check.signedAt === undefined ? {} : { signedAt: check.signedAt }) };
    c.raw(typeof check.code === 'string' ? check.code : 'ERR_AUDIT_MANIFEST_INVALID', typeof check.message === 'string' ? check.message : 'signature');
  } catch (e) {
    c.add('ERR_AUDIT_MANIFEST_INVALID', { detail: `signature : ${e instanceof Error ? e.message : String(e)}` });
  }
  return null;
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
  const lineError = (line: number, detail?: string): null => {
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
    if (text.length > 0 && !text.endsWith('\n')) return lineError(text.split('\n').length, c.t('fin de ligne LF manquante', 'missing final LF'));
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
      if (eventLine(parsed.data) !== lines[i]) return lineError(i + 1, c.t('JSON non canonique (RFC 8785)', 'not canonical JSON (RFC 8785)'));
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
    if (!Array.isArray(json)) return lineError(1, c.t('tableau JSON attendu', 'JSON array expected'));
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
        c.mismatch(file, `enregistrement OCSF ${i + 1} incohérent avec son événement`, `OCSF record ${i + 1} inconsistent with its event`, { seq: e.seq, line: i + 1 });
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
  if (header === undefined || header.join(',') !== CSV_COLUMNS.join(',')) return lineError(1, c.t('en-tête', 'header'));
  const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);
  const items: Item[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const line = i + 2;
    if (r.length !== CSV_COLUMNS.length) return lineError(line, c.t(`${r.length} colonnes`, `${r.length} columns`));
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
function checkItems(m: ExportManifest, file: string, items: readonly Item[], c: Checker): void {
  const byAction: Record<string, number> = {};
  const byOutcome: Record<string, number> = { success: 0, refused: 0, failure: 0 };
  for (const it of items) {
    byAction[it.action] = (byAction[it.action] ?? 0) + 1;
    byOutcome[it.outcome] = (byOutcome[it.outcome] ?? 0) + 1;
  }
  if (items.length !== m.counts.events) {
    c.mismatch(file, `${items.length} événements au lieu de ${m.counts.events}`, `${items.length} events instead of ${m.counts.events}`);
  } else if (canonicalJson(byAction) !== canonicalJson(m.counts.byAction) || canonicalJson(byOutcome) !== canonicalJson(m.counts.byOutcome)) {
    c.mismatch(file, 'décompte par action ou par issue différent', 'different counts per action or outcome');
  }
  const stray = items.find((it) => it.time < m.period.from || it.time >= m.period.to);
  if (stray !== undefined) c.mismatch(file, `séquence ${stray.seq} hors période`, `sequence ${stray.seq} outside the period`, { seq: stray.seq, line: stray.line });

  const ch = m.chain;
  const first = items[0];
  const last = items[items.length - 1];
  if (ch === null || first === undefined || last === undefined) {
    if (ch !== null || first !== undefined) c.mismatch(file, 'chaîne du manifeste différente', "different chain from the manifest's");
    return;
  }
  const at = (it: Item, code: AuditErrorCode, seq: number, params: AuditMessageParams = {}): void => c.add(code, { seq, ...params }, { file, seq, line: it.line });
  if (first.seq !== ch.firstSeq || first.prev !== ch.firstPrev) {
    c.mismatch(file, 'début de chaîne différent du manifeste', "chain start differs from the manifest's", { seq: first.seq, line: first.line });
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
    c.mismatch(file, 'fin de chaîne différente du manifeste', "chain end differs from the manifest's", { seq: last.seq, line: last.line });
  } else if (used !== outside.size) {
    c.mismatch(file, 'événements hors période du manifeste non rencontrés', "the manifest's outside events were not met");
  }
}

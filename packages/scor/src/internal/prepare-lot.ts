import {
  bordereauIdProblem,
  finessProblem,
  normalizeBordereauId,
  readClock,
  resolveClock,
  resolveLocale,
  toHex,
  type Clock,
  type IdentifierProblem,
  type Locale,
  type MessageParams,
} from '@s3404/core';
import { ScorError, scorIssue, type ScorIssue } from '../errors/scor-error.js';
import { SCOR_ERRORS, type ScorErrorCode } from '../errors/scor-errors.js';
import { LOT_DESCRIPTION_HINTS, LotDescriptionSchema } from '../lot/lot-description.js';
import type { LotCodec } from '../lot/lot-codec.js';
import { checksumList, LOT_MANIFEST_FORMAT, LOT_MANIFEST_VERSION, manifestBytes, type LotManifest, type ManifestFile } from '../lot/manifest.js';
import type { LotFiles, PackLotOptions } from '../lot/pack-lot-options.js';
import { sdkZipCodec } from '../lot/zip-codec.js';
import { checkPj, type PjReport } from '../pj/check-pj.js';
import { resolvePjPolicy, type ResolvedPjPolicy } from '../pj/pj-policy.js';
import { describeSchemaIssue } from './describe.js';
import { resolveDigest, type Digest } from './sha256.js';
import type { LotContent } from '../lot/lot-codec.js';

/** Largest number of PJ in a lot (ZIP without ZIP64: 65,535 entries). */
const MAX_FILES = 65_000;
/** Largest container (ZIP without ZIP64). */
export const ZIP_LIMIT = 4 * 1024 * 1024 * 1024 - 64 * 1024 * 1024;
const PRODUCER = '@s3404/scor';

/** The options of a packing, checked once (SCOR-2): what `packLot` and `packLotFile` share. */
export interface ResolvedPackOptions {
  readonly who: string;
  readonly locale: Locale;
  readonly policy: ResolvedPjPolicy;
  readonly codec: LotCodec;
  readonly sha256: Digest;
  readonly clock: Clock;
  readonly maxLotBytes: number;
}

/**
 * Checks the options of a packing (SCOR-2, X-2).
 *
 * @throws {@link ScorError} `ERR_SCOR_OPTIONS_INVALID` / `ERR_PJ_POLICY_INVALID`; TypeError for options of the wrong type.
 */
export function resolvePackOptions(options: PackLotOptions, who: string): ResolvedPackOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options are required`);
  const locale = resolveLocale(options.locale);
  const policy = resolvePjPolicy(options.policy ?? {}, { locale });
  const codec = options.codec ?? sdkZipCodec;
  const sha256 = resolveDigest(options.sha256, who);
  const clock = resolveClock(options.now, who);
  if (options.signer !== undefined && (options.signer === null || typeof options.signer.sign !== 'function'))
    throw new TypeError(`${who}: options.signer must be a ContentSigner (see createContentSigner of @s3404/seal)`);
  if (options.inspectS3404 !== undefined && typeof options.inspectS3404 !== 'function') throw new TypeError(`${who}: options.inspectS3404 must be a function`);
  const maxLotBytes = options.maxLotBytes ?? 1024 * 1024 * 1024;
  const optionError = (detail: string): never => {
    throw new ScorError('ERR_SCOR_OPTIONS_INVALID', { params: { detail }, locale });
  };
  if (!Number.isInteger(maxLotBytes) || maxLotBytes < 1 || maxLotBytes > ZIP_LIMIT) optionError(`maxLotBytes: 1..${ZIP_LIMIT}`);
  if (codec === null || typeof codec !== 'object' || typeof codec.encode !== 'function' || typeof codec.id !== 'string') optionError('codec: a LotCodec');
  if (options.files === null || (typeof options.files !== 'object' && typeof options.files !== 'function'))
    optionError('files: a Map, an object or a function');
  return { who, locale, policy, codec, sha256, clock, maxLotBytes };
}

/** One PJ of a prepared lot: its name in the container, where it was read from, and what the first pass found. */
export interface PreparedFile {
  /** Its name in the container (`pj/<invoice>/<nn>-s3404.pdf`). */
  readonly name: string;
  /** Its name in the description (what `files` is asked for). */
  readonly source: string;
  readonly sha256: string;
  readonly length: number;
  /** Its bytes, when the caller asked to keep them (`retainBytes`). */
  readonly bytes: Uint8Array | undefined;
  /** Its path in the description (`['invoices', i, 'pj', k]`), for the issues. */
  readonly path: readonly (string | number)[];
}

/** A lot checked, hashed and described, before its container is written (SCOR-2). */
export interface PreparedLot {
  readonly lotId: string;
  readonly finess: string;
  readonly b2LotNumber: string;
  readonly createdAt: string;
  readonly manifest: LotManifest;
  readonly manifestBytes: Uint8Array;
  readonly manifestSha256: string;
  readonly checksums: Uint8Array;
  readonly signature: Uint8Array | undefined;
  /** The PJ, in manifest order. */
  readonly files: readonly PreparedFile[];
  readonly warnings: readonly ScorIssue[];
}

/** What {@link prepareLot} gives: the prepared lot and its warnings, or every problem that refuses it. */
export type PrepareLotResult =
  | { readonly ok: true; readonly lot: PreparedLot; readonly issues: readonly ScorIssue[] }
  | { readonly ok: false; readonly issues: readonly ScorIssue[] };

/**
 * Everything of a packing but the container (SCOR-1, SCOR-2): checks the
 * description (FINESS, B2 lot number, each invoice once, each bordereau once,
 * at least one PJ per invoice, the signed S3404 first), reads, checks and
 * hashes every PJ, checks that each S3404 carries its invoice's bordereau and
 * is fully signed, refuses duplicates, then writes the manifest, its
 * `SHA256SUMS` and its signature. Each file is read once and, unless
 * `retainBytes`, released as soon as it is checked: only its digest, length
 * and report stay.
 */
export async function prepareLot(
  description: unknown,
  options: PackLotOptions,
  resolved: ResolvedPackOptions,
  { retainBytes }: { readonly retainBytes: boolean },
): Promise<PrepareLotResult> {
  const { who, locale, policy, sha256, clock, maxLotBytes } = resolved;
  const issues: ScorIssue[] = [];
  const add = (code: ScorErrorCode, path: readonly (string | number)[], params: MessageParams = {}, severity: 'error' | 'warning' = 'error'): void => {
    issues.push(scorIssue(code, path, { params, severity, locale }));
  };
  /** An identifier problem of core, as the detail of `ERR_LOT_INVALID` in both languages. */
  const invalidIdentifier = (path: readonly (string | number)[], problem: IdentifierProblem): void => {
    if (problem === null) return;
    const text = (lang: 'fr' | 'en'): string => SCOR_ERRORS.message(problem.code as ScorErrorCode, problem.params, lang).replace(/\.$/, '');
    add('ERR_LOT_INVALID', path, { detail: { fr: text('fr'), en: text('en') } });
  };
  const refused = (): PrepareLotResult => ({ ok: false, issues });

  const parsed = LotDescriptionSchema.safeParse(description);
  if (!parsed.success) {
    for (const i of parsed.error.issues.slice(0, 100))
      add(
        'ERR_LOT_INVALID',
        i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        { detail: describeSchemaIssue(i, LOT_DESCRIPTION_HINTS) },
      );
    return refused();
  }
  const lot = parsed.data;
  invalidIdentifier(['finess'], finessProblem(lot.finess));

  // --- the invoices and their PJ list (before reading any file)
  const invoiceAt = new Map<string, number>();
  const bordereauAt = new Map<string, number>();
  lot.invoices.forEach((inv, i) => {
    const first = invoiceAt.get(inv.invoiceNumber);
    if (first === undefined) invoiceAt.set(inv.invoiceNumber, i);
    else add('ERR_LOT_DUPLICATE_INVOICE', ['invoices', i, 'invoiceNumber'], { invoice: inv.invoiceNumber, first: first + 1 });
    invalidIdentifier(['invoices', i, 'bordereauId'], bordereauIdProblem(inv.bordereauId));
    const id = normalizeBordereauId(inv.bordereauId) ?? inv.bordereauId;
    const firstB = bordereauAt.get(id);
    if (firstB === undefined) bordereauAt.set(id, i);
    else add('ERR_LOT_DUPLICATE_BORDEREAU', ['invoices', i, 'bordereauId'], { bordereau: id, first: firstB + 1 });
    if (inv.pj.length === 0) add('ERR_LOT_INVOICE_WITHOUT_PJ', ['invoices', i, 'pj'], { invoice: inv.invoiceNumber });
    else if (inv.pj[0]!.kind !== 's3404' || inv.pj.slice(1).some((p) => p.kind !== 'annex'))
      add('ERR_LOT_PJ_ORDER', ['invoices', i, 'pj'], { invoice: inv.invoiceNumber, kinds: inv.pj.map((p) => p.kind).join(', ') });
  });
  const fileCount = lot.invoices.reduce((n, inv) => n + inv.pj.length, 0);
  if (fileCount > MAX_FILES) add('ERR_LOT_INVALID', ['invoices'], { detail: `${fileCount} > ${MAX_FILES} PJ` });
  if (issues.some((i) => i.severity === 'error')) return refused();

  // --- every file: read, checked, hashed
  type Entry = {
    readonly invoice: number;
    readonly index: number;
    readonly source: string;
    readonly length: number;
    readonly pages: number;
    readonly bytes: Uint8Array | undefined;
    readonly path: readonly (string | number)[];
  };
  const entries: Entry[] = [];
  // Each file's SHA-256 is started before its check and awaited two files later: with Web Crypto the
  // hashing runs on another thread while this one checks (at most three digests in flight).
  const hashes: Promise<string>[] = [];
  let total = 0;
  for (const [i, inv] of lot.invoices.entries()) {
    for (const [k, pj] of inv.pj.entries()) {
      const path = ['invoices', i, 'pj', k];
      const bytes = await readLotFile(options.files, pj.file, who);
      if (bytes === undefined) {
        add('ERR_LOT_FILE_MISSING', [...path, 'file'], { file: pj.file.slice(0, 200) });
        continue;
      }
      total += bytes.length;
      hashes.push(sha256(bytes).then(toHex));
      const report = checkPj(bytes, { ...policy, locale });
      if (hashes.length > 2) await hashes[hashes.length - 3];
      for (const issue of report.issues) issues.push({ ...issue, path: [...path, ...issue.path] });
      entries.push({
        invoice: i,
        index: k,
        source: pj.file,
        length: bytes.length,
        pages: report.pageCount ?? 1,
        bytes: retainBytes ? bytes : undefined,
        path,
      });
      if (pj.kind === 's3404' && report.ok) await checkS3404(bytes, report, inv, path);
    }
  }
  if (total > maxLotBytes) add('ERR_LOT_TOO_LARGE', [], { bytes: total, limit: maxLotBytes });
  const digests = await Promise.all(hashes);
  const seen = new Map<string, Entry>();
  entries.forEach((e, n) => {
    const first = seen.get(digests[n]!);
    if (first === undefined) seen.set(digests[n]!, e);
    else add('ERR_LOT_DUPLICATE_PJ', e.path, { first: `invoices[${first.invoice}].pj[${first.index}]` });
  });
  if (issues.some((i) => i.severity === 'error')) return refused();

  // --- the manifest, its checksums and its signature
  const createdAt = readClock(clock, who).toISOString();
  let n = 0;
  const manifestInvoices = lot.invoices.map((inv) => ({
    invoiceNumber: inv.invoiceNumber,
    bordereauId: normalizeBordereauId(inv.bordereauId) ?? inv.bordereauId,
    files: inv.pj.map((pj, k): ManifestFile => {
      const e = entries[n]!;
      const file: ManifestFile = {
        name: `pj/${inv.invoiceNumber}/${String(k + 1).padStart(2, '0')}-${pj.kind === 's3404' ? 's3404' : 'annexe'}.pdf`,
        kind: pj.kind,
        ...(pj.label === undefined ? {} : { label: pj.label }),
        sha256: digests[n]!,
        bytes: e.length,
        pages: e.pages,
      };
      n++;
      return file;
    }),
  }));
  const lotId = lot.lotId ?? `${lot.finess}-${lot.b2LotNumber}-${toHex(await sha256(new TextEncoder().encode(JSON.stringify(manifestInvoices)))).slice(0, 12)}`;
  const manifest: LotManifest = {
    format: LOT_MANIFEST_FORMAT,
    version: LOT_MANIFEST_VERSION,
    lotId,
    createdAt,
    producer: PRODUCER,
    establishment: { finess: lot.finess },
    b2: { lotNumber: lot.b2LotNumber },
    policy: { ...policy },
    invoices: manifestInvoices,
    totals: { invoices: lot.invoices.length, files: entries.length, bytes: total },
  };
  const mBytes = manifestBytes(manifest);
  const listed = manifestInvoices.flatMap((inv) => inv.files);
  const warnings = issues.filter((i) => i.severity === 'warning');
  return {
    ok: true,
    issues: warnings,
    lot: {
      lotId,
      finess: lot.finess,
      b2LotNumber: lot.b2LotNumber,
      createdAt,
      manifest,
      manifestBytes: mBytes,
      manifestSha256: toHex(await sha256(mBytes)),
      checksums: checksumList(listed),
      signature: options.signer === undefined ? undefined : await options.signer.sign(mBytes, { detached: true }),
      files: listed.map((f, k) => ({
        name: f.name,
        source: entries[k]!.source,
        sha256: f.sha256,
        length: f.bytes,
        bytes: entries[k]!.bytes,
        path: entries[k]!.path,
      })),
      warnings,
    },
  };

  /** The S3404 of an invoice carries its bordereau, its clinic, every signature, and follows the pattern (SIG-5). */
  async function checkS3404(
    bytes: Uint8Array,
    report: PjReport,
    inv: { readonly invoiceNumber: string; readonly bordereauId: string },
    path: readonly (string | number)[],
  ): Promise<void> {
    const found = options.readBordereauId === undefined ? report.s3404?.bordereauId : options.readBordereauId(bytes, report);
    const expected = normalizeBordereauId(inv.bordereauId) ?? inv.bordereauId;
    if (found === undefined) add('ERR_LOT_BORDEREAU_UNREADABLE', path, { invoice: inv.invoiceNumber });
    else if ((normalizeBordereauId(found) ?? found) !== expected)
      add('ERR_LOT_BORDEREAU_MISMATCH', path, { invoice: inv.invoiceNumber, found: found.slice(0, 64), expected });
    else if (options.readBordereauId === undefined && report.s3404 !== null) {
      if (report.s3404.finess !== null && report.s3404.finess !== lot.finess)
        add('ERR_LOT_FINESS_MISMATCH', path, { invoice: inv.invoiceNumber, found: report.s3404.finess, expected: lot.finess });
      if (report.s3404.unsigned.length > 0) add('ERR_LOT_S3404_UNSIGNED', path, { invoice: inv.invoiceNumber, missing: report.s3404.unsigned.join(', ') });
    }
    if (options.inspectS3404 !== undefined) {
      for (const problem of (await options.inspectS3404(bytes)).slice(0, 5)) {
        add('ERR_LOT_S3404_MODIFIED', path, { invoice: inv.invoiceNumber, detail: `${problem.code} ${problem.message}`.slice(0, 300) });
      }
    }
  }
}

/**
 * Reads one PJ through `files` (a Map, an object or a function).
 *
 * @throws TypeError naming `who` when it gives something else than bytes.
 */
export async function readLotFile(files: LotFiles, name: string, who: string): Promise<Uint8Array | undefined> {
  let bytes: unknown;
  if (typeof files === 'function') bytes = await files(name);
  else if (files instanceof Map) bytes = files.get(name);
  else bytes = Object.hasOwn(files, name) ? (files as Record<string, Uint8Array>)[name] : undefined;
  if (bytes !== undefined && !(bytes instanceof Uint8Array)) throw new TypeError(`${who}: file ${name.slice(0, 80)} must be a Uint8Array`);
  return bytes as Uint8Array | undefined;
}

/** What a codec encodes of a prepared lot whose bytes were kept (`retainBytes`). */
export function lotContent(lot: PreparedLot): LotContent {
  return {
    lotId: lot.lotId,
    manifest: lot.manifest,
    manifestBytes: lot.manifestBytes,
    checksums: lot.checksums,
    signature: lot.signature,
    files: lot.files.map((f) => ({ name: f.name, bytes: f.bytes! })),
  };
}

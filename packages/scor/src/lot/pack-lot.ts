import {
  bordereauIdProblem,
  finessProblem,
  normalizeBordereauId,
  readClock,
  resolveClock,
  resolveLocale,
  toHex,
  type Clock,
  type ContentSigner,
  type IdentifierProblem,
  type Locale,
  type MessageParams,
  type Sha256,
} from '@s3404/core';
import { ScorError, scorIssue, type ScorIssue } from '../errors/scor-error.js';
import { SCOR_ERRORS, type ScorErrorCode } from '../errors/scor-errors.js';
import { describeSchemaIssue } from '../internal/describe.js';
import { resolveDigest } from '../internal/sha256.js';
import { checkPj, type PjReport } from '../pj/check-pj.js';
import { resolvePjPolicy, type PjPolicy } from '../pj/pj-policy.js';
import { LOT_DESCRIPTION_HINTS, LotDescriptionSchema } from './lot-description.js';
import type { LotCodec, LotContent } from './lot-codec.js';
import { checksumList, LOT_MANIFEST_FORMAT, LOT_MANIFEST_VERSION, manifestBytes, type LotManifest, type ManifestFile } from './manifest.js';
import { sdkZipCodec } from './zip-codec.js';

/**
 * The PJ files of a lot, by the names its description uses: a `Map`, a
 * plain object, or a function (sync or async) that reads one (SCOR-2).
 *
 * @public
 */
export type LotFiles =
  | ReadonlyMap<string, Uint8Array>
  | Readonly<Record<string, Uint8Array>>
  | ((file: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>);

/** Options of {@link packLot} (SCOR-2). @public */
export interface PackLotOptions {
  /** The PJ files named by the description. */
  readonly files: LotFiles;
  /** The PJ policy every file is checked with (SCOR-1). Default {@link DEFAULT_PJ_POLICY}. */
  readonly policy?: PjPolicy;
  /** The clock of the lot's creation time (determinism). Default: the system clock. */
  readonly now?: Clock;
  /** The container format. Default {@link sdkZipCodec}. */
  readonly codec?: LotCodec;
  /**
   * Signs the manifest: a detached CMS over `manifest.json`, stored as
   * `manifest.json.p7s` — `@s3404/seal`'s `createContentSigner` gives one.
   * Default: not signed.
   */
  readonly signer?: ContentSigner;
  /**
   * Reads the bordereau identifier of an S3404 PDF not produced by
   * `@s3404/form` (whose identifier the SDK reads itself). Return
   * `undefined` when it has none.
   */
  readonly readBordereauId?: (pdf: Uint8Array, report: PjReport) => string | undefined;
  /**
   * Judges each S3404 PJ beyond what the file says of itself (SIG-5): that
   * its revisions follow the pattern rendering, then the SDK's signature
   * revisions, then seals — nothing painted over the totals, no slot data
   * rewritten. It answers the problems found, each reported as
   * `ERR_LOT_S3404_MODIFIED` (an empty list when the PDF follows the
   * pattern). `scor` cannot judge this alone (it does not draw signatures):
   * the CLI passes one built on `verifyBordereauPdf` of `@s3404/form/pdf`
   * and `describePdfRevisions` of `@s3404/seal/pdf`. Default: none.
   */
  readonly inspectS3404?: (pdf: Uint8Array) => Promise<readonly { readonly code: string; readonly message: string }[]>;
  /** Largest container, in bytes. Default 1 GiB; at most 4 GiB − 64 MiB (ZIP without ZIP64). */
  readonly maxLotBytes?: number;
  /**
   * SHA-256, e.g. `nodeSha256` of `@s3404/core/node`. Default: Web Crypto
   * (`crypto.subtle`), which hashes on another thread while the next file is
   * checked.
   */
  readonly sha256?: Sha256;
  /** Language of issues and errors. Default `'fr'`; anything but English is French. */
  readonly locale?: Locale;
}

/** A packed SCOR lot (SCOR-2): its container and what the lifecycle keeps of it. @public */
export interface PackedLot {
  readonly lotId: string;
  readonly finess: string;
  readonly b2LotNumber: string;
  readonly createdAt: string;
  readonly manifest: LotManifest;
  readonly manifestBytes: Uint8Array;
  readonly manifestSha256: string;
  /** The manifest's detached CMS, when signed. */
  readonly signature: Uint8Array | undefined;
  readonly container: {
    readonly codec: string;
    readonly fileName: string;
    readonly mediaType: string;
    readonly bytes: Uint8Array;
    readonly sha256: string;
  };
  /** What the PJ checks repaired (warnings): the lot was accepted with them. */
  readonly warnings: readonly ScorIssue[];
}

/**
 * The result of {@link safePackLot} (SCOR-2, `docs/conventions.md` §5): the
 * packed lot with the warnings of its PJ checks as `issues` (none is an
 * error), or every problem that refuses it.
 *
 * `import type { PackLotResult } from '@s3404/scor'`
 *
 * @public
 */
export type PackLotResult =
  | {
      readonly ok: true;
      readonly lot: PackedLot;
      /** The lot's warnings (`lot.warnings`): what the PJ checks repaired. */
      readonly issues: readonly ScorIssue[];
    }
  | { readonly ok: false; readonly issues: readonly ScorIssue[] };

const MAX_FILES = 65_000;
const ZIP_LIMIT = 4 * 1024 * 1024 * 1024 - 64 * 1024 * 1024;
const PRODUCER = '@s3404/scor';

/**
 * Packs a SCOR lot (SCOR-2): checks the description (FINESS, B2 lot
 * number, each invoice once, each bordereau once, at least one PJ per
 * invoice, the signed S3404 first), checks every PJ (SCOR-1), checks that
 * each S3404 carries its invoice's bordereau and is fully signed, hashes
 * every file (SHA-256), writes `manifest.json` and `SHA256SUMS`, signs
 * the manifest when a signer is given, and encodes the container (a ZIP
 * by default). In memory and runtime-agnostic; `@s3404/scor/file` writes
 * it to disk atomically. Same description, files and clock: same bytes
 * (apart from a signature value).
 *
 * `import { packLot } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const lot = await packLot(JSON.parse(text), { files: { '260004512-s3404.pdf': s3404, '260004512-prescription.pdf': scan }, signer })
 * await writeLotFile(`out/${lot.container.fileName}`, lot.container.bytes) // @s3404/scor/file
 * ```
 * @throws {@link ScorError} `ERR_LOT_REFUSED` (kind `verdict`) with every problem in `issues` (codes `ERR_LOT_…` and `ERR_PJ_…`,
 *   paths such as `['invoices', 2, 'pj', 0, 'pages', 1]`); `ERR_SCOR_OPTIONS_INVALID` / `ERR_PJ_POLICY_INVALID` (kind `input`) for bad options.
 * @throws TypeError for options of the wrong type (`files` returning no bytes, a `now`, `sha256` or `signer` that is no function).
 * @public
 */
export async function packLot(description: unknown, options: PackLotOptions): Promise<PackedLot> {
  const result = await safePackLot(description, options);
  if (result.ok) return result.lot;
  const locale = resolveLocale(options.locale);
  throw new ScorError('ERR_LOT_REFUSED', { params: { count: result.issues.filter((i) => i.severity === 'error').length }, issues: result.issues, locale });
}

/**
 * {@link packLot} that returns the issues instead of throwing them (SCOR-2,
 * `docs/conventions.md` §5): `{ ok: true, lot, issues }` (the warnings) or
 * `{ ok: false, issues }`.
 *
 * `import { safePackLot } from '@s3404/scor'`
 *
 * @example
 * ```ts
 * const r = await safePackLot(description, { files })
 * if (!r.ok) for (const i of r.issues) console.error(i.code, i.path.join('.'), i.message)
 * ```
 * @throws {@link ScorError} `ERR_SCOR_OPTIONS_INVALID` / `ERR_PJ_POLICY_INVALID` (kind `input`) for bad options; TypeError for options of the wrong type.
 * @public
 */
export async function safePackLot(description: unknown, options: PackLotOptions): Promise<PackLotResult> {
  if (options === null || typeof options !== 'object') throw new TypeError('packLot: options are required');
  const locale = resolveLocale(options.locale);
  const policy = resolvePjPolicy(options.policy ?? {}, { locale });
  const codec = options.codec ?? sdkZipCodec;
  const sha256 = resolveDigest(options.sha256, 'packLot');
  const clock = resolveClock(options.now, 'packLot');
  if (options.signer !== undefined && (options.signer === null || typeof options.signer.sign !== 'function'))
    throw new TypeError('packLot: options.signer must be a ContentSigner (see createContentSigner of @s3404/seal)');
  if (options.inspectS3404 !== undefined && typeof options.inspectS3404 !== 'function') throw new TypeError('packLot: options.inspectS3404 must be a function');
  const maxLotBytes = options.maxLotBytes ?? 1024 * 1024 * 1024;
  const optionError = (detail: string): never => {
    throw new ScorError('ERR_SCOR_OPTIONS_INVALID', { params: { detail }, locale });
  };
  if (!Number.isInteger(maxLotBytes) || maxLotBytes < 1 || maxLotBytes > ZIP_LIMIT) optionError(`maxLotBytes: 1..${ZIP_LIMIT}`);
  if (codec === null || typeof codec !== 'object' || typeof codec.encode !== 'function' || typeof codec.id !== 'string') optionError('codec: a LotCodec');
  if (options.files === null || (typeof options.files !== 'object' && typeof options.files !== 'function'))
    optionError('files: a Map, an object or a function');

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
  const refused = (): PackLotResult => ({ ok: false, issues });

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
    readonly bytes: Uint8Array;
    readonly report: PjReport;
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
      const bytes = await readFile(options.files, pj.file);
      if (bytes === undefined) {
        add('ERR_LOT_FILE_MISSING', [...path, 'file'], { file: pj.file.slice(0, 200) });
        continue;
      }
      total += bytes.length;
      hashes.push(sha256(bytes).then(toHex));
      const report = checkPj(bytes, { ...policy, locale });
      if (hashes.length > 2) await hashes[hashes.length - 3];
      for (const issue of report.issues) issues.push({ ...issue, path: [...path, ...issue.path] });
      entries.push({ invoice: i, index: k, bytes, report, path });
      if (pj.kind === 's3404' && report.ok) {
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

  // --- the manifest and the container
  const createdAt = readClock(clock, 'packLot').toISOString();
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
        bytes: e.bytes.length,
        pages: e.report.pageCount ?? 1,
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
  const files = manifestInvoices.flatMap((inv) => inv.files).map((f, k) => ({ name: f.name, sha256: f.sha256, bytes: entries[k]!.bytes }));
  const content: LotContent = {
    lotId,
    manifest,
    manifestBytes: mBytes,
    checksums: checksumList(files),
    signature: options.signer === undefined ? undefined : await options.signer.sign(mBytes, { detached: true }),
    files: files.map((f) => ({ name: f.name, bytes: f.bytes })),
  };
  const container = await codec.encode(content);
  if (!(container instanceof Uint8Array)) throw new TypeError(`packLot: codec ${codec.id} must return a Uint8Array`);
  if (container.length > maxLotBytes + 64 * 1024 * 1024)
    return { ok: false, issues: [scorIssue('ERR_LOT_TOO_LARGE', [], { params: { bytes: container.length, limit: maxLotBytes }, locale })] };
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
      signature: content.signature,
      container: {
        codec: codec.id,
        fileName: `${lotId}${codec.extension}`,
        mediaType: codec.mediaType,
        bytes: container,
        sha256: toHex(await sha256(container)),
      },
      warnings,
    },
  };
}

async function readFile(files: LotFiles, name: string): Promise<Uint8Array | undefined> {
  let bytes: unknown;
  if (typeof files === 'function') bytes = await files(name);
  else if (files instanceof Map) bytes = files.get(name);
  else bytes = Object.hasOwn(files, name) ? (files as Record<string, Uint8Array>)[name] : undefined;
  if (bytes !== undefined && !(bytes instanceof Uint8Array)) throw new TypeError(`packLot: file ${name.slice(0, 80)} must be a Uint8Array`);
  return bytes as Uint8Array | undefined;
}

import { readClock, resolveClock, type Clock, type Sha256 } from '@s3404/core';
import {
  auditExportChecks,
  auditTraceChecks,
  bordereauPdfChecks,
  carriesPdfSignature,
  guarded,
  scorLotChecks,
  sealedRecordChecks,
  type ArtifactCheck,
  type CheckContext,
} from './internal/artifact-checks.js';
import { recogniseArtifact, type RecognisedKind } from './internal/artifact-kind.js';
import { onceEachSdk, recordUses } from './internal/record-use-checks.js';
import { detectRuntime, elapsedClock, sha256Hex } from './internal/digest.js';
import { summarize } from './internal/evidence.js';
import { tally } from './internal/tally.js';
import type { ConformanceFile, ConformanceReport, ConformanceTest, TestOutcome } from './report.js';
import { SPEC_REQUIREMENTS } from './requirements.js';
import type { ConformanceSdk } from './sdk.js';

/**
 * One file of a vendor's output folder (X-3): its path (as the report names
 * it, `/`-separated, relative to the folder) and its bytes — or, for a file
 * the caller could not read (too large, unreadable, a link out of the
 * folder), why not.
 *
 * `import type { ArtifactInput } from '@s3404/conformance'`
 *
 * @public
 */
export interface ArtifactInput {
  readonly path: string;
  readonly bytes?: Uint8Array | undefined;
  /** Why the bytes are missing; the file is then `indeterminate` and the report not `ok`. */
  readonly unreadable?: string | undefined;
  /** The file's size when the bytes are missing (a file too large). */
  readonly size?: number | undefined;
}

/**
 * What a file of the folder was taken for (X-3): an artifact judged on its
 * own (`bordereau-pdf`, `sealed-record`, `scor-lot`, `audit-trace`,
 * `audit-export-manifest`), a file judged with one (`audit-witness`: the
 * `<trace>.checkpoint` beside a trace; `audit-export-signature`,
 * `audit-export-data`: what a manifest names), or a file not judged
 * (`certificate`, `private-key`, `unknown`).
 *
 * `import type { ArtifactKind } from '@s3404/conformance'`
 *
 * @public
 */
export type ArtifactKind = RecognisedKind | 'audit-witness' | 'audit-export-signature' | 'audit-export-data';

/**
 * The verdict on one file (X-3): the worst outcome of its checks, or
 * `not-judged` for a file of no artifact kind (listed, never passed).
 *
 * `import type { ArtifactVerdict } from '@s3404/conformance'`
 *
 * @public
 */
export type ArtifactVerdict = TestOutcome | 'not-judged';

/**
 * One file of the folder in the report (X-3): its kind, its verdict, its
 * SHA-256 (hex) and size, the checks that judged it, and the artifact it was
 * judged with (a witness with its trace, a data file with its manifest).
 *
 * `import type { ArtifactFile } from '@s3404/conformance'`
 *
 * @public
 */
export interface ArtifactFile {
  readonly path: string;
  readonly kind: ArtifactKind;
  readonly verdict: ArtifactVerdict;
  readonly size: number;
  readonly sha256?: string;
  /** The report's tests run on this file (those blamed on it included). */
  readonly tests: number;
  readonly judgedWith?: string;
  /** Why it is not passed (the first failing check's code and detail, or why it was not read / not judged). */
  readonly detail?: string;
}

/**
 * The report of {@link judgeArtifacts} (X-3): a {@link ConformanceReport}
 * (a verdict per requirement checked, each check with its evidence: `file`
 * is the file judged, `inputSha256` its SHA-256), plus every file of the
 * folder with its verdict and the SHA-256 of each trust anchor used.
 *
 * `import type { ArtifactReport } from '@s3404/conformance'`
 *
 * @public
 */
export interface ArtifactReport extends ConformanceReport {
  readonly artifacts: readonly ArtifactFile[];
  readonly trustAnchors: readonly string[];
}

/**
 * Options of {@link judgeArtifacts} (X-3).
 *
 * `import type { JudgeArtifactsOptions } from '@s3404/conformance'`
 *
 * @public
 */
export interface JudgeArtifactsOptions {
  /** The verifiers (`createPackagesSdk()` of `@s3404/conformance/sdk`, or a vendor's). */
  readonly sdk: ConformanceSdk;
  /** The folder's files. */
  readonly files: readonly ArtifactInput[];
  /** DER certificates the seals, records, checkpoints and export manifests must chain to. Without them those checks are `indeterminate`. */
  readonly trustAnchors?: readonly Uint8Array[] | undefined;
  /** The checking time (certificate validity, the report's date). Default: the system clock. */
  readonly now?: Clock | undefined;
  /** The runtime named in the report. Default: detected. */
  readonly runtime?: string | undefined;
  /** SHA-256 of the files. Default: the runtime's Web Crypto. */
  readonly sha256?: Sha256 | undefined;
  /** Largest file judged, bytes; a larger one is `indeterminate`. Default 64 MiB. */
  readonly maxFileBytes?: number | undefined;
}

const DEFAULT_MAX_FILE = 64 * 1024 * 1024;
const MAX_FILES = 100_000;
const RANK: Record<TestOutcome, number> = { passed: 0, indeterminate: 1, failed: 2 };

interface Planned {
  readonly path: string;
  readonly check: ArtifactCheck;
  /** Other files the check reads: the witness, the export's signature and data. */
  readonly with: readonly { readonly path: string; readonly bytes: Uint8Array }[];
}

/** The folder of a path, with its trailing `/` (empty at the root). */
const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * Judges a vendor's own outputs with the SDK's verifiers (X-3): each file of
 * the folder is recognised by its content (then its extension) and checked —
 * a bordereau PDF (FORM-4, FORM-6, FORM-7 as `verifyBordereauPdf` judges;
 * SIG-5, its revisions pattern; SIG-3, its PAdES seal when it carries one), a
 * sealed record (SIG-2, SIG-3) — and, when a bordereau of the folder names it
 * in a signature revision, a used record whose file should be gone (SIG-6)
 * and that must have been drawn on the content it was signed for (SIG-4) —,
 * a SCOR lot (SCOR-2), an audit trace with its
 * `<trace>.checkpoint` witness (AUD-1, AUD-2), an export with its signed
 * manifest (AUD-4). Every check names the file it judged and that file's
 * SHA-256; a failure names the requirement it breaks and the file it is in.
 * Files of no artifact kind are listed `not-judged`, never passed; a file
 * not read or too large is `indeterminate`. A requirement passes with one
 * passing check and none failing; the report is `ok` when every requirement
 * checked passed, at least one artifact was judged and no file is
 * indeterminate. Runtime-neutral; never throws for a file's content.
 *
 * `import { judgeArtifacts } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { createPackagesSdk } from '@s3404/conformance/sdk'
 * const report = await judgeArtifacts({ sdk: createPackagesSdk(), files: [{ path: 'bordereaux/1.pdf', bytes }], trustAnchors: [caDer] })
 * report.artifacts[0]?.verdict // 'passed'
 * ```
 * @throws TypeError for a missing `sdk` or `files`, or more than 100 000 files.
 * @public
 */
export async function judgeArtifacts(options: JudgeArtifactsOptions): Promise<ArtifactReport> {
  if (typeof options !== 'object' || options === null || typeof options.sdk !== 'object' || options.sdk === null || !Array.isArray(options.files))
    throw new TypeError('judgeArtifacts: options.sdk (an object) and options.files (an array of { path, bytes }) are required');
  if (options.files.length > MAX_FILES) throw new TypeError(`judgeArtifacts: at most ${MAX_FILES} files`);
  const at = readClock(resolveClock(options.now, 'judgeArtifacts'), 'judgeArtifacts');
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE;
  const trustAnchors = options.trustAnchors ?? [];
  const context: CheckContext = { sdk: onceEachSdk(options.sdk), trustAnchors, at };
  const hash = (b: Uint8Array): Promise<string> => sha256Hex(b, options.sha256);

  const artifacts = new Map<string, { kind: ArtifactKind; size: number; sha256?: string; judgedWith?: string; detail?: string; outcome?: TestOutcome }>();
  const readable = new Map<string, Uint8Array>();
  for (const f of options.files) {
    if (typeof f?.path !== 'string' || artifacts.has(f.path)) continue;
    const bytes = f.bytes instanceof Uint8Array ? f.bytes : undefined;
    if (bytes === undefined || bytes.length > maxBytes) {
      const why = bytes === undefined ? (f.unreadable ?? 'no bytes given') : `larger than ${maxBytes} bytes`;
      artifacts.set(f.path, { kind: 'unknown', size: bytes?.length ?? f.size ?? 0, outcome: 'indeterminate', detail: `not read: ${why}`.slice(0, 300) });
      continue;
    }
    readable.set(f.path, bytes);
    artifacts.set(f.path, { kind: recogniseArtifact(f.path, bytes), size: bytes.length, sha256: await hash(bytes) });
  }

  // Files judged with another: an export's signature and data, a trace's witness.
  const claim = (path: string, kind: ArtifactKind, by: string): { path: string; bytes: Uint8Array } | undefined => {
    const a = artifacts.get(path);
    const bytes = readable.get(path);
    if (a === undefined || bytes === undefined || a.judgedWith !== undefined) return undefined;
    a.kind = kind;
    a.judgedWith = by;
    return { path, bytes };
  };
  const plans: Planned[] = [];
  for (const [path, a] of artifacts) {
    if (a.kind !== 'audit-export-manifest' || a.judgedWith !== undefined) continue;
    const bytes = readable.get(path)!;
    const signature = path.endsWith('.json') ? claim(`${path.slice(0, -'.json'.length)}.p7s`, 'audit-export-signature', path) : undefined;
    const data = new Map<string, { path: string; bytes: Uint8Array }>();
    for (const name of manifestFileNames(bytes)) {
      const file = claim(`${folderOf(path)}${name}`, 'audit-export-data', path);
      if (file !== undefined) data.set(name, file);
    }
    for (const check of auditExportChecks({ path, bytes }, signature, data, context))
      plans.push({ path, check, with: [...(signature === undefined ? [] : [signature]), ...data.values()] });
  }
  const witnesses = new Map<string, { path: string; bytes: Uint8Array }>();
  for (const [path, a] of artifacts) {
    if (a.kind !== 'audit-trace' || a.judgedWith !== undefined) continue;
    const witness = claim(`${path}.checkpoint`, 'audit-witness', path);
    if (witness !== undefined) witnesses.set(path, witness);
  }
  for (const [path, a] of artifacts) {
    if (a.kind !== 'audit-trace' || a.judgedWith !== undefined) continue;
    const witness = witnesses.get(path);
    for (const check of auditTraceChecks(readable.get(path)!, witness, context)) plans.push({ path, check, with: witness === undefined ? [] : [witness] });
  }
  for (const [path, a] of artifacts) {
    const bytes = readable.get(path);
    if (bytes === undefined || a.judgedWith !== undefined) continue;
    let checks: ArtifactCheck[] = [];
    if (a.kind === 'bordereau-pdf') checks = bordereauPdfChecks(bytes, context).filter((c) => c.type !== 'pades-seal' || carriesPdfSignature(bytes));
    else if (a.kind === 'sealed-record') checks = sealedRecordChecks(bytes, context);
    else if (a.kind === 'scor-lot') checks = scorLotChecks(bytes, context);
    for (const check of checks) plans.push({ path, check, with: [] });
  }
  // Across files: a record a bordereau of the folder names was used, so its file should be gone (SIG-6), and drawn on its own content (SIG-4).
  const ofKind = (kind: ArtifactKind): { path: string; bytes: Uint8Array }[] =>
    [...artifacts].filter(([p, a]) => a.kind === kind && a.judgedWith === undefined && readable.has(p)).map(([path]) => ({ path, bytes: readable.get(path)! }));
  for (const use of await recordUses(ofKind('sealed-record'), ofKind('bordereau-pdf'), context)) {
    plans.push({ path: use.path, check: use.check, with: use.pdfs.map((path) => ({ path, bytes: readable.get(path)! })) });
  }
  plans.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));

  const tests: ConformanceTest[] = [];
  const tcIds = new Map<string, number>();
  const elapsed = elapsedClock();
  for (const { path, check, with: others } of plans) {
    const started = elapsed();
    const answer = await guarded(check.run);
    const ms = Math.round((elapsed() - started) * 1000) / 1000;
    const file = answer.blame !== undefined && artifacts.has(answer.blame) ? answer.blame : path;
    const tcId = (tcIds.get(file) ?? 0) + 1;
    tcIds.set(file, tcId);
    const fixtures = [path, ...others.map((o) => o.path)].filter((p) => p !== file).map((p) => ({ file: p, sha256: artifacts.get(p)?.sha256 ?? '' }));
    tests.push({
      file,
      tcId,
      type: check.type,
      requirements: answer.outcome === 'failed' && answer.requirements !== undefined ? answer.requirements : check.requirements,
      result: 'valid',
      comment: check.comment,
      outcome: answer.outcome,
      ...(answer.code === undefined ? {} : { code: answer.code }),
      ...(answer.detail === undefined ? {} : { detail: answer.detail }),
      ms,
      inputSha256: artifacts.get(file)?.sha256 ?? '',
      answer: answer.outcome === 'passed' ? 'accepted' : (answer.code ?? answer.outcome),
      ...(fixtures.length === 0 ? {} : { fixtures }),
    });
  }

  // Each file's verdict: the worst outcome of the checks that read it.
  for (const t of tests) {
    for (const p of [t.file, ...(t.fixtures ?? []).map((f) => f.file)]) {
      const a = artifacts.get(p);
      if (a === undefined) continue;
      const blamed = p === t.file;
      // A check blamed on another file does not fail the files it merely read.
      const outcome: TestOutcome = !blamed && t.outcome === 'failed' ? 'passed' : t.outcome;
      if (a.outcome === undefined || RANK[outcome] > RANK[a.outcome]) {
        a.outcome = outcome;
        if (outcome !== 'passed') a.detail = `${t.code === undefined ? '' : `[${t.code}] `}${t.detail ?? ''}`.slice(0, 300);
      }
    }
  }

  const scope = SPEC_REQUIREMENTS.filter((id) => plans.some((p) => p.check.requirements.includes(id)));
  const requirements = tally(scope, tests, 1);
  const list: ArtifactFile[] = [...artifacts]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([path, a]) => ({
      path,
      kind: a.kind,
      verdict: a.outcome ?? 'not-judged',
      size: a.size,
      ...(a.sha256 === undefined ? {} : { sha256: a.sha256 }),
      tests: tests.filter((t) => t.file === path).length,
      ...(a.judgedWith === undefined ? {} : { judgedWith: a.judgedWith }),
      ...(a.detail !== undefined ? { detail: a.detail } : a.outcome === undefined ? { detail: notJudged(a.kind) } : {}),
    }));
  const files: ConformanceFile[] = list
    .filter((a) => a.sha256 !== undefined && a.verdict !== 'not-judged')
    .map((a) => ({ path: a.path, sha256: a.sha256!, hashed: 'bytes', tests: a.tests }));
  return {
    ok:
      tests.length > 0 &&
      Object.values(requirements).every((r) => r.verdict === 'passed') &&
      !list.some((a) => a.verdict === 'indeterminate' || a.verdict === 'failed'),
    ...(options.sdk.version === undefined ? {} : { sdkVersion: options.sdk.version }),
    runtime: options.runtime ?? detectRuntime(),
    date: at.toISOString(),
    requirements,
    tests,
    summary: summarize(tests),
    files,
    artifacts: list,
    trustAnchors: await Promise.all(trustAnchors.map(hash)),
  };
}

/** Why a file of no artifact kind is not judged, for the reader. */
function notJudged(kind: ArtifactKind): string {
  if (kind === 'certificate') return 'a certificate: not an artifact (give it with --trust to use it as a trust anchor)';
  if (kind === 'private-key') return 'a private key: not an artifact, and it should not be among the outputs';
  return 'not an artifact kind the suite judges';
}

/** The data files an export manifest lists (`files[].name`), plain names only: nothing outside its folder. */
function manifestFileNames(bytes: Uint8Array): string[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return [];
  }
  const files = typeof json === 'object' && json !== null ? (json as { files?: unknown }).files : undefined;
  if (!Array.isArray(files)) return [];
  return files
    .slice(0, 10_000)
    .map((f: unknown) => (typeof f === 'object' && f !== null ? (f as { name?: unknown }).name : undefined))
    .filter((n): n is string => typeof n === 'string' && n.length > 0 && n.length <= 255 && !n.includes('/') && !n.includes('\\') && n !== '.' && n !== '..');
}

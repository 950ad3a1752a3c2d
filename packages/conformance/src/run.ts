import { canonicalJson, fromBase64, isS3404Error, readClock, resolveClock, type Clock, type Sha256 } from '@s3404/core';
import type { VectorFile, VectorSource, VectorTest } from './envelope.js';
import { ConformanceError } from './errors/conformance-error.js';
import type { HandlerAnswer, HandlerContext, VectorHandler } from './handler.js';
import { checkEnvelope } from './internal/envelope-check.js';
import { detectRuntime, elapsedClock, sha256Hex, utf8 } from './internal/digest.js';
import { fileEvidence, summarize } from './internal/evidence.js';
import { BUILTIN_HANDLERS } from './internal/handlers.js';
import { Indeterminate } from './internal/indeterminate.js';
import { judgeVerdict } from './internal/judge.js';
import { tally } from './internal/tally.js';
import type { ConformanceFixture, ConformanceReport, ConformanceTest } from './report.js';
import { SPEC_REQUIREMENTS } from './requirements.js';
import type { ConformanceSdk } from './sdk.js';

/**
 * Options of {@link runConformance} (X-3). Everything the run touches is
 * passed in: the SDK, the parsed vector files, the fixture reader, the clock
 * and the hash, so the runner itself runs in any runtime.
 *
 * `import type { RunConformanceOptions } from '@s3404/conformance'`
 *
 * @public
 */
export interface RunConformanceOptions {
  /** The SDK under test. */
  readonly sdk: ConformanceSdk;
  /** The vector files, parsed (`JSON.parse`), each with its path (`form/identifiers.json`). */
  readonly files: readonly VectorSource[];
  /**
   * Limits the scope: a requirement id (`FORM-2`), an area (`audit`) or a
   * vector file (`form/identifiers.json`). Default: everything, judged
   * against the SPEC's whole list.
   */
  readonly filter?: string | undefined;
  /** The clock that dates the report. Default: the system clock. */
  readonly now?: Clock | undefined;
  /** The runtime named in the report. Default: detected (`node 20.19.0`, `deno …`, `bun …`, a browser's user agent). */
  readonly runtime?: string | undefined;
  /** SHA-256 of the inputs' canonical JSON and of fixtures. Default: the runtime's Web Crypto. */
  readonly sha256?: Sha256 | undefined;
  /**
   * Reads a fixture: `{ "file": "fixtures/<name>" }` of a vector in
   * `<dir>/x.json` is read at `<dir>/fixtures/<name>` (relative to the vector
   * file's path as given in `files`). Default: none — vectors with fixtures
   * are `indeterminate`.
   */
  readonly readFixture?: ((path: string) => Promise<Uint8Array>) | undefined;
  /** More handlers by group `type`, or replacements of the built-in ones. */
  readonly handlers?: Readonly<Record<string, VectorHandler>> | undefined;
}

const REQUIREMENT_ID = /^[A-Z]+-\d+$/;

/**
 * Runs conformance vectors against an SDK and judges each requirement (X-3).
 * Each vector gives `passed`, `failed` (a wrong answer, or an uncoded
 * exception, with its message) or `indeterminate` (no handler for its group,
 * an area the SDK does not provide, an unreadable fixture) — never passed by
 * default. A requirement is `failed` with one failed vector, `indeterminate`
 * with one indeterminate, `not-covered` with fewer than 3 passing vectors,
 * `passed` otherwise; the report is `ok` when every requirement in scope
 * passed.
 *
 * `import { runConformance } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * const report = await runConformance({ sdk, files: [{ path: 'form/identifiers.json', json }], filter: 'FORM-2' })
 * report.ok // true when FORM-2 has at least 3 passing vectors and none failing
 * ```
 * @throws {@link ConformanceError} `ERR_VECTORS_INVALID` for a file that is
 * not an envelope version 2, or whose `bytes` are not its JSON; `ERR_VECTORS_FILTER` for a filter that selects
 * nothing. TypeError for a missing `sdk` or `files`.
 * @public
 */
export async function runConformance(options: RunConformanceOptions): Promise<ConformanceReport> {
  if (typeof options !== 'object' || options === null || typeof options.sdk !== 'object' || options.sdk === null || !Array.isArray(options.files))
    throw new TypeError('runConformance: options.sdk (an object) and options.files (an array of { path, json }) are required');
  const date = readClock(resolveClock(options.now, 'runConformance'), 'runConformance').toISOString();
  const handlers = { ...BUILTIN_HANDLERS, ...options.handlers };
  const files = options.files.map((f) => ({ path: f.path, file: checkEnvelope(f.path, f.json) }));
  const { selected, scope } = select(files, options.filter);
  const elapsed = elapsedClock();
  const tests: ConformanceTest[] = [];
  for (const { path, file, test, type } of selected) {
    const fixtures: ConformanceFixture[] = [];
    const context: HandlerContext = { sdk: options.sdk, file: path, bytes: (v) => bytesOf(v, path, options, fixtures) };
    const inputSha256 = await sha256Hex(utf8(canonicalJson(test.input)), options.sha256);
    const started = elapsed();
    const answer = await answerOf(handlers[type], test, context, file);
    const ms = Math.round((elapsed() - started) * 1000) / 1000;
    const said = answer.answer ?? answer.code ?? (answer.outcome === 'passed' && test.result === 'valid' ? 'accepted' : undefined);
    tests.push({
      file: path,
      tcId: test.tcId,
      type,
      requirements: test.requirements,
      result: test.result,
      ...(test.comment === undefined ? {} : { comment: test.comment }),
      ...(test.expected === undefined ? {} : { expected: test.expected }),
      outcome: answer.outcome,
      ...(answer.code === undefined ? {} : { code: answer.code }),
      ...(answer.detail === undefined ? {} : { detail: answer.detail }),
      ms,
      inputSha256,
      ...(said === undefined ? {} : { answer: said.slice(0, 200) }),
      ...(fixtures.length === 0 ? {} : { fixtures }),
    });
  }
  const requirements = tally(scope, tests);
  return {
    ok: Object.values(requirements).every((r) => r.verdict === 'passed'),
    ...(options.sdk.version === undefined ? {} : { sdkVersion: options.sdk.version }),
    runtime: options.runtime ?? detectRuntime(),
    date,
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    requirements,
    tests,
    summary: summarize(tests),
    files: await fileEvidence(options.files, tests, options.sha256),
  };
}

interface Selected {
  readonly path: string;
  readonly file: VectorFile;
  readonly test: VectorTest;
  readonly type: string;
}

/** The tests the filter selects and the requirements in scope. */
function select(files: readonly { path: string; file: VectorFile }[], filter: string | undefined): { selected: Selected[]; scope: string[] } {
  const all = files.flatMap(({ path, file }) => file.testGroups.flatMap((g) => g.tests.map((test) => ({ path, file, test, type: g.type }))));
  if (filter === undefined) {
    const scope = [...SPEC_REQUIREMENTS];
    for (const { test } of all) for (const r of test.requirements) if (!scope.includes(r)) scope.push(r);
    return { selected: all, scope };
  }
  let selected: Selected[];
  if (REQUIREMENT_ID.test(filter)) {
    selected = all.filter((s) => s.test.requirements.includes(filter));
    if (selected.length === 0 && !SPEC_REQUIREMENTS.includes(filter))
      throw new ConformanceError('ERR_VECTORS_FILTER', { params: { filter: filter.slice(0, 40) } });
    return { selected, scope: [filter] };
  }
  selected = all.filter((s) => s.file.area === filter || s.path === filter || s.path.endsWith(`/${filter}`));
  if (selected.length === 0) throw new ConformanceError('ERR_VECTORS_FILTER', { params: { filter: filter.slice(0, 40) } });
  const scope: string[] = [];
  for (const { test } of selected) for (const r of test.requirements) if (!scope.includes(r)) scope.push(r);
  return { selected, scope };
}

/** Runs one vector's handler and turns what it threw into an outcome. */
async function answerOf(handler: VectorHandler | undefined, test: VectorTest, context: HandlerContext, file: VectorFile): Promise<HandlerAnswer> {
  if (handler === undefined) return { outcome: 'indeterminate', detail: `no handler for this group type (area ${file.area})` };
  try {
    return await handler(test, context);
  } catch (e) {
    if (e instanceof Indeterminate) return { outcome: 'indeterminate', detail: e.message };
    if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
    return {
      outcome: 'failed',
      answer: 'uncoded exception',
      detail: `uncoded exception: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 500),
    };
  }
}

/** The bytes of an input value: `{ base64 }`, or a fixture read and checked against its SHA-256. */
async function bytesOf(value: unknown, path: string, options: RunConformanceOptions, read: ConformanceFixture[]): Promise<Uint8Array> {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (typeof v['base64'] === 'string') {
    const decoded = fromBase64(v['base64']);
    if (decoded === null) throw new Indeterminate('input: base64 expected');
    return decoded;
  }
  const name = v['file'];
  if (typeof name !== 'string' || typeof v['sha256'] !== 'string') throw new Indeterminate('bytes expected as { base64 } or { file, sha256 }');
  if (options.readFixture === undefined) throw new Indeterminate(`fixture ${name}: no readFixture given`);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  const full = `${dir}${name}`;
  let bytes: Uint8Array;
  try {
    bytes = await options.readFixture(full);
  } catch (e) {
    throw new Indeterminate(`fixture ${full} unreadable: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300));
  }
  const hash = await sha256Hex(bytes, options.sha256);
  if (!read.some((f) => f.file === full)) read.push({ file: full, sha256: hash });
  if (hash !== v['sha256'].toLowerCase()) throw new Indeterminate(`fixture ${full}: SHA-256 ${hash}, the vector says ${v['sha256']}`.slice(0, 300));
  return bytes;
}

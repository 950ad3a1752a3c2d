import type { VectorResult } from './envelope.js';

/**
 * The outcome of one vector: `passed` (the SDK answered as expected),
 * `failed` (it did not, or threw an uncoded error) or `indeterminate` (no
 * handler for the group, the SDK lacks the area, or a fixture could not be
 * read) — never passed by default.
 *
 * `import type { TestOutcome } from '@s3404/conformance'`
 *
 * @public
 */
export type TestOutcome = 'passed' | 'failed' | 'indeterminate';

/**
 * The verdict on one requirement; `not-covered` below 3 passing vectors.
 *
 * `import type { RequirementVerdict } from '@s3404/conformance'`
 *
 * @public
 */
export type RequirementVerdict = TestOutcome | 'not-covered';

/**
 * One line of the "recette dossier": what was run, against what it
 * was judged, and the evidence.
 *
 * `import type { ConformanceTest } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceTest {
  /** The vector file's path, as given to the runner. */
  readonly file: string;
  readonly tcId: number;
  /** The group's handler. */
  readonly type: string;
  readonly requirements: readonly string[];
  readonly result: VectorResult;
  /** The vector's comment: what it checks, for a reader of the report. */
  readonly comment?: string;
  readonly expected?: Readonly<Record<string, unknown>>;
  readonly outcome: TestOutcome;
  /** The code the SDK answered, if any. */
  readonly code?: string;
  /** Why it failed or is indeterminate; what the SDK answered. */
  readonly detail?: string;
  /** Milliseconds the handler took. */
  readonly ms: number;
  /** SHA-256 (hex) of the canonical JSON (RFC 8785) of the vector's input. */
  readonly inputSha256: string;
  /**
   * What the SDK answered (at most 200 characters): the code it refused
   * with, `accepted`, `refused` (no code), the value it computed (`root
   * 6e340b9c…`, `deadline 2026-03-13T23:00:00.000Z`) or `uncoded exception`;
   * absent when no answer was judged (an indeterminate vector, or a handler
   * that reports no answer).
   */
  readonly answer?: string;
  /** Each binary fixture the vector read, with the SHA-256 its bytes had (checked against the vector's). */
  readonly fixtures?: readonly ConformanceFixture[];
}

/**
 * A binary fixture a vector read (X-3): its path, relative to the vectors'
 * folder (`pdf/fixtures/pdf-SIG-3-t01-pass-b-b.pdf`), and the SHA-256 (hex)
 * of the bytes read — evidence an examiner checks with `sha256sum`.
 *
 * `import type { ConformanceFixture } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceFixture {
  readonly file: string;
  readonly sha256: string;
}

/**
 * A vector file run: its path as given to the runner, its SHA-256 (hex)
 * and how many of its tests ran. `hashed` says what was hashed: `bytes`, the
 * file as read (what `sha256sum` prints; when the caller gave them), else
 * `canonical-json`, the canonical JSON (RFC 8785) of the parsed file.
 *
 * `import type { ConformanceFile } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceFile {
  readonly path: string;
  readonly sha256: string;
  readonly hashed: 'bytes' | 'canonical-json';
  readonly tests: number;
}

/**
 * The totals of a run: tests run, by outcome, and how many were
 * negative (`invalid`: the SDK must refuse).
 *
 * `import type { ConformanceSummary } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceSummary {
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly indeterminate: number;
  readonly negatives: number;
}

/**
 * The tally and verdict of one requirement.
 *
 * `import type { RequirementReport } from '@s3404/conformance'`
 *
 * @public
 */
export interface RequirementReport {
  readonly verdict: RequirementVerdict;
  readonly passed: number;
  readonly failed: number;
  readonly indeterminate: number;
  /** `file#tcId` of every vector run for the requirement. */
  readonly vectors: readonly string[];
}

/**
 * The conformance report: a verdict per requirement in scope, and each
 * test with its evidence. `ok` only when every requirement in scope passed.
 *
 * `import type { ConformanceReport } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * const report = await runConformance({ sdk, files })
 * report.requirements['FORM-2']?.verdict // 'passed'
 * ```
 * @public
 */
export interface ConformanceReport {
  readonly ok: boolean;
  readonly sdkVersion?: string;
  /** The runtime that ran the vectors, e.g. `node 20.19.0`. */
  readonly runtime: string;
  /** When the run started (ISO 8601). */
  readonly date: string;
  /** The filter given, if any. */
  readonly filter?: string;
  /** The requirements in scope: the SPEC's whole list without a filter. */
  readonly requirements: Readonly<Record<string, RequirementReport>>;
  readonly tests: readonly ConformanceTest[];
  /** The totals of the tests run. */
  readonly summary?: ConformanceSummary;
  /** Each vector file with a test in scope, with its SHA-256. */
  readonly files?: readonly ConformanceFile[];
}

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
}

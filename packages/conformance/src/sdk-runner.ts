import type { RequirementVerdict, TestOutcome } from './report.js';

/**
 * What a conformance run answers, as far as the runner's own vectors judge it
 * each vector's outcome, each requirement's verdict.
 *
 * `import type { ConformanceRunnerAnswer } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceRunnerAnswer {
  readonly tests: readonly { readonly tcId: number; readonly outcome: TestOutcome }[];
  readonly requirements: Readonly<Record<string, { readonly verdict: RequirementVerdict }>>;
}

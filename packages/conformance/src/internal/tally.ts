import type { ConformanceTest, RequirementReport } from '../report.js';
import { MIN_PASSING_VECTORS } from '../requirements.js';

/**
 * The verdict of each requirement in scope: `failed` with one failed
 * test, `indeterminate` with one indeterminate, `not-covered` with fewer than
 * `minPassing` passing (default {@link MIN_PASSING_VECTORS}; the artifact
 * judge asks 1: one file judged), `passed` otherwise. Shared by the
 * vector runner, the contract suites and the artifact judge.
 */
export function tally(scope: readonly string[], tests: readonly ConformanceTest[], minPassing = MIN_PASSING_VECTORS): Record<string, RequirementReport> {
  const out: Record<string, RequirementReport> = {};
  for (const id of scope) {
    const mine = tests.filter((t) => t.requirements.includes(id));
    const count = (o: string): number => mine.filter((t) => t.outcome === o).length;
    const passed = count('passed');
    const failed = count('failed');
    const indeterminate = count('indeterminate');
    out[id] = {
      verdict: failed > 0 ? 'failed' : indeterminate > 0 ? 'indeterminate' : passed < minPassing ? 'not-covered' : 'passed',
      passed,
      failed,
      indeterminate,
      vectors: mine.map((t) => `${t.file}#${t.tcId}`),
    };
  }
  return out;
}

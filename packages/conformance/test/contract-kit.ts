import { expect } from 'vitest';
import type { ConformanceTest } from '@s3404/conformance';

/**
 * Test plumbing of the contract-suite tests: which cases did not pass,
 * and the check that a broken implementation fails exactly the cases it
 * should — the others passing — each with a detail that says why.
 */
export const failed = (tests: readonly ConformanceTest[]): number[] => tests.filter((t) => t.outcome !== 'passed').map((t) => t.tcId);

export function expectFailsExactly(tests: readonly ConformanceTest[], tcIds: readonly number[]): void {
  expect(tests.filter((t) => !tcIds.includes(t.tcId) && t.outcome !== 'passed').map((t) => `${t.tcId}: ${t.detail}`)).toEqual([]);
  expect(failed(tests)).toEqual(tcIds);
  for (const t of tests.filter((x) => tcIds.includes(x.tcId))) {
    expect(t.outcome).toBe('failed');
    expect(t.detail).toBeTruthy();
  }
}

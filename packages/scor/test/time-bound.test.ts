/**
 * The time bounds of the hostile-file tests (SCOR-1, X-2): a bound set on the reference machine
 * holds on a slower one, and still catches a check many times too slow.
 */
import { describe, expect, it } from 'vitest';
import { expectWithinBound, machineSlowness, measureWorkload, REFERENCE_WORKLOAD_MS } from '@s3404/tooling/time-bound';

describe('time bounds scaled by the machine’s slowness (X-2)', () => {
  it('passes under the bound without measuring the machine', () => {
    let measured = 0;
    expectWithinBound(1999, 2000, 'under', { slowness: () => ++measured });
    expect(measured).toBe(0);
  });

  it('over the bound, scales it by the slowness measured then, on the clock named', () => {
    const clocks: string[] = [];
    const slow = (clock: string): number => {
      clocks.push(clock);
      return 2.5;
    };
    expectWithinBound(4900, 2000, 'a machine 2.5 times slower', { slowness: slow, clock: 'wall' });
    expect(clocks).toEqual(['wall']);
    expect(() => expectWithinBound(5100, 2000, 'too slow even there', { slowness: slow })).toThrow(/5100 ms of cpu time, bound 2000 ms × 2\.50/);
  });

  it('over the bound, measures the work again twice and keeps the best before scaling', () => {
    const runs = [2300, 1900];
    let measured = 0;
    const slowness = (): number => {
      measured++;
      return 1;
    };
    expectWithinBound(2400, 2000, 'one slow run', { remeasure: () => runs.shift()!, slowness });
    expect(runs).toEqual([]);
    expect(measured).toBe(0);
    // Slow three times out of three: the bound is scaled by the machine's slowness, then judged.
    const always = [2500, 2600];
    expect(() => expectWithinBound(2400, 2000, 'slow every time', { remeasure: () => always.shift()!, slowness })).toThrow(/2400 ms of cpu time/);
    expect(measured).toBe(1);
  });

  it('never scales a bound down on a faster machine', () => {
    expect(() => expectWithinBound(2100, 2000, 'fast machine', { slowness: () => 0.5 })).toThrow(/× 1\.00/);
  });

  it('measures the workload on both clocks, and this machine is not many times slower than the reference', () => {
    const m = measureWorkload();
    for (const clock of ['cpu', 'wall'] as const) {
      expect(m[clock]).toBeGreaterThan(0);
      expect(Number.isFinite(m[clock])).toBe(true);
      expect(machineSlowness(clock)).toBeGreaterThanOrEqual(1);
    }
    // The reference is this machine's median: even loaded, the best of three is within a few times it.
    expect(m.cpu).toBeLessThan(REFERENCE_WORKLOAD_MS.cpu * 8);
  });

  it('a check 20 times over its bound fails on this machine, measured for real', () => {
    expect(() => expectWithinBound(40_000, 2000, 'hung')).toThrow(/hung: 40000 ms of cpu time/);
  });
});

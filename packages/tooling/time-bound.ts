/**
 * Time bounds of tests that must hold on a slower or busier machine than the one they were set on.
 *
 * A bound ("this hostile file is checked in under 2 s of CPU time") is set on a reference
 * machine. A fixed bound is then wrong two ways: on a machine half as fast, or one the other
 * test files keep busy, a bounded check looks unbounded; raised for the worst machine, it lets a
 * real slowdown through on the usual one. So a measurement over its bound is not yet a failure:
 * the machine's speed is measured again, at that moment, with a fixed workload of the same kind
 * (byte scanning, short strings, small objects, the garbage they leave), and the bound is scaled
 * by how much slower than the reference machine it runs now. Never scaled down: on a faster
 * machine the bound stays what it was set to.
 */
import { expect } from 'vitest';
import { prng } from './prng.js';

/**
 * What the workload costs on the reference machine (2 cores, Node 20, the machine of these
 * tests), in milliseconds: the median of 20 runs of {@link measureWorkload}, each the best of 3,
 * on an idle machine (they ranged from 39 to 120 ms of CPU time: the garbage collector's threads count).
 */
export const REFERENCE_WORKLOAD_MS = { cpu: 50, wall: 42 } as const;

/** Which clock a bound is on: CPU time of this process (`process.cpuUsage`) or wall-clock time. */
export type BoundClock = 'cpu' | 'wall';

let corpus: Uint8Array | undefined;

/** About 1 MiB of PDF-like tokens, the same bytes every time. */
function workloadBytes(): Uint8Array {
  if (corpus !== undefined) return corpus;
  const words = ['/Type', '/Page', '<<', '>>', '[', ']', '12', '0', 'R', '/Next', '(text)', 'obj', 'endobj', '3.14', '/S', '/GoTo'];
  const random = prng(0x9e3779b9);
  const parts: string[] = [];
  let length = 0;
  while (length < 1 << 20) {
    const w = words[Math.floor(random() * words.length)]!;
    parts.push(w);
    length += w.length + 1;
  }
  corpus = new TextEncoder().encode(parts.join(' '));
  return corpus;
}

/** One run of the workload: tokens read into strings, counted in a map, kept in small objects. */
function runWorkload(): number {
  const b = workloadBytes();
  const counts = new Map<string, number>();
  const kept: { name: string; at: number }[] = [];
  let p = 0;
  while (p < b.length) {
    while (p < b.length && b[p] === 0x20) p++;
    const from = p;
    while (p < b.length && b[p] !== 0x20) p++;
    let s = '';
    for (let i = from; i < p; i++) s += String.fromCharCode(b[i]!);
    counts.set(s, (counts.get(s) ?? 0) + 1);
    kept.push({ name: s, at: from });
  }
  return counts.size + kept.length;
}

/** The workload's cost now, in milliseconds on each clock: the best of `rounds` runs. */
export function measureWorkload(rounds = 3): { cpu: number; wall: number } {
  let cpu = Number.POSITIVE_INFINITY;
  let wall = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (runWorkload() === 0) throw new Error('the workload read nothing');
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, performance.now() - t0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return { cpu, wall };
}

/** How much slower than the reference machine this one runs the workload now, on `clock`; at least 1. */
export function machineSlowness(clock: BoundClock): number {
  return Math.max(1, measureWorkload()[clock] / REFERENCE_WORKLOAD_MS[clock]);
}

/** Options of {@link expectWithinBound}. */
export interface WithinBoundOptions {
  /** The clock `ms` was read on; `'cpu'` by default. */
  readonly clock?: BoundClock;
  /** Measures the machine's slowness now; {@link machineSlowness} by default (the tests of this module inject it). */
  readonly slowness?: (clock: BoundClock) => number;
  /**
   * Measures the same work again, in milliseconds on the same clock: over the bound, it is run twice more and the
   * best of the three kept (a garbage collection or a neighbour's burst slows one run, not the work's size).
   */
  readonly remeasure?: () => number;
}

/**
 * Expects `measured` under `boundMs`, the bound set on the reference machine. Over it, the work is
 * measured again when `remeasure` is given (the best of three kept), then the machine's slowness is
 * measured at once and the bound scaled by it; the failure message gives both.
 */
export function expectWithinBound(measured: number, boundMs: number, what: string, options: WithinBoundOptions = {}): void {
  let ms = measured;
  if (ms < boundMs) return;
  for (let again = 0; again < 2 && options.remeasure !== undefined && ms >= boundMs; again++) ms = Math.min(ms, options.remeasure());
  if (ms < boundMs) return;
  const clock = options.clock ?? 'cpu';
  const slowness = Math.max(1, (options.slowness ?? machineSlowness)(clock));
  expect(ms, `${what}: ${ms.toFixed(0)} ms of ${clock} time, bound ${boundMs} ms × ${slowness.toFixed(2)} (this machine's slowness now)`).toBeLessThan(
    boundMs * slowness,
  );
}

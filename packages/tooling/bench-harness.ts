/**
 * A small benchmark harness shared by the packages' `pnpm bench` scripts:
 * warm-up, then timed iterations of an async operation, reported as median,
 * p95 and mean in milliseconds; peers are measured in the same run and
 * printed as ratios.
 */
export interface BenchResult {
  readonly name: string;
  readonly iterations: number;
  readonly median: number;
  readonly p95: number;
  readonly mean: number;
}

export interface BenchOptions {
  readonly warmup?: number;
  readonly iterations?: number;
  /** Stop early after this many milliseconds of timed work. */
  readonly maxMs?: number;
}

export async function measure(name: string, fn: () => unknown, options: BenchOptions = {}): Promise<BenchResult> {
  const warmup = options.warmup ?? 10;
  const iterations = options.iterations ?? 50;
  const maxMs = options.maxMs ?? 60_000;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    if (performance.now() - start > maxMs && times.length >= 5) break;
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { name, iterations: times.length, median: at(0.5), p95: at(0.95), mean: times.reduce((s, t) => s + t, 0) / times.length };
}

/** Prints results as a Markdown table, with each row's median divided by the baseline's. */
export function report(title: string, results: readonly BenchResult[], baseline: string): string {
  const base = results.find((r) => r.name === baseline)!;
  const lines = [
    `### ${title}`,
    '',
    '| implementation | runs | median (ms) | p95 (ms) | mean (ms) | median ÷ baseline |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.iterations} | ${r.median.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.mean.toFixed(2)} | ${r === base ? '1.00 (baseline)' : `${(r.median / base.median).toFixed(2)}×`} |`,
    ),
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  return text;
}

/** The machine, for the record. */
export async function machine(): Promise<string> {
  const os = await import('node:os');
  return `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`;
}

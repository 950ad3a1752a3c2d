/**
 * The whole flow at scale (issue 19): `s3404 demo --count N` for the day sizes of
 * S3404_DEMO_COUNTS (default "1000"; e.g. S3404_DEMO_COUNTS=1000,10000) on the fast path, and,
 * in the same run, the SDK's naive path (S3404_DEMO_STRATEGY=naive: one bordereau at a time, every
 * consumption commit synced, one trace fsync per event) and the fast path on S3404_DEMO_NAIVE_COUNT
 * bordereaux (default 100), compared per bordereau. Each run is checked right after it ends with
 * tools of the SDK that did not write it: the trace verified against the demo's CA, every lot's ZIP
 * tested by Info-ZIP. Prints seconds, ms per bordereau, the child's peak RSS (GNU time), the stage
 * timings of summary.json, and the machine's load average next to them. The fast path runs the
 * small day twice: on the demo's own thread (S3404_DEMO_THREADS=0) and on worker threads (one per
 * core but one, at least 2, at most 4; the demo's default from 32 bordereaux on 3 cores or more).
 * Ends with the issue's four goals, each met, NOT met, or not run (a day size not in S3404_DEMO_COUNTS).
 *
 *   pnpm --filter @s3404/cli run build && pnpm --filter @s3404/cli exec tsx bench/demo.bench.ts
 *   S3404_DEMO_COUNTS=1000,10000 S3404_DEMO_NAIVE_COUNT=100 pnpm --filter @s3404/cli exec tsx bench/demo.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;
const counts = (process.env['S3404_DEMO_COUNTS'] ?? '1000').split(',').map((s) => Number(s.trim()));
const naiveCount = Number(process.env['S3404_DEMO_NAIVE_COUNT'] ?? '100');
const TIME = '/usr/bin/time';

interface Run {
  readonly strategy: 'fast' | 'naive';
  /** Worker threads that signed and sealed (summary.json's `threads`). */
  readonly threads: number;
  readonly n: number;
  readonly seconds: number;
  readonly msPer: number;
  readonly rssMb: number | undefined;
  /** CPU seconds of the child (user + system): what a loaded machine does not inflate as much as wall time. */
  readonly cpuS: number | undefined;
  readonly timings: Record<string, number>;
  readonly events: number;
  readonly lots: number;
  readonly ok: boolean;
  readonly load: string;
}

function run(strategy: 'fast' | 'naive', n: number, env: Record<string, string> = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), `s3404-demo-${strategy}-${n}-`));
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const args = ['--max-old-space-size=4096', BIN, 'demo', '--out', dir, '--count', String(n), '--json'];
  const withTime = existsSync(TIME);
  const t0 = performance.now();
  const child = spawnSync(withTime ? TIME : 'node', withTime ? ['-f', 'maxrss-kb=%M cpu-s=%U+%S', 'node', ...args] : args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, S3404_DEMO_STRATEGY: strategy, ...env },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (child.status !== 0) throw new Error(`demo --count ${n} (${strategy}) exited ${child.status}: ${child.stderr.slice(0, 2000)}`);
  const rss = /maxrss-kb=(\d+)/.exec(child.stderr)?.[1];
  const cpu = /cpu-s=([\d.]+)\+([\d.]+)/.exec(child.stderr);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
    valid: number;
    threads: number;
    timings: Record<string, number>;
    audit: { ok: boolean; events: number };
    pades: { passed: number };
    scor: { state: string; lots: { path: string }[] };
  };
  const verify = spawnSync('node', [BIN, 'audit', 'verify', join(dir, 'audit', 'trace.jsonl'), '--trust', join(dir, 'pki', 'ca.pem')], { encoding: 'utf8' });
  const zips = summary.scor.lots.map((l) => spawnSync('unzip', ['-tq', l.path]).status);
  const ok =
    summary.valid === n &&
    summary.pades.passed === n &&
    summary.audit.ok &&
    verify.status === 0 &&
    summary.scor.state === 'arl-positive' &&
    zips.every((z) => z === 0);
  rmSync(dir, { recursive: true, force: true });
  if (!ok) throw new Error(`demo --count ${n} (${strategy}): not verifiable right after it ended (${verify.stdout}${verify.stderr})`);
  return {
    strategy,
    threads: summary.threads,
    n,
    seconds,
    msPer: (seconds * 1000) / n,
    rssMb: rss === undefined ? undefined : Number(rss) / 1024,
    cpuS: cpu === null ? undefined : Number(cpu[1]) + Number(cpu[2]),
    timings: summary.timings,
    events: summary.audit.events,
    lots: summary.scor.lots.length,
    ok,
    load,
  };
}

const header = [
  '\n### s3404 demo at scale (issue 19)\n',
  '| path | bordereaux | seconds | ms per bordereau | CPU ms per bordereau | peak RSS (MB) | trace events | SCOR lots | stage timings (ms) | verifies right after | load average (1/5/15 min) at start |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|',
].join('\n');
const row = (r: Run): string =>
  `| ${r.strategy}${r.threads > 0 ? ` (${r.threads} threads)` : ' (1 thread)'} | ${r.n} | ${r.seconds.toFixed(1)} | ${r.msPer.toFixed(1)} | ${r.cpuS === undefined ? '?' : ((r.cpuS * 1000) / r.n).toFixed(1)} | ${r.rssMb === undefined ? '?' : r.rssMb.toFixed(0)} | ${r.events} | ${r.lots} | ${Object.entries(
    r.timings,
  )
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')} | ${r.ok ? 'yes' : 'NO'} | ${r.load} |`;
console.log(header);
const rows: string[] = [];
const emit = (r: Run): Run => {
  rows.push(row(r));
  console.log(rows[rows.length - 1]); // each row as soon as its run ends: a long run loses nothing
  return r;
};
// The naive path and the fast path on the same small day, one right after the other.
const naive = emit(run('naive', naiveCount));
const fastOne = emit(run('fast', naiveCount, { S3404_DEMO_THREADS: '0' }));
const fastSmall = emit(run('fast', naiveCount, { S3404_DEMO_THREADS: String(Math.min(4, Math.max(2, availableParallelism() - 1))) }));
const big = counts.map((n) => emit(run('fast', n)));
const lines = [
  `\nfast vs naive on ${naiveCount} bordereaux: ${(naive.msPer / fastSmall.msPer).toFixed(1)}× faster per bordereau (wall), ${
    naive.cpuS === undefined || fastSmall.cpuS === undefined ? '?' : (naive.cpuS / fastSmall.cpuS).toFixed(1)
  }× less CPU; on the demo's thread alone ${(naive.msPer / fastOne.msPer).toFixed(1)}× (worker threads: ${(fastOne.msPer / fastSmall.msPer).toFixed(1)}× the one thread)`,
  ...big.map((r) => `fast ${r.n} vs naive ${naiveCount}, per bordereau: ${(naive.msPer / r.msPer).toFixed(1)}×`),
];
if (big.length > 1) {
  const [a, b] = [big[0]!, big[big.length - 1]!];
  lines.push(`${b.n} vs ${a.n}: ${(b.seconds / a.seconds).toFixed(1)}× the time for ${(b.n / a.n).toFixed(0)}× the bordereaux`);
}
// The issue's goals, each with what this run measured (a size not run is said so, not counted as met).
const verdict = (met: boolean | undefined): string => (met === undefined ? 'not run' : met ? 'met' : 'NOT met');
const at = (n: number): Run | undefined => big.find((r) => r.n === n);
const [k1, k10] = [at(1000), at(10_000)];
const bestRatio = Math.max(naive.msPer / fastOne.msPer, naive.msPer / fastSmall.msPer);
lines.push(
  '\ngoals (issue 19, on this machine):',
  `- 1,000 bordereaux in ≤ 10 s: ${k1 === undefined ? '' : `${k1.seconds.toFixed(1)} s — `}${verdict(k1 === undefined ? undefined : k1.seconds <= 10)}`,
  `- 10,000 in ≤ 10× the time of 1,000 (linear): ${
    k1 === undefined || k10 === undefined ? '' : `${(k10.seconds / k1.seconds).toFixed(1)}× — `
  }${verdict(k1 === undefined || k10 === undefined ? undefined : k10.seconds <= 10 * k1.seconds)}`,
  `- peak RSS ≤ 400 MB at 10,000: ${k10?.rssMb === undefined ? '' : `${k10.rssMb.toFixed(0)} MB — `}${verdict(k10?.rssMb === undefined ? undefined : k10.rssMb <= 400)}`,
  `- ≥ 10× faster than the naive path (per bordereau, ${naiveCount} bordereaux, the faster of one thread and threads): ${bestRatio.toFixed(1)}× — ${verdict(bestRatio >= 10)}`,
);
console.log(`${header}\n${rows.join('\n')}\n${lines.join('\n')}`);

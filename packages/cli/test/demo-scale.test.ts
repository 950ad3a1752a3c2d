import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type Io } from '@s3404/cli';
import { cliIn } from './harness.js';

// Issue 19, "the whole flow at scale": stage timings, the progress bar, and the naive and fast paths giving the same day.
const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 's3404-demo-scale-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = cliIn(work);

interface Summary {
  valid: number;
  strategy: string;
  concurrency: number;
  threads: number;
  timings: Record<string, number>;
  totalMs: number;
  accountingDay: { bordereaux: number; complete: boolean };
  bordereaux: { id: string; signatures: number; pades: { status: string } }[];
  audit: { events: number; ok: boolean; checkpoints: string };
  pades: { sealed: number; passed: number };
  scor: { state: string; verified: boolean; manifestSeal: string; lots: { invoices: number }[] };
}
const summaryOf = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

/** Runs the command in-process with stderr as a terminal or not. */
async function demoWith(args: string[], stderrIsTTY: boolean): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { SOURCE_DATE_EPOCH: '1774000800' }, cwd: work, stderrIsTTY };
  const code = await run(args, io);
  return { code, out, err };
}

describe('s3404 demo at scale (issue 19)', () => {
  it('summary.json keeps the wall time of every stage, and the outputs still verify', async () => {
    const dir = join(work, 'timings');
    const r = await cli(['demo', '--out', dir, '--count', '4', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = summaryOf(dir);
    expect(s.strategy).toBe('fast');
    expect(Object.keys(s.timings).sort()).toEqual(['accountingDay', 'audit', 'pades', 'prepare', 'scor', 'sign']);
    for (const ms of Object.values(s.timings)) expect(Number.isInteger(ms) && ms >= 0).toBe(true);
    const staged = Object.values(s.timings).reduce((a, b) => a + b, 0);
    expect(staged).toBeLessThanOrEqual(s.totalMs + 1);
    expect(s.timings['sign']).toBeGreaterThan(0);
    // Verified by the SDK's own verifiers, which did not write them.
    expect((await cli(['audit', 'verify', join(dir, 'audit', 'trace.jsonl'), '--trust', join(dir, 'pki', 'ca.pem')])).code).toBe(0);
    const pdf = join(dir, 'bordereaux', readdirSorted(join(dir, 'bordereaux'))[3]!);
    expect((await cli(['pdf', 'verify', pdf, '--trust', join(dir, 'pki', 'ca.pem')])).code).toBe(0);
  }, 60_000);

  it('draws a progress bar with rate and ETA on stderr only when stderr is a terminal and the output is not --json', async () => {
    const tty = await demoWith(['demo', '--out', join(work, 'tty'), '--count', '3', '--lang', 'en'], true);
    expect(tty.code, tty.err).toBe(0);
    expect(tty.err).toMatch(/\r\x1b\[2Ksigning +[█░]+ \d+\/3 [\d.]+\/s (ETA|[\d ]+s elapsed)/);
    expect(tty.err).toMatch(/PAdES B-T +█+ 3\/3 [\d.]+\/s .*elapsed/);
    expect(tty.err).toMatch(/SCOR +█+ 3\/3/);
    // Every stage line is ended before the report's lines and at the end.
    expect(tty.err.endsWith('\n')).toBe(true);
    const piped = await demoWith(['demo', '--out', join(work, 'piped'), '--count', '3'], false);
    expect(piped.code, piped.err).toBe(0);
    expect(piped.err).toBe('');
    const json = await demoWith(['demo', '--out', join(work, 'json'), '--count', '3', '--json'], true);
    expect(json.code, json.err).toBe(0);
    expect(json.err).toBe('');
    expect(() => JSON.parse(json.out)).not.toThrow();
  }, 90_000);

  it.runIf(existsSync(BIN) && existsSync('/usr/bin/script'))(
    'the real command draws it on a pseudo-terminal and not into a pipe',
    () => {
      const dir = join(work, 'pty');
      // `script` gives the command a pseudo-terminal; stdout and stderr both land on it.
      const pty = spawnSync('script', ['-qec', `node ${BIN} demo --out ${dir} --count 2 --lang en`, '/dev/null'], { encoding: 'utf8' });
      expect(pty.status, pty.stdout).toBe(0);
      expect(pty.stdout).toMatch(/signing +[█░]+ \d\/2/);
      const pipe = spawnSync('node', [BIN, 'demo', '--out', join(work, 'pipe'), '--count', '2', '--lang', 'en'], { encoding: 'utf8' });
      expect(pipe.status, pipe.stderr).toBe(0);
      expect(pipe.stderr).not.toMatch(/[█░]/);
    },
    60_000,
  );

  it('the naive path (S3404_DEMO_STRATEGY=naive) and the fast path give the same day: events, signatures, seals, lots, verdicts', async () => {
    const fastDir = join(work, 'fast');
    const naiveDir = join(work, 'naive');
    expect((await cli(['demo', '--out', fastDir, '--count', '5', '--json'])).code).toBe(0);
    expect((await cli(['demo', '--out', naiveDir, '--count', '5', '--json'], { S3404_DEMO_STRATEGY: 'naive' })).code).toBe(0);
    const fast = summaryOf(fastDir);
    const naive = summaryOf(naiveDir);
    expect([fast.strategy, naive.strategy]).toEqual(['fast', 'naive']);
    expect(naive.concurrency).toBe(1);
    expect(fast.concurrency).toBeGreaterThan(1);
    const shape = (s: Summary) => ({
      valid: s.valid,
      accountingDay: s.accountingDay,
      signatures: s.bordereaux.map((b) => b.signatures),
      pades: s.pades,
      seals: s.bordereaux.map((b) => b.pades.status),
      events: s.audit.events,
      audit: [s.audit.ok, s.audit.checkpoints],
      scor: [s.scor.state, s.scor.verified, s.scor.manifestSeal, s.scor.lots.map((l) => l.invoices)],
    });
    expect(shape(fast)).toEqual(shape(naive));
    expect(fast.valid).toBe(5);
    for (const dir of [fastDir, naiveDir]) {
      expect((await cli(['audit', 'verify', join(dir, 'audit', 'trace.jsonl'), '--trust', join(dir, 'pki', 'ca.pem')])).code).toBe(0);
      // The same actions were traced, as many times each.
      expect(actions(dir)).toEqual(actions(fastDir));
    }

    // On worker threads (a large day's default; asked here for a small one): the same day again. Each
    // thread's trace events are in the one chained log, its PDFs verify, its store is the same file.
    const threadsDir = join(work, 'threads');
    const t = await cli(['demo', '--out', threadsDir, '--count', '5', '--json'], { S3404_DEMO_THREADS: '2' });
    expect(t.code, t.err).toBe(0);
    const threaded = summaryOf(threadsDir);
    expect([fast.threads, naive.threads, threaded.threads]).toEqual([0, 0, 2]);
    expect(shape(threaded)).toEqual(shape(fast));
    expect(actions(threadsDir)).toEqual(actions(fastDir));
    expect((await cli(['audit', 'verify', join(threadsDir, 'audit', 'trace.jsonl'), '--trust', join(threadsDir, 'pki', 'ca.pem')])).code).toBe(0);
    for (const f of readdirSorted(join(threadsDir, 'bordereaux')))
      expect((await cli(['pdf', 'verify', join(threadsDir, 'bordereaux', f), '--trust', join(threadsDir, 'pki', 'ca.pem')])).code, f).toBe(0);
    // The trace's times never go back by more than the signatures in flight: one clock for every thread.
    const times = traceTimes(threadsDir);
    const step = Math.max(...times.slice(1).map((x, i) => times[i]! - x));
    expect(step).toBeLessThan(5 * 60_000);
  }, 180_000);

  it('many bordereaux in flight: no signature’s capture context expires while the others sign', async () => {
    // 64 bordereaux all in flight at once, on one clock: while one waits for its context's trace commit, the 63
    // others sign; with a whole pause (7 s) per signature, its context is 7 minutes old when sealed (ERR_CONTEXT_EXPIRED).
    const dir = join(work, 'in-flight');
    const r = await cli(['demo', '--out', dir, '--count', '64', '--json'], { S3404_DEMO_CONCURRENCY: '64' });
    expect(r.code, r.err).toBe(0);
    const s = summaryOf(dir);
    expect([s.concurrency, s.valid, s.pades.passed]).toEqual([64, 64, 64]);
    expect((await cli(['audit', 'verify', join(dir, 'audit', 'trace.jsonl'), '--trust', join(dir, 'pki', 'ca.pem')])).code).toBe(0);
  }, 120_000);
});

function readdirSorted(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The time of each event of the trace, in the order written (ms). */
function traceTimes(dir: string): number[] {
  return readFileSync(join(dir, 'audit', 'trace.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Date.parse((JSON.parse(l) as { time: string }).time));
}

/** How many times each action appears in the trace. */
function actions(dir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of readFileSync(join(dir, 'audit', 'trace.jsonl'), 'utf8').split('\n')) {
    if (l === '') continue;
    const a = (JSON.parse(l) as { action: string }).action;
    counts[a] = (counts[a] ?? 0) + 1;
  }
  return counts;
}

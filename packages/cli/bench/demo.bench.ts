/**
 * The demo at scale (issue 14, defect 9): `s3404 demo --count N` for the day sizes of
 * S3404_DEMO_COUNTS (default "1000"; e.g. S3404_DEMO_COUNTS=1,72,1000,10000), each checked right
 * after it ends with tools of the SDK that did not write it: the trace verified against the demo's
 * CA, every lot's ZIP tested by Info-ZIP. Prints the wall time and the time per bordereau of each
 * run (memory at scale is issue 19's).
 *
 *   pnpm --filter @s3404/cli bench                       # 1,000 bordereaux
 *   S3404_DEMO_COUNTS=10000 pnpm --filter @s3404/cli bench
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;
const counts = (process.env['S3404_DEMO_COUNTS'] ?? '1000').split(',').map((s) => Number(s.trim()));
const rows: string[] = [];
const header = [
  '\n### s3404 demo at scale (issue 14)\n',
  '| bordereaux | seconds | ms per bordereau | trace events | SCOR lots | verifies right after (trace with the CA, every lot with unzip -t) |',
  '|---:|---:|---:|---:|---:|---|',
].join('\n');
console.log(header);
for (const n of counts) {
  const dir = mkdtempSync(join(tmpdir(), `s3404-demo-${n}-`));
  const t0 = performance.now();
  const run = spawnSync('node', ['--max-old-space-size=8192', BIN, 'demo', '--out', dir, '--count', String(n), '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(`demo --count ${n} exited ${run.status}: ${run.stderr.slice(0, 2000)}`);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
    valid: number;
    audit: { ok: boolean; events: number };
    scor: { state: string; lots: { path: string }[] };
  };
  const verify = spawnSync('node', [BIN, 'audit', 'verify', join(dir, 'audit', 'trace.jsonl'), '--trust', join(dir, 'pki', 'ca.pem')], { encoding: 'utf8' });
  const zips = summary.scor.lots.map((l) => spawnSync('unzip', ['-tq', l.path]).status);
  const ok = summary.valid === n && summary.audit.ok && verify.status === 0 && summary.scor.state === 'arl-positive' && zips.every((z) => z === 0);
  rows.push(
    `| ${n} | ${seconds.toFixed(1)} | ${((seconds * 1000) / n).toFixed(1)} | ${summary.audit.events} | ${summary.scor.lots.length} | ${ok ? 'yes' : 'NO'} |`,
  );
  console.log(rows[rows.length - 1]); // each row as soon as its run ends: a long run loses nothing
  rmSync(dir, { recursive: true, force: true });
  if (!ok) {
    throw new Error(`demo --count ${n}: not verifiable right after it ended (${verify.stdout}${verify.stderr})`);
  }
}
console.log(`${header}\n${rows.join('\n')}`);

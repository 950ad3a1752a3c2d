import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerJob, WorkerLine } from './race-protocol.js';

/** A running worker process: its lines so far, its end, and a SIGKILL. */
export interface SpawnedWorker {
  readonly lines: WorkerLine[];
  readonly ready: Promise<void>;
  /** Resolves once the worker wrote `count` progress lines (`apply`, `win`), or ended. */
  progress(count: number): Promise<void>;
  readonly done: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stderr: string }>;
  /** Starts the consumption (every worker of a race waits for it once ready). */
  go(): void;
  kill(): void;
}

/**
 * A worker script of `src/node/` (`race-worker` by default): the TypeScript
 * source next to this module (run through tsx, with the source condition) in
 * the monorepo; once built, `dist/node/<name>.js` — next to this code, or
 * under `node/` when the bundler moved it into a chunk at the root of
 * `dist/` (it is shared by two entry points), which a relative path alone
 * missed (the built `s3404 conformance --adapter` failed to start its worker).
 */
export function workerCommand(name = 'race-worker'): { readonly args: string[]; readonly cwd: string | undefined } {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) {
    const candidates = [`./${name}.js`, `./node/${name}.js`].map((p) => fileURLToPath(new URL(p, import.meta.url)));
    return { args: [candidates.find((c) => existsSync(c)) ?? candidates[0]!], cwd: undefined };
  }
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  // tsx is a dev dependency of this package: resolved from its folder.
  return { args: ['--conditions=@s3404/source', '--import', 'tsx', script], cwd: fileURLToPath(new URL('../..', import.meta.url)) };
}

/** Starts a worker on `job`; a worker that runs longer than `timeoutMs` is killed. */
export function spawnWorker(job: WorkerJob, timeoutMs: number): SpawnedWorker {
  const { args, cwd } = workerCommand();
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(cwd === undefined ? {} : { cwd }) });
  const lines: WorkerLine[] = [];
  let stderr = '';
  let pending = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const waiting: { count: number; resolve: () => void }[] = [];
  let progressed = 0;
  let ended = false;
  const wake = (): void => {
    for (const w of waiting.splice(0))
      if (ended || progressed >= w.count) w.resolve();
      else waiting.push(w);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    pending += d;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const text = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        const line = JSON.parse(text) as WorkerLine;
        lines.push(line);
        if (line.t === 'ready') markReady();
        if (line.t === 'apply' || line.t === 'win') {
          progressed++;
          wake();
        }
      } catch {
        stderr += `unparsable line: ${text.slice(0, 200)}\n`;
      }
      nl = pending.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 20_000) stderr += d;
  });
  child.stdin.on('error', () => undefined);
  child.stdin.write(`${JSON.stringify(job)}\n`);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('error', (e) => {
      stderr += String(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      markReady();
      ended = true;
      wake();
      resolve({ code, signal, stderr });
    });
  });
  const progress = (count: number): Promise<void> =>
    new Promise<void>((resolve) => {
      waiting.push({ count, resolve });
      wake();
    });
  const go = (): void => {
    child.stdin.end('go\n');
  };
  return { lines, ready, progress, done, go, kill: () => child.kill('SIGKILL') };
}

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A writer process of `test/workers/` (AUD-2), with the events it acknowledged. */
export interface Writer {
  /** `seq → hash` of every event the process acknowledged (durably written). */
  readonly acks: Map<number, string>;
  /** Every other line the process printed, in order. */
  readonly lines: string[];
  /** The exit code (`null` when killed by a signal). */
  readonly done: Promise<number | null>;
  /** Resolves at the first acknowledgement, or at exit. */
  readonly started: Promise<void>;
  /** Resolves when the process printed `word` alone on a line (`opening`, `holding`), or at exit. */
  said(word: string): Promise<void>;
  kill(): void;
}

/** Runs `test/workers/<worker>` under Node with the sources (the `@s3404/source` condition) and collects its `ack <seq> <hash>` lines. */
export function spawnWriter(worker: string, args: readonly string[]): Writer {
  const file = fileURLToPath(new URL(`./workers/${worker}`, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks = new Map<number, string>();
  const printed: string[] = [];
  let buffer = '';
  let stderr = '';
  const words = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const word = (w: string) => {
    let entry = words.get(w);
    if (entry === undefined) {
      let resolve!: () => void;
      entry = { promise: new Promise<void>((r) => (resolve = r)), resolve };
      words.set(w, entry);
    }
    return entry;
  };
  let resolveStarted!: () => void;
  const started = new Promise<void>((r) => (resolveStarted = r));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const l of lines) {
      const [first, seq, hash] = l.split(' ');
      if (first === 'ack') acks.set(Number(seq), hash!);
      else {
        printed.push(l);
        word(l).resolve();
      }
    }
    if (acks.size > 0) resolveStarted();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolveStarted();
      for (const w of words.values()) w.resolve();
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    }),
  );
  let exited = false;
  void done.then(() => (exited = true));
  return {
    acks,
    lines: printed,
    done,
    started,
    said: (w) => (exited ? Promise.resolve() : word(w).promise),
    kill: () => child.kill('SIGKILL'),
  };
}

/** The `seq → hash` of every complete line of a trace file, and every sequence number in file order. */
export function storedEvents(path: string): { readonly bySeq: Map<number, string>; readonly seqs: number[] } {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop();
  const bySeq = new Map<number, string>();
  const seqs: number[] = [];
  for (const l of lines) {
    const e = JSON.parse(l) as { seq: number; hash: string };
    bySeq.set(e.seq, e.hash);
    seqs.push(e.seq);
  }
  return { bySeq, seqs };
}

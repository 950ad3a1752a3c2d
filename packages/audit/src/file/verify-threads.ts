import { open } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '@s3404/core/node';
import { AuditError } from '../errors/audit-error.js';
import { CHECKPOINT_PREFIX, idealCuts, joinSegments, planSegments, traceStart, type LineSpan, type SegmentTask } from '../internal/verify-segments.js';
import type { SegmentResult, SegmentStart, VerifyLogOptions, VerifyReport } from '../verify-log.js';
import { runSegmentJob, type SegmentJob } from './segment-job.js';

const MARK = Buffer.from(`\n${CHECKPOINT_PREFIX}`);

/** Bytes read at a time while looking for a checkpoint line. */
const BLOCK = 1 << 20;

/**
 * Finds where to cut a trace file without reading all of it: its first
 * line; from each ideal cut, the next checkpoint line (read forward block by
 * block), or — when no checkpoint follows — the next line start (a cut in
 * the unsealed tail). `null` when the first line is longer than `maxLine`
 * or the file does not end with a newline (left to the serial
 * verification, which reports it).
 */
async function scanFile(
  path: string,
  size: number,
  cuts: readonly number[],
  maxLine: number,
): Promise<{ first: Uint8Array; checkpoints: LineSpan[]; lineStarts: (number | null)[] } | null> {
  const fh = await open(path, 'r');
  try {
    const read = async (at: number, length: number): Promise<Buffer> => {
      const b = Buffer.alloc(Math.max(0, Math.min(length, size - at)));
      let got = 0;
      while (got < b.length) {
        const { bytesRead } = await fh.read(b, got, b.length - got, at + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return b.subarray(0, got);
    };
    if (size === 0 || (await read(size - 1, 1))[0] !== 10) return null;
    const head = await read(0, Math.min(size, maxLine + 1));
    const nl = head.indexOf(10);
    if (nl < 0) return null;
    const first = head.subarray(0, nl + 1);
    const checkpoints: LineSpan[] = [];
    if (first.subarray(0, MARK.length - 1).equals(MARK.subarray(1))) checkpoints.push({ start: 0, end: first.length });
    const lineStarts: (number | null)[] = cuts.map(() => null);
    let reached = 0; // every checkpoint line before this offset is known
    let tail = false; // no checkpoint after the cuts from here on
    for (let i = 0; i < cuts.length; i++) {
      const cut = cuts[i]!;
      if (cut < reached) continue;
      // The line start at or after the cut: a cut in the tail, if no checkpoint follows.
      const near = await read(Math.max(cut - 1, 0), maxLine + 2);
      const n = near.indexOf(10);
      lineStarts[i] = n < 0 || Math.max(cut - 1, 0) + n + 1 >= size ? null : Math.max(cut - 1, 0) + n + 1;
      if (tail) continue;
      // The next checkpoint line.
      let at = Math.max(cut - 1, 0);
      let found = false;
      while (!found && at < size) {
        const block = await read(at, BLOCK + MARK.length);
        const k = block.indexOf(MARK);
        if (k >= 0) {
          const start = at + k + 1;
          const end = block.indexOf(10, k + 1) >= 0 ? at + block.indexOf(10, k + 1) + 1 : await lineEnd(read, start, size);
          checkpoints.push({ start, end });
          reached = start;
          found = true;
        } else at += BLOCK;
      }
      tail = !found; // no checkpoint after this cut: the rest is the unsealed tail
    }
    // The last checkpoint, so that tail cuts come after it.
    let back = size;
    const known = checkpoints.length === 0 ? 0 : checkpoints[checkpoints.length - 1]!.end;
    while (back > known) {
      const from = Math.max(known, back - BLOCK);
      const block = await read(from, back - from + MARK.length);
      const k = block.lastIndexOf(MARK);
      if (k >= 0 && from + k + 1 > known) {
        const start = from + k + 1;
        checkpoints.push({ start, end: await lineEnd(read, start, size) });
        break;
      }
      back = from;
    }
    const unique = new Map(checkpoints.map((c) => [c.start, c]));
    return { first, checkpoints: [...unique.values()].sort((x, y) => x.start - y.start), lineStarts };
  } finally {
    await fh.close();
  }
}

/** Offset just after the newline that ends the line starting at `start`. */
async function lineEnd(read: (at: number, length: number) => Promise<Buffer>, start: number, size: number): Promise<number> {
  for (let at = start; at < size; at += BLOCK) {
    const k = (await read(at, BLOCK)).indexOf(10);
    if (k >= 0) return at + k + 1;
  }
  return size;
}

/**
 * Runs the tasks on `threads` threads — this one, which is warm, and
 * `threads - 1` workers, each sent one task at once (it waits for the
 * worker to start) and the next one when done — and resolves when every
 * task is done. Rejects when a worker fails: answers an error, crashes
 * (`error`), exits without answering (`ERR_AUDIT_STORE_UNAVAILABLE`), or
 * cannot start; from the first failure no task is handed out any more.
 * Every worker started is terminated before it settles, and a worker's
 * failure while this thread verifies its own share is never an unhandled
 * rejection (which would end the process).
 */
async function runOnWorkers(
  path: string,
  tasks: readonly SegmentTask[],
  start: SegmentStart,
  options: SegmentJob['options'],
  threads: number,
): Promise<SegmentResult[]> {
  const results: SegmentResult[] = new Array(tasks.length);
  let next = 0;
  let done = 0;
  let failed = false;
  let stopping = false;
  let finish!: () => void;
  let reject!: (e: unknown) => void;
  const all = new Promise<void>((resolve, rejectAll) => {
    finish = resolve;
    reject = rejectAll;
  });
  // Awaited only once this thread is done with its share, but a worker may fail before: observed from now on.
  all.catch(() => undefined);
  const fail = (e: unknown): void => {
    failed = true;
    reject(e); // the first failure wins; the others find it settled
  };
  const record = (id: number, result: SegmentResult): void => {
    results[id] = result;
    if (++done === tasks.length) finish();
  };
  const job = (id: number): SegmentJob => ({ id, path, task: tasks[id]!, start, options });
  const workers: Worker[] = [];
  try {
    for (let k = 1; k < Math.min(threads, tasks.length); k++) {
      const w = startModuleWorker(import.meta.url, 'verify-worker');
      workers.push(w);
      const send = (): void => {
        if (!failed && next < tasks.length) w.postMessage(job(next++));
      };
      w.on('message', (m: { id: number; result?: SegmentResult; error?: string }) => {
        if (m.error !== undefined) fail(new Error(m.error));
        else if (m.result !== undefined) record(m.id, m.result);
        send();
      });
      w.on('error', fail);
      // A worker stops only when terminated below: gone before, it took its task with it.
      w.on('exit', (code) => {
        if (!stopping && done < tasks.length)
          fail(
            new AuditError('ERR_AUDIT_STORE_UNAVAILABLE', {
              params: { detail: `verification worker exited (code ${code})` },
              ...(options.locale === undefined ? {} : { locale: options.locale }),
            }),
          );
      });
      send();
    }
    while (!failed && next < tasks.length) {
      const id = next++;
      record(id, await runSegmentJob(job(id)));
    }
    await all;
  } finally {
    stopping = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * Verifies a trace file in segments on worker threads (AUD-2); `null` when
 * the file is better verified serially (it does not split, its first line
 * does not verify, a segment is damaged, the seams do not join): the caller
 * then runs the serial verification, which names the damage.
 */
export async function verifyFileInThreads(path: string, size: number, options: VerifyLogOptions, threads: number): Promise<VerifyReport | null> {
  const count = threads * 4;
  const max = options.maxLineBytes ?? 1 << 20;
  const cuts = idealCuts(size, count);
  const scan = await scanFile(path, size, cuts, max);
  if (scan === null) return null;
  const start = await traceStart(scan.first, options);
  if (start === null) return null;
  const tasks = planSegments(size, count, scan.checkpoints, scan.lineStarts);
  if (tasks.length < 2) return null;
  const { strict, maxLineBytes, clockSkewSeconds, expect, locale } = options;
  const jobOptions = {
    ...(strict === undefined ? {} : { strict }),
    ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
    ...(clockSkewSeconds === undefined ? {} : { clockSkewSeconds }),
    ...(expect === undefined ? {} : { expect }),
    ...(locale === undefined ? {} : { locale }),
  };
  const parts = await runOnWorkers(path, tasks, start, jobOptions, threads);
  return joinSegments(tasks, parts, options);
}

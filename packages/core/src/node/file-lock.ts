import { randomUUID } from 'node:crypto';
import { link, open, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CoreError } from '../errors/core-error.js';
import type { LocalizedText } from '../errors/define-errors.js';
import type { Locale } from '../errors/locale.js';
import { ensureDirectory } from './ensure-directory.js';

/**
 * The points of {@link acquireFileLock} and of its release where a test may
 * stop the process (SIGKILL), to check that no interruption lets two
 * holders in or leaves a lock nobody can take (X-2). Test instrumentation.
 *
 * `import type { FileLockStep } from '@s3404/core/node'`
 *
 * @public
 */
export type FileLockStep = 'listed' | 'judged' | 'prepared' | 'linked' | 'confirmed' | 'collected' | 'releasing' | 'released';

/** Options of {@link acquireFileLock} and {@link withFileLock} (X-2). @public */
export interface FileLockOptions {
  /** How long to wait for a live holder before giving up with `ERR_LOCK_TIMEOUT`, milliseconds. Default 10,000. */
  readonly timeoutMs?: number;
  /** Language of the error message. Default French. */
  readonly locale?: Locale | string | undefined;
  /**
   * Test instrumentation: called at every {@link FileLockStep} of this
   * acquisition and of its release (a test may kill the process there).
   * Default: none. Not for production code.
   */
  readonly onStep?: ((step: FileLockStep) => void) | undefined;
}

/** Ends the hold of a lock taken by {@link acquireFileLock}; idempotent (X-2). @public */
export type ReleaseFileLock = () => Promise<void>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The holder removes what is below its generation once the directory holds more names than this (a few unlinks every few acquisitions). */
const COLLECT_ABOVE = 16;
/** A temporary record older than this was left by a process that died before linking it. */
const ABANDONED_TEMP_MS = 30_000;
/** A record that cannot be read as `pid host token` (not written by this code) is taken over after this long. */
const UNREADABLE_RECORD_MS = 2_000;
const UNREADABLE: LocalizedText = { fr: 'enregistrement illisible', en: 'unreadable record' };

function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The generations named in a listing: `<n>` (a holder's record) and `<n>.free` (its release). */
function generations(names: readonly string[]): { readonly max: number; readonly free: ReadonlySet<number> } {
  let max = 0;
  const free = new Set<number>();
  for (const name of names) {
    const m = /^(\d{1,15})(\.free)?$/.exec(name);
    if (m === null) continue;
    const n = Number(m[1]);
    if (m[2] !== undefined) free.add(n);
    else if (n > max) max = n;
  }
  return { max, free };
}

const gone = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Takes an exclusive lock shared by the processes of one machine (X-2,
 * AUD-2, SIG-5) — the one cross-process lock of the SDK, for a
 * read-modify-write of a file that several processes share (a trace, a
 * signed PDF, a list of terminals). There is no window in which two
 * processes hold it, even when a holder is killed at any point, and a lock
 * whose holder died is taken over at once. Node only.
 *
 * The lock is a directory (`dir`, created if missing, conventionally
 * `<file>.lock.d` beside the file it guards) of numbered generations.
 * Generation `n` is held by the process that created the file `n` — created
 * once, by `link` of a complete temporary file, which fails if the name
 * exists — and ends when its holder writes `n.free`, or when its holder's
 * process is gone (same host, `kill(pid, 0)`; a holder on another host is
 * waited for). To acquire, a process lists the directory, finds the highest
 * generation `m`, and if it has ended, creates `m + 1`; it then lists again
 * and holds the lock only if no generation above its own exists (else it
 * removes its file and starts over). The holder removes the generations
 * below its own; nobody ever removes the highest one.
 *
 * Why at most one process holds it: the highest generation number never
 * decreases (only files below a higher one are ever removed), so a process
 * that finds no generation above its own `k` after creating it holds the
 * first and only file ever named `k`; it created it after seeing `k - 1`
 * ended, and a generation that has ended stays ended (its holder released it
 * or died); by induction every generation below `k` has ended while `k` is
 * held, and `k + 1` cannot be created before `k` ends. Nothing is ever
 * renamed or deleted to take a lock over, so there is no instant when the
 * lock looks free while someone holds it. A process killed at any step
 * leaves either nothing, an unlinked temporary file (removed later), a
 * generation whose holder is dead (taken over as above) or a stray file
 * below the highest generation (ignored, then removed).
 *
 * The lock is not reentrant and knows no threads: two acquisitions in one
 * process wait for each other like two processes do.
 *
 * `import { acquireFileLock } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * const release = await acquireFileLock('state/trace.jsonl.lock.d', { timeoutMs: 5_000 })
 * try {
 *   // read, change and write state/trace.jsonl
 * } finally {
 *   await release()
 * }
 * ```
 * @returns the function that releases the lock (idempotent).
 * @throws {@link CoreError} `ERR_LOCK_TIMEOUT` (kind `unavailable`, `params.path` and `params.holder`) when a live holder kept it longer than `timeoutMs`;
 * `ERR_FILE_UNWRITABLE` when the directory cannot be created; the file system's own error when it fails otherwise.
 * @throws TypeError when `dir` is not a non-empty string or `timeoutMs` not a non-negative number.
 * @public
 */
export async function acquireFileLock(dir: string, options: FileLockOptions = {}): Promise<ReleaseFileLock> {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('acquireFileLock: dir must be a non-empty string');
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) throw new TypeError('acquireFileLock: timeoutMs must be a non-negative number');
  const probe = (step: FileLockStep): void => options.onStep?.(step);
  const host = hostname();
  const record = `${process.pid} ${host} ${randomUUID()}\n`;
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  for (;;) {
    const seen = generations(await list(dir));
    probe('listed');
    const m = seen.max;
    let holder: string | LocalizedText | null = null;
    if (m > 0 && !seen.free.has(m)) {
      let content: string;
      try {
        content = await readFile(join(dir, String(m)), 'utf8');
      } catch (e) {
        if (gone(e)) continue; // removed since the listing: a higher generation exists now
        throw e;
      }
      const [pidText, owner, token] = content.trimEnd().split(' ');
      if (token === undefined || owner === undefined || !/^\d+$/.test(pidText ?? '')) {
        const age = await stat(join(dir, String(m))).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age < UNREADABLE_RECORD_MS) holder = UNREADABLE;
      } else if (owner !== host || alive(Number(pidText))) {
        holder = `pid ${pidText}${owner === host ? '' : ` @${owner}`}`;
      }
    }
    if (holder !== null) {
      if (Date.now() > deadline) throw new CoreError('ERR_LOCK_TIMEOUT', { params: { path: dir, holder }, locale: options.locale });
      await sleep(delay);
      delay = Math.min(delay * 2, 25);
      continue;
    }
    // Generation m has ended: claim m + 1.
    probe('judged');
    const k = m + 1;
    const mine = join(dir, String(k));
    const temp = join(dir, `tmp-${process.pid}-${randomUUID()}`);
    await writeFile(temp, record, { flag: 'wx' });
    probe('prepared');
    let claimed = true;
    try {
      await link(temp, mine);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      claimed = false; // another process claimed k first
    } finally {
      if (claimed) probe('linked');
      await unlink(temp).catch(() => undefined);
    }
    if (!claimed) continue;
    const after = await list(dir);
    const now = generations(after);
    if (now.max > k) {
      // k had existed and been removed (we listed long ago): this file is a stray below the highest generation.
      await unlink(mine).catch(() => undefined);
      continue;
    }
    probe('confirmed');
    if (after.length > COLLECT_ABOVE) await collect(dir, after, k);
    probe('collected');
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      probe('releasing');
      try {
        await (await open(join(dir, `${k}.free`), 'wx')).close();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      probe('released');
    };
  }
}

/**
 * Runs `fn` under the lock `dir` ({@link acquireFileLock}) and releases the
 * lock when `fn` settles, whether it returns or throws (X-2, SIG-5). Node only.
 *
 * `import { withFileLock } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * await withFileLock(`${path}.lock.d`, async () => {
 *   const list = JSON.parse(await readFile(path, 'utf8'))
 *   await writeFileAtomic(path, JSON.stringify([...list, item]))
 * })
 * ```
 * @returns what `fn` returns.
 * @throws {@link CoreError} `ERR_LOCK_TIMEOUT` (kind `unavailable`) and the other errors of {@link acquireFileLock}; whatever `fn` throws.
 * @public
 */
export async function withFileLock<T>(dir: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError('withFileLock: fn must be a function');
  const release = await acquireFileLock(dir, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** The names in the lock's directory, created if missing. */
async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (!gone(e)) throw e;
    await ensureDirectory(dir);
    return readdir(dir);
  }
}

/** Removes, under the lock held as generation `k`, the generations below it and temporary files left by dead processes. */
async function collect(dir: string, names: readonly string[], k: number): Promise<void> {
  const now = Date.now();
  for (const name of names) {
    const m = /^(\d{1,15})(\.free)?$/.exec(name);
    if (m !== null) {
      if (Number(m[1]) < k) await unlink(join(dir, name)).catch(() => undefined);
      continue;
    }
    if (name.startsWith('tmp-')) {
      const s = await stat(join(dir, name)).catch(() => null);
      if (s !== null && now - s.mtimeMs > ABANDONED_TEMP_MS) await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

import { randomUUID } from 'node:crypto';
import { link, open, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Locale } from '@s3404/core';
import { ensureDirectory } from '@s3404/core/node';
import { AuditError } from '../errors/audit-error.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The points of {@link acquireFileLock} and of its release where a test may
 * stop the process (SIGKILL), to check that no interruption lets two
 * holders in or leaves a lock nobody can take.
 */
export type LockStep = 'listed' | 'judged' | 'prepared' | 'linked' | 'confirmed' | 'collected' | 'releasing' | 'released';

/** Test instrumentation: called at every {@link LockStep}. Not part of the package's API. */
export const lockProbe: { step: ((step: LockStep) => void) | null } = { step: null };
const probe = (step: LockStep): void => lockProbe.step?.(step);

/** The holder removes what is below its generation once the directory holds more names than this (a few unlinks every few acquisitions). */
const COLLECT_ABOVE = 16;
/** A temporary record older than this was left by a process that died before linking it. */
const ABANDONED_TEMP_MS = 30_000;
/** A record that cannot be read as `pid host token` (not written by this code) is taken over after this long. */
const UNREADABLE_RECORD_MS = 2_000;

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
 * An exclusive lock between the processes of one machine, with no window in
 * which two processes hold it, even when a holder is killed at any point.
 *
 * The lock is a directory of numbered generations. Generation `n` is held by
 * the process that created the file `n` — created once, by `link` of a
 * complete temporary file, which fails if the name exists — and ends when
 * its holder writes `n.free`, or when its holder's process is gone (same
 * host, `kill(pid, 0)`). To acquire, a process lists the directory, finds
 * the highest generation `m`, and if it has ended, creates `m + 1`; it then
 * lists again and holds the lock only if no generation above its own exists
 * (else it removes its file and starts over). The holder removes the
 * generations below its own; nobody ever removes the highest one.
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
 */
export async function acquireFileLock(dir: string, options: { readonly timeoutMs: number; readonly locale: Locale }): Promise<() => Promise<void>> {
  const host = hostname();
  const record = `${process.pid} ${host} ${randomUUID()}\n`;
  const deadline = Date.now() + options.timeoutMs;
  let delay = 1;
  for (;;) {
    const seen = generations(await list(dir));
    probe('listed');
    const m = seen.max;
    let holder: string | null = null;
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
        if (age < UNREADABLE_RECORD_MS) holder = 'unreadable record';
      } else if (owner !== host || alive(Number(pidText))) {
        holder = `pid ${pidText}${owner === host ? '' : ` @${owner}`}`;
      }
    }
    if (holder !== null) {
      if (Date.now() > deadline) throw new AuditError('ERR_AUDIT_LOCKED', { params: { detail: `${dir} (${holder})` }, locale: options.locale });
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

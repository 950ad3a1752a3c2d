import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Locale } from '@s3404/core';
import { AuditError } from '../errors/audit-error.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock between the processes of one machine: a lock file
 * created with O_EXCL holding `pid host token`. A lock whose process is
 * gone (SIGKILL) is taken over: renamed aside atomically, so two waiters
 * cannot both take it.
 */
export async function acquireFileLock(lockPath: string, options: { readonly timeoutMs: number; readonly locale: Locale }): Promise<() => Promise<void>> {
  const host = hostname();
  const token = `${process.pid} ${host} ${randomUUID()}\n`;
  const deadline = Date.now() + options.timeoutMs;
  let delay = 1;
  for (;;) {
    try {
      const fh = await open(lockPath, 'wx');
      try {
        await fh.writeFile(token);
      } finally {
        await fh.close();
      }
      return async () => {
        try {
          if ((await readFile(lockPath, 'utf8')) === token) await unlink(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let content: string;
    try {
      content = await readFile(lockPath, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    const [pidText, owner] = content.split(' ');
    let stale: boolean;
    if (content === '') {
      // Created but not yet written, or its writer died in between: stale after a while.
      stale = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs > 2000,
        () => false,
      );
    } else {
      stale = owner === host && !alive(Number(pidText));
    }
    if (stale) {
      await takeOver(lockPath, content);
      continue;
    }
    if (Date.now() > deadline) throw new AuditError('ERR_AUDIT_LOCKED', { params: { detail: `${lockPath} (pid ${pidText})` }, locale: options.locale });
    await sleep(delay);
    delay = Math.min(delay * 2, 25);
  }
}

async function takeOver(lockPath: string, seen: string): Promise<void> {
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // someone else took it over first
  }
  const content = await readFile(aside, 'utf8').catch(() => '');
  if (content !== seen) {
    // A live lock was created between our read and the rename: put it back.
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

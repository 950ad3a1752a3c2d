import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError, isS3404Error } from '@s3404/core';
import { ensureDirectory } from '@s3404/core/node';
import { openSqliteDriver, type SqliteDriverDatabase } from '@s3404/core/stores';
import { usage } from '../args.js';

/** The lock file a running demo holds in its output folder. */
export const DEMO_LOCK = '.s3404-demo.lock';

/** The table that marks the lock file as a demo's: present once a demo has started writing into the folder. */
const MARK = 's3404_demo';

/** A demo's output folder, locked for one run (see {@link lockDemoDirectory}). */
export interface DemoLock {
  /**
   * Whether a demo already wrote into this folder: its lock file carries the
   * demo's mark (set by {@link DemoLock.mark}, kept when the demo is killed).
   * A lock file without it — left by a run that refused the folder, or made
   * by someone else — says nothing about the folder.
   */
  readonly previous: boolean;
  /** Marks the folder as a demo's, durably, before the demo writes its first part into it. */
  mark(): void;
  /**
   * Releases the lock (idempotent). `forget`: the folder was refused and
   * nothing was written, so a lock file this run created is removed too —
   * the folder is left as it was found.
   */
  release(forget?: boolean): void;
}

/**
 * Locks a demo's output folder for one run, so that two demos writing into
 * the same `--out` at once cannot mix their outputs (issue 14, defect 9). The
 * lock is an exclusive SQLite transaction on `DIR/.s3404-demo.lock`: the
 * operating system's file lock, which it releases when the process ends —
 * even killed — so a crash never leaves a stale lock behind and no takeover
 * logic is needed. Another demo gets a usage error at once (no waiting).
 *
 * The lock file also says whether the folder is a demo's (`previous`): only
 * once {@link DemoLock.mark} committed the demo's mark in it — the file's
 * mere presence does not, since a run that refused a folder also made one.
 *
 * @throws `ERR_FILE_UNWRITABLE` (core, exit 2) when the folder or its lock
 * file cannot be written; `ERR_USAGE` when another demo holds the lock or the
 * lock file is not one.
 */
export async function lockDemoDirectory(out: string, locale: 'fr' | 'en'): Promise<DemoLock> {
  await ensureDirectory(out, { locale });
  const path = join(out, DEMO_LOCK);
  const unwritable = (reason: string | undefined, cause: unknown): CoreError =>
    new CoreError('ERR_FILE_UNWRITABLE', { locale, params: { path, reason }, cause });
  // Created here (or found): the file system's own error for a folder that cannot be written (EACCES, EPERM, EROFS,
  // ENOSPC), instead of SQLite's "unable to open database file"; and whether this run made the file.
  let created = false;
  try {
    closeSync(openSync(path, 'wx', 0o644));
    created = true;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== 'EEXIST') throw unwritable(typeof code === 'string' ? code : undefined, e);
  }
  let db: SqliteDriverDatabase | undefined;
  let previous: boolean;
  try {
    // The stores' driver: better-sqlite3, or node:sqlite where it cannot load (Node 22.5+).
    db = await openSqliteDriver(path, { timeout: 0, betterSqlite3: () => import('better-sqlite3') });
    begin(db, out);
    previous = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${MARK}'`).get() !== undefined;
  } catch (e) {
    db?.close();
    if (created) rmSync(path, { force: true });
    if (isS3404Error(e)) throw e; // another demo holds the lock
    if (sqliteCode(e) === 'SQLITE_NOTADB')
      throw usage({
        fr: `${path} n'est pas le verrou d'une démonstration : supprimez-le ou choisissez un autre --out`,
        en: `${path} is not a demo's lock file: remove it or choose another --out`,
      });
    throw unwritable(sqliteCode(e), e);
  }
  const lock = db;
  let released = false;
  return {
    previous,
    mark() {
      if (previous) return;
      // Committed at once, so that a demo killed from now on is still known as one; then locked again. Between the
      // two, another demo may take the lock: it then finds the folder marked and empty of any part but ours.
      try {
        lock.exec(`CREATE TABLE IF NOT EXISTS ${MARK} (marked_at TEXT NOT NULL); INSERT INTO ${MARK} VALUES (datetime('now')); COMMIT`);
      } catch (e) {
        throw unwritable(sqliteCode(e), e);
      }
      begin(lock, out);
    },
    release(forget = false) {
      if (released) return;
      released = true;
      try {
        lock.exec('ROLLBACK');
      } catch {
        // no transaction left open (mark() lost the lock to another demo): nothing to roll back
      } finally {
        lock.close();
      }
      if (forget && created) rmSync(path, { force: true });
    },
  };
}

/** Takes the exclusive lock, or refuses at once when another demo holds it. */
function begin(db: SqliteDriverDatabase, out: string): void {
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    if (sqliteCode(e)?.startsWith('SQLITE_BUSY') === true) {
      throw usage({
        fr: `une autre démonstration écrit dans ${out} : attendez qu'elle finisse ou choisissez un autre --out`,
        en: `another demo is writing into ${out}: wait for it to finish or choose another --out`,
      });
    }
    throw e;
  }
}

/** SQLite's result code as better-sqlite3 (`code`) and node:sqlite (`errcode`, primary code in the low byte) report it. */
const PRIMARY: Readonly<Record<number, string>> = {
  5: 'SQLITE_BUSY',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  26: 'SQLITE_NOTADB',
};
function sqliteCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; errcode?: unknown } | null;
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_')) {
    const primary = /^SQLITE_[A-Z]+/.exec(err.code)![0];
    return primary === 'SQLITE_NOTADB' || primary === 'SQLITE_BUSY' ? primary : err.code;
  }
  if (typeof err?.errcode === 'number') return PRIMARY[err.errcode & 0xff] ?? `SQLITE_${err.errcode}`;
  return undefined;
}

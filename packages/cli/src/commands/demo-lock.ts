import { join } from 'node:path';
import { ensureDirectory } from '@s3404/core/node';
import { openSqliteDriver } from '@s3404/core/stores';
import { usage } from '../args.js';

/** The lock file a running demo holds in its output folder. */
export const DEMO_LOCK = '.s3404-demo.lock';

/**
 * Locks a demo's output folder for one run, so that two demos writing into
 * the same `--out` at once cannot mix their outputs (issue 14, defect 9). The
 * lock is an exclusive SQLite transaction on `DIR/.s3404-demo.lock`: the
 * operating system's file lock, which it releases when the process ends —
 * even killed — so a crash never leaves a stale lock behind and no takeover
 * logic is needed. Another demo gets a usage error at once (no waiting).
 *
 * @returns the release function (idempotent).
 */
export async function lockDemoDirectory(out: string, locale: 'fr' | 'en'): Promise<() => void> {
  await ensureDirectory(out, { locale });
  // The stores' driver: better-sqlite3, or node:sqlite where it cannot load (Node 22.5+).
  const db = await openSqliteDriver(join(out, DEMO_LOCK), { timeout: 0, betterSqlite3: () => import('better-sqlite3') });
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if (isBusy(e)) {
      throw usage({
        fr: `une autre démonstration écrit dans ${out} : attendez qu'elle finisse ou choisissez un autre --out`,
        en: `another demo is writing into ${out}: wait for it to finish or choose another --out`,
      });
    }
    throw e;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      db.exec('ROLLBACK');
    } finally {
      db.close();
    }
  };
}

/** SQLite's "database is locked" (SQLITE_BUSY), as better-sqlite3 (`code`) and node:sqlite (`errcode` 5) report it. */
function isBusy(e: unknown): boolean {
  const err = e as { code?: unknown; errcode?: unknown } | null;
  return (typeof err?.code === 'string' && err.code.startsWith('SQLITE_BUSY')) || err?.errcode === 5;
}

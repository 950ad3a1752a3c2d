import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureDirectory } from '@s3404/core/node';
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
  const db = new Database(join(out, DEMO_LOCK), { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY') === true) {
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

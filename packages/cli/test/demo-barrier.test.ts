import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { sqliteDurabilityBarrier } from '../src/commands/demo-pipeline.js';

/**
 * Issue 19: the demo's single-use store commits with `synchronous=NORMAL`
 * (WAL written, not synced) and a barrier per bordereau puts every commit
 * made so far on disk: one `fdatasync` of the WAL, off the event loop, shared
 * by every bordereau waiting at the time.
 */
const dir = mkdtempSync(join(tmpdir(), 's3404-barrier-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Counts the `fdatasync`s of every FileHandle, with the inode each was made on. */
async function countDatasyncs(): Promise<{ inodes: number[] }> {
  const probe = await open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { datasync(this: { stat(): Promise<{ ino: number }> }): Promise<void> };
  await probe.close();
  const inodes: number[] = [];
  const original = proto.datasync;
  vi.spyOn(proto, 'datasync').mockImplementation(async function (this: { stat(): Promise<{ ino: number }> }) {
    inodes.push((await this.stat()).ino);
    return original.call(this);
  });
  return { inodes };
}

function walDatabase(name: string): Database.Database {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)');
  return db;
}

describe('the demo’s durability barrier (issue 19)', () => {
  it('shares one fdatasync of the WAL between the callers waiting at once, and orders a later caller after a later sync', async () => {
    const db = walDatabase('group.sqlite');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const barrier = sqliteDurabilityBarrier(join(dir, 'group.sqlite'));
    const { inodes } = await countDatasyncs();
    insert.run('first');
    await barrier.sync();
    expect(inodes).toEqual([statSync(join(dir, 'group.sqlite-wal')).ino]);
    // Twenty bordereaux finishing together: the first starts a sync, the nineteen others share the next one.
    for (let i = 0; i < 20; i++) insert.run(`b${i}`);
    await Promise.all(Array.from({ length: 20 }, () => barrier.sync()));
    expect(inodes.length).toBeLessThanOrEqual(3);
    expect(inodes.length).toBeGreaterThanOrEqual(2);
    // Alone again: a sync of its own.
    insert.run('last');
    const before = inodes.length;
    await barrier.sync();
    expect(inodes.length).toBe(before + 1);
    await barrier.close();
    db.close();
  });

  it('follows a WAL file SQLite replaced, and falls back to a checkpoint where there is no WAL file', async () => {
    const path = join(dir, 'replaced.sqlite');
    let db = walDatabase('replaced.sqlite');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('one');
    const barrier = sqliteDurabilityBarrier(path);
    const { inodes } = await countDatasyncs();
    await barrier.sync();
    // The last connection closes (the WAL is checkpointed and deleted), then a new one writes a new WAL.
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    await barrier.sync(); // no WAL file: a checkpoint instead, nothing thrown
    db = walDatabase('replaced.sqlite');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('two');
    await barrier.sync();
    expect(inodes).toHaveLength(2);
    expect(inodes[1]).toBe(statSync(`${path}-wal`).ino);
    await barrier.close();
    expect(db.prepare('SELECT v FROM t ORDER BY k').all()).toEqual([{ v: 'one' }, { v: 'two' }]);
    db.close();
  });

  it('close() waits for the sync in flight', async () => {
    const db = walDatabase('close.sqlite');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('x');
    const barrier = sqliteDurabilityBarrier(join(dir, 'close.sqlite'));
    let synced = false;
    const pending = barrier.sync().then(() => {
      synced = true;
    });
    await barrier.close();
    expect(synced).toBe(true);
    await pending;
    db.close();
  });
});

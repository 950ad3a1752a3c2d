import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSqliteDriver, openSqliteDriver } from '@s3404/core/stores';

/**
 * X-1: the SQLite driver of the embedded stores. On Node it is better-sqlite3, loaded by the
 * store's package; without it, Node ≥ 22.5 falls back to `node:sqlite` and older Node reports
 * the loader's error. (Bun's and Deno's drivers run in `@s3404/conformance`'s runtime tests.)
 */
const dir = mkdtempSync(join(tmpdir(), 's3404-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const absent = (): Promise<unknown> => Promise.reject(Object.assign(new Error("Cannot find package 'better-sqlite3'"), { code: 'ERR_MODULE_NOT_FOUND' }));
const nodeSqlite = typeof (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:sqlite') === 'object';

describe('X-1 openSqliteDriver on Node', () => {
  it('picks better-sqlite3 on Node', () => {
    expect(defaultSqliteDriver()).toBe('better-sqlite3');
  });

  it('runs statements and immediate transactions on better-sqlite3, and refuses calls once closed', async () => {
    const db = await openSqliteDriver(join(dir, 'a.sqlite'), { timeout: 100, betterSqlite3: () => import('better-sqlite3') });
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB) STRICT');
    const put = db.prepare<[string, Uint8Array], never>('INSERT INTO t VALUES (?, ?) ON CONFLICT DO NOTHING');
    const get = db.prepare<[string], { v: Uint8Array }>('SELECT v FROM t WHERE k = ?');
    expect(db.transaction((k: string) => put.run(k, Uint8Array.of(1, 2)).changes).immediate('x')).toBe(1);
    expect(put.run('x', Uint8Array.of(3)).changes).toBe(0);
    expect([...get.get('x')!.v]).toEqual([1, 2]);
    expect(get.get('y')).toBeUndefined();
    expect(() =>
      db
        .transaction(() => {
          put.run('z', Uint8Array.of(9));
          throw new Error('rolled back');
        })
        .immediate(),
    ).toThrow('rolled back');
    expect(get.get('z')).toBeUndefined();
    db.close();
    expect(db.open).toBe(false);
    expect(() => get.get('x')).toThrow();
  });

  it('without better-sqlite3: node:sqlite on Node ≥ 22.5, else the loader’s error', async () => {
    const opening = openSqliteDriver(join(dir, 'b.sqlite'), { timeout: 100, betterSqlite3: absent });
    if (nodeSqlite) {
      const db = await opening;
      expect(db.prepare<[], { n: number }>('SELECT 1 AS n').get()).toEqual({ n: 1 });
      db.close();
    } else await expect(opening).rejects.toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
  });

  it('better-sqlite3 installed but its native addon built for another Node: node:sqlite on Node ≥ 22.5, else the addon’s error', async () => {
    // What an upgrade of Node without a reinstall leaves (issue 19): the package imports, its first database fails.
    let opened = 0;
    class Mismatched {
      constructor() {
        opened++;
        throw new Error('The module better_sqlite3.node was compiled against a different Node.js version using NODE_MODULE_VERSION 115.');
      }
    }
    const mismatched = (): Promise<unknown> => Promise.resolve({ default: Mismatched });
    for (const name of ['e.sqlite', 'f.sqlite']) {
      const opening = openSqliteDriver(join(dir, name), { timeout: 100, betterSqlite3: mismatched });
      if (nodeSqlite) {
        const db = await opening;
        expect(db.prepare<[], { n: number }>('SELECT 1 AS n').get()).toEqual({ n: 1 });
        db.close();
      } else await expect(opening).rejects.toThrow(/NODE_MODULE_VERSION/);
    }
    // The addon is tried once per process, not at every open (plus the file's own open where there is no fallback).
    expect(opened).toBe(nodeSqlite ? 1 : 3);
    // Asked for by name, it is never replaced.
    await expect(openSqliteDriver(join(dir, 'g.sqlite'), { timeout: 100, betterSqlite3: mismatched, driver: 'better-sqlite3' })).rejects.toThrow(
      /NODE_MODULE_VERSION/,
    );
  });

  it('refuses a malformed timeout or loader with a TypeError', async () => {
    const path = join(dir, 'd.sqlite');
    for (const timeout of [-1, 1.5, Number.NaN, '100; DROP TABLE t' as never])
      await expect(openSqliteDriver(path, { timeout, betterSqlite3: () => import('better-sqlite3') })).rejects.toThrow(TypeError);
    await expect(openSqliteDriver(path, { timeout: 100, betterSqlite3: undefined as never })).rejects.toThrow(TypeError);
  });

  it('never falls back when better-sqlite3 is asked for by name', async () => {
    await expect(openSqliteDriver(join(dir, 'c.sqlite'), { timeout: 100, betterSqlite3: absent, driver: 'better-sqlite3' })).rejects.toMatchObject({
      code: 'ERR_MODULE_NOT_FOUND',
    });
  });
});

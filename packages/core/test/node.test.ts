import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { ensureDirectory, openRegularFile, readFileBounded, syncDirectory, writeFileAtomic } from '@s3404/core/node';

const dir = mkdtempSync(join(tmpdir(), 's3404-core-'));

async function codeOf(p: Promise<unknown>): Promise<{ code: string; kind: string; cause: unknown; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; kind: string; cause: unknown; message: string };
  }
  throw new Error('expected a rejection');
}

describe('writeFileAtomic', () => {
  it('writes the whole file, creating folders, with the mode asked', async () => {
    const path = join(dir, 'a/b/out.bin');
    const full = await writeFileAtomic(path, Uint8Array.of(1, 2, 3), { mode: 0o600 });
    expect(full).toBe(path);
    expect(readFileSync(path)).toEqual(Buffer.from([1, 2, 3]));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await writeFileAtomic(path, 'texte é');
    expect(readFileSync(path, 'utf8')).toBe('texte é');
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['out.bin']);
  });

  it('leaves nothing behind and the target untouched when the rename fails (a folder in the way)', async () => {
    const target = join(dir, 'is-a-dir');
    mkdirSync(join(target, 'inside'), { recursive: true });
    const e = await codeOf(writeFileAtomic(target, Uint8Array.of(1)));
    expect(e.code).toBe('ERR_FILE_UNWRITABLE');
    expect(e.kind).toBe('input');
    expect((e.cause as { code: string }).code).toMatch(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(statSync(target).isDirectory()).toBe(true);
  });

  it('refuses a path under a file, or an empty one, with a coded error or a TypeError', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const e = await codeOf(writeFileAtomic(join(dir, 'plain/child.bin'), Uint8Array.of(1), { locale: 'en' }));
    expect(e.code).toBe('ERR_FILE_UNWRITABLE');
    expect(e.message).toMatch(/^Cannot write the file .*plain\/child\.bin \((ENOTDIR|EEXIST)\): nothing was written\.$/);
    await expect(writeFileAtomic('', Uint8Array.of(1))).rejects.toThrow(TypeError);
    await expect(writeFileAtomic(join(dir, 'x'), 42 as unknown as Uint8Array)).rejects.toThrow(TypeError);
  });
});

describe('readFileBounded', () => {
  it('reads a regular file and refuses folders, missing files and files over the limit', async () => {
    const path = join(dir, 'in.txt');
    writeFileSync(path, 'abc');
    expect(await readFileBounded(path)).toEqual(new Uint8Array([97, 98, 99]));
    expect((await codeOf(readFileBounded(dir))).code).toBe('ERR_FILE_UNREADABLE');
    expect((await codeOf(readFileBounded(join(dir, 'missing')))).message).toMatch(/ENOENT/);
    const big = await codeOf(readFileBounded(path, { maxBytes: 2, locale: 'en' }));
    expect(big.code).toBe('ERR_INPUT_TOO_LARGE');
    expect(big.message).toBe('Input too large: 3 bytes, at most 2.');
    if (existsSync('/dev/zero')) expect((await codeOf(readFileBounded('/dev/zero'))).code).toBe('ERR_FILE_UNREADABLE');
  });
});

describe('ensureDirectory', () => {
  it('opens a regular file with its size, refuses a folder or a missing file with the reason; syncs a folder, or does nothing', async () => {
    {
      const path = join(dir, 'open-regular.bin');
      writeFileSync(path, 'abc');
      const { handle, size } = await openRegularFile(path);
      expect(size).toBe(3);
      await handle.close();
      await expect(openRegularFile(dir, { locale: 'en' })).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE', params: { reason: 'EISDIR' } });
      await expect(openRegularFile(join(dir, 'none'))).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE', params: { reason: 'ENOENT' } });
      // A FIFO (a reader's open would wait for a writer for ever): refused at once, as is readFileBounded's read of it.
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const within = <T>(p: Promise<T>): Promise<T | 'hung'> => Promise.race([p, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 3_000))]);
      expect(
        await within(
          openRegularFile(fifo).then(
            () => 'opened',
            (e: { params?: { reason?: string } }) => e.params?.reason,
          ),
        ),
      ).toBe('ENOTFILE');
      expect(
        await within(
          readFileBounded(fifo).then(
            () => 'read',
            (e: { code?: string }) => e.code,
          ),
        ),
      ).toBe('ERR_FILE_UNREADABLE');
      await expect(syncDirectory(dir)).resolves.toBeUndefined();
      await expect(syncDirectory(join(dir, 'none'))).resolves.toBeUndefined();
    }
  });

  it('creates missing levels, accepts an existing folder, refuses a file in the way', async () => {
    const deep = join(dir, 'd1/d2/d3');
    expect(await ensureDirectory(deep)).toBe(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(await ensureDirectory(deep)).toBe(deep);
    writeFileSync(join(dir, 'a-file'), 'x');
    const e = await codeOf(ensureDirectory(join(dir, 'a-file/sub')));
    expect(e.code).toBe('ERR_FILE_UNWRITABLE');
    expect(e.message).toMatch(/ENOTDIR/);
    await expect(ensureDirectory('')).rejects.toThrow(TypeError);
  });

  it('never hangs on a pseudo file system where Node’s recursive mkdir loops (mkdir -p /proc/x/y)', async () => {
    if (!existsSync('/proc/self')) return;
    for (const path of ['/proc/s3404-x', '/proc/s3404-x/y/z']) {
      const started = Date.now();
      const e = await codeOf(ensureDirectory(path));
      expect(e.code).toBe('ERR_FILE_UNWRITABLE');
      expectWithinBound(Date.now() - started, 5000, 'mkdir on a looping pseudo file system', { clock: 'wall' });
    }
    const w = await codeOf(writeFileAtomic('/proc/s3404-x/y.pdf', Uint8Array.of(1)));
    expect(w.code).toBe('ERR_FILE_UNWRITABLE');
  });

  it('lets concurrent callers create the same tree', async () => {
    const target = join(dir, 'race/a/b/c');
    await Promise.all(Array.from({ length: 8 }, () => ensureDirectory(target)));
    expect(statSync(target).isDirectory()).toBe(true);
  });
});

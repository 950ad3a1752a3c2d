import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes bytes to `path` atomically (SCOR-2, X-2): a temporary file in the
 * same directory, written in full and flushed to disk (fsync), renamed over
 * `path`, and the directory flushed too. A reader sees the whole lot or
 * none of it — never half a lot, even after a crash or a power cut.
 * Creates missing directories. Node only.
 *
 * `import { writeLotFile } from '@s3404/scor/file'`
 *
 * @example
 * ```ts
 * const lot = await packLot(description, { files })
 * await writeLotFile(`out/${lot.container.fileName}`, lot.container.bytes)
 * ```
 * @throws the file system's error (ENOSPC, EACCES…); the temporary file is removed first.
 * @public
 */
export async function writeLotFile(path: string, bytes: Uint8Array): Promise<string> {
  if (typeof path !== 'string' || path === '') throw new TypeError('writeLotFile: path must be a non-empty string');
  if (!(bytes instanceof Uint8Array)) throw new TypeError('writeLotFile: bytes must be a Uint8Array');
  const full = resolve(path);
  const dir = dirname(full);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(full)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      let offset = 0;
      while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, full);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDirectory(dir);
  return full;
}

/** Flushes a directory entry (the rename) to disk; a no-op where directories cannot be opened (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // some file systems refuse fsync on a directory: the rename is still atomic
  } finally {
    await handle.close();
  }
}

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { CoreError } from '../errors/core-error.js';
import type { Locale } from '../errors/locale.js';

/**
 * Opens a regular file for reading and gives its handle and size; a
 * missing file, a folder or a device is `ERR_FILE_UNREADABLE` (kind `input`,
 * the system's reason as `params.reason`), never a read of a folder nor a
 * wait on a FIFO (opened without blocking, then refused as `ENOTFILE`). The
 * caller closes the handle. Node only.
 *
 * `import { openRegularFile } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * const { handle, size } = await openRegularFile('lot.zip')
 * try { … await handle.read(buffer, 0, n, offset) … } finally { await handle.close() }
 * ```
 * @throws {@link CoreError} `ERR_FILE_UNREADABLE`.
 * @public
 */
export async function openRegularFile(path: string, options: { readonly locale?: Locale | string } = {}): Promise<{ handle: FileHandle; size: number }> {
  const unreadable = (reason: string | undefined, cause?: unknown): CoreError =>
    new CoreError('ERR_FILE_UNREADABLE', { params: { path, reason }, locale: options.locale, cause });
  let handle: FileHandle;
  try {
    // Non-blocking: a FIFO's open would otherwise wait for a writer for ever; a regular file reads the same.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw unreadable((e as { code?: string }).code, e);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw unreadable(st.isDirectory() ? 'EISDIR' : 'ENOTFILE');
    return { handle, size: st.size };
  } catch (e) {
    await handle.close().catch(() => undefined);
    if (e instanceof CoreError) throw e;
    throw unreadable((e as { code?: string }).code, e);
  }
}

/**
 * Flushes a folder's entries (a rename, a new file) to disk; a no-op
 * where folders cannot be opened or synced (Windows, some file systems): the
 * rename is atomic all the same, only its durability across a power cut is
 * then the file system's. Node only.
 *
 * `import { syncDirectory } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * await rename(tmp, path); await syncDirectory(dirname(path))
 * ```
 * @public
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // The rename is atomic all the same; only its durability across a power cut is the file system's.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CoreError, type Locale } from '@s3404/core';
import { ensureDirectory, syncDirectory } from '@s3404/core/node';

/** The file being written: its bytes so far, appended chunk by chunk. */
export interface FileThrough {
  write(chunk: Uint8Array): Promise<void>;
  /** Bytes written so far. */
  readonly written: number;
}

/**
 * Writes a file that appears at `path` only complete (X-2, SCOR-2): `fill`
 * writes it chunk by chunk into a new temporary file beside `path` (never
 * the whole content in memory); when it answers `keep`, the file is synced,
 * renamed onto `path` and its folder synced; when it answers otherwise or
 * throws, the temporary file is removed and `path` is untouched. Node only.
 *
 * @throws CoreError `ERR_FILE_UNWRITABLE` (from `@s3404/core`) for the folder, the temporary file, a write or the rename;
 *   what `fill` throws.
 */
export async function writeFileThrough<T>(
  path: string,
  options: { readonly tag: string; readonly locale?: Locale },
  fill: (file: FileThrough) => Promise<{ readonly keep: boolean; readonly value: T }>,
): Promise<T> {
  const unwritable = (cause: unknown): CoreError =>
    new CoreError('ERR_FILE_UNWRITABLE', {
      params: { path, reason: (cause as { code?: string } | null)?.code ?? undefined },
      ...(options.locale === undefined ? {} : { locale: options.locale }),
      cause,
    });
  const dir = dirname(path);
  try {
    await ensureDirectory(dir, options.locale === undefined ? {} : { locale: options.locale });
  } catch (e) {
    throw unwritable(e);
  }
  const tag = options.tag.replace(/[^0-9A-Za-z._-]/g, '_').slice(0, 64);
  const tmp = join(dir, `.${tag}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(tmp, 'wx', 0o644);
  } catch (e) {
    throw unwritable(e);
  }
  let written = 0;
  const file: FileThrough = {
    async write(chunk) {
      for (let done = 0; done < chunk.length; ) {
        try {
          done += (await handle.write(chunk, done, chunk.length - done, written + done)).bytesWritten;
        } catch (e) {
          throw unwritable(e);
        }
      }
      written += chunk.length;
    },
    get written() {
      return written;
    },
  };
  let renamed = false;
  let result: { readonly keep: boolean; readonly value: T };
  try {
    result = await fill(file);
    if (!result.keep) return result.value;
    try {
      await handle.sync();
      await handle.close();
      await rename(tmp, path);
      renamed = true;
    } catch (e) {
      throw unwritable(e);
    }
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
  await syncDirectory(dir);
  return result.value;
}

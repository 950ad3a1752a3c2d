import { writeFileAtomic } from '@s3404/core/node';
import type { Locale } from '@s3404/core';

/**
 * Options of {@link writeLotFile} (SCOR-2).
 *
 * `import type { WriteLotFileOptions } from '@s3404/scor/file'`
 *
 * @public
 */
export interface WriteLotFileOptions {
  /** Language of the error message. Default `'fr'`; anything but English is French. */
  readonly locale?: Locale;
}

/**
 * Writes a lot container to `path` atomically (SCOR-2, X-2) with the one
 * atomic writer of the SDK (`writeFileAtomic` of `@s3404/core/node`): a
 * temporary file in the same folder, written in full and flushed to disk
 * (fsync), renamed over `path`, then the folder flushed; the temporary file
 * is removed on every failure. A reader sees the whole lot or none of it —
 * never half a lot, even after a crash or a power cut. Creates missing
 * folders. Node only.
 *
 * `import { writeLotFile } from '@s3404/scor/file'`
 *
 * @example
 * ```ts
 * const lot = await packLot(description, { files })
 * await writeLotFile(`out/${lot.container.fileName}`, lot.container.bytes)
 * ```
 * @returns the absolute path written.
 * @throws {@link CoreError} `ERR_FILE_UNWRITABLE` (kind `input`, from `@s3404/core`) with the file system's error (ENOSPC, EACCES…) as `cause`; the old file, if any, is left as it was.
 * @throws TypeError when `path` is not a non-empty string or `bytes` not a Uint8Array.
 * @public
 */
export async function writeLotFile(path: string, bytes: Uint8Array, options: WriteLotFileOptions = {}): Promise<string> {
  if (typeof path !== 'string' || path === '') throw new TypeError('writeLotFile: path must be a non-empty string');
  if (!(bytes instanceof Uint8Array)) throw new TypeError('writeLotFile: bytes must be a Uint8Array');
  return writeFileAtomic(path, bytes, options.locale === undefined ? {} : { locale: options.locale });
}

import { openRegularFile } from './open-regular-file.js';
import { CoreError } from '../errors/core-error.js';
import type { Locale } from '../errors/locale.js';

/** Options of {@link readFileBounded}. @public */
export interface ReadFileBoundedOptions {
  /** Largest file read, bytes. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Language of the error message. Default French. */
  readonly locale?: Locale | string;
}

/**
 * Reads a whole regular file, at most `maxBytes`: a coded error for a
 * missing file, a folder, a device or a file too large, never an unbounded
 * read (a file that grows while read gives the bytes of its size when
 * opened). Node only.
 *
 * `import { readFileBounded } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * const pdf = await readFileBounded('bordereau.pdf', { maxBytes: 50 * 1024 * 1024 })
 * ```
 * @throws {@link CoreError} `ERR_FILE_UNREADABLE` or `ERR_INPUT_TOO_LARGE` (kind `input`).
 * @public
 */
export async function readFileBounded(path: string, options: ReadFileBoundedOptions = {}): Promise<Uint8Array> {
  if (typeof path !== 'string' || path === '') throw new TypeError('readFileBounded: path must be a non-empty string');
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  if (!Number.isSafeInteger(max) || max < 0) throw new TypeError('readFileBounded: maxBytes must be a non-negative integer');
  const unreadable = (reason: string | undefined, cause?: unknown): CoreError =>
    new CoreError('ERR_FILE_UNREADABLE', { params: { path, reason }, locale: options.locale, cause });
  const { handle, size } = await openRegularFile(path, options);
  try {
    if (size > max) throw new CoreError('ERR_INPUT_TOO_LARGE', { params: { received: size, limit: max }, locale: options.locale });
    const out = new Uint8Array(size);
    let offset = 0;
    while (offset < out.length) {
      const { bytesRead } = await handle.read(out, offset, out.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === out.length ? out : out.subarray(0, offset);
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw unreadable((e as { code?: string }).code, e);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

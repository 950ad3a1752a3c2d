import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { syncDirectory } from './open-regular-file.js';
import { CoreError } from '../errors/core-error.js';
import type { Locale } from '../errors/locale.js';
import { ensureDirectory } from './ensure-directory.js';

/** Options of {@link writeFileAtomic}. @public */
export interface WriteFileAtomicOptions {
  /** Permissions of a new file. Default `0o644`; `0o600` for keys. */
  readonly mode?: number;
  /** Create missing parent folders. Default `true`. */
  readonly mkdir?: boolean;
  /** Language of the error message. Default French. */
  readonly locale?: Locale | string;
}

/**
 * Writes a file completely or not at all (X-2, SCOR-2, AUD-4) — the one
 * atomic writer of the SDK: a temporary file in the same folder (so the
 * rename never crosses file systems), written in full and flushed (fsync),
 * renamed over `path`, then the folder flushed so the rename survives a
 * power cut. On every failure the temporary file is removed and the target
 * is left as it was: a reader sees the old file, the new one, or none —
 * never half a file. Node only.
 *
 * `import { writeFileAtomic } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * await writeFileAtomic('out/lot.zip', lot.container.bytes)
 * await writeFileAtomic('pki/seal-key.pem', pem, { mode: 0o600 })
 * ```
 * @returns the absolute path written.
 * @throws {@link CoreError} `ERR_FILE_UNWRITABLE` (kind `input`) with the file system's error as `cause`: a folder in the way, no permission, a full disk…
 * @public
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteFileAtomicOptions = {}): Promise<string> {
  if (typeof path !== 'string' || path === '') throw new TypeError('writeFileAtomic: path must be a non-empty string');
  if (!(data instanceof Uint8Array) && typeof data !== 'string') throw new TypeError('writeFileAtomic: data must be a Uint8Array or a string');
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const full = resolve(path);
  const dir = dirname(full);
  const tmp = join(dir, `.${basename(full)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fail = (cause: unknown): CoreError =>
    new CoreError('ERR_FILE_UNWRITABLE', { params: { path, reason: (cause as { code?: string } | null)?.code ?? undefined }, locale: options.locale, cause });
  // Bounded (Node's recursive mkdir never returns on some pseudo file systems); reported for the file asked.
  if (options.mkdir !== false) {
    try {
      await ensureDirectory(dir);
    } catch (e) {
      const reason = e instanceof CoreError ? e.params['reason'] : undefined;
      throw new CoreError('ERR_FILE_UNWRITABLE', { params: { path, reason }, locale: options.locale, cause: e });
    }
  }
  let created = false;
  try {
    const handle = await open(tmp, 'wx', options.mode ?? 0o644);
    created = true;
    try {
      let offset = 0;
      while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, full);
    created = false;
  } catch (e) {
    if (created) await rm(tmp, { force: true }).catch(() => undefined);
    throw fail(e);
  }
  await syncDirectory(dir);
  return full;
}

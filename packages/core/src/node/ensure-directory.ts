import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CoreError } from '../errors/core-error.js';
import type { Locale } from '../errors/locale.js';

/** Options of {@link ensureDirectory}. @public */
export interface EnsureDirectoryOptions {
  /** Language of the error message. Default French. */
  readonly locale?: Locale | string | undefined;
}

/** Deeper than this, a path is refused rather than walked. */
const MAX_DEPTH = 256;

/**
 * Creates a folder and its missing parents, one level at a time, in a
 * bounded number of steps. Node's own recursive `mkdir` loops for ever
 * on some pseudo file systems (`mkdir -p /proc/x`), so the SDK never uses it:
 * this walks up to the nearest existing ancestor, then creates each missing
 * level, and fails with a coded error at the first one that cannot be made.
 * Node only.
 *
 * `import { ensureDirectory } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * await ensureDirectory('out/scor/outbox')
 * ```
 * @returns the absolute path.
 * @throws {@link CoreError} `ERR_FILE_UNWRITABLE` (kind `input`) with the file system's error as `cause`: a file in the way, no permission, a pseudo file system…
 * @public
 */
export async function ensureDirectory(path: string, options: EnsureDirectoryOptions = {}): Promise<string> {
  if (typeof path !== 'string' || path === '') throw new TypeError('ensureDirectory: path must be a non-empty string');
  const full = resolve(path);
  const fail = (reason: string | undefined, cause?: unknown): CoreError =>
    new CoreError('ERR_FILE_UNWRITABLE', { params: { path, reason }, locale: options.locale, cause });
  const missing: string[] = [];
  let current = full;
  for (let depth = 0; ; depth++) {
    if (depth > MAX_DEPTH) throw fail('ENAMETOOLONG');
    try {
      const st = await stat(current);
      if (!st.isDirectory()) throw fail('ENOTDIR');
      break;
    } catch (e) {
      if (e instanceof CoreError) throw e;
      const code = (e as { code?: string }).code;
      if (code !== 'ENOENT') throw fail(code, e);
      missing.push(current);
      const parent = dirname(current);
      if (parent === current) throw fail(code, e);
      current = parent;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // Made meanwhile by another process: fine when it is a folder.
      if (code === 'EEXIST' && (await stat(dir).catch(() => null))?.isDirectory() === true) continue;
      throw fail(code, e);
    }
  }
  return full;
}

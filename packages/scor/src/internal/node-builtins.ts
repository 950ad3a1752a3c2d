import { builtinModule, CoreError } from '@s3404/core';

/**
 * Node's built-in modules, taken at call time through
 * `process.getBuiltinModule` (Node 20.16+, Bun, Deno) rather than imported:
 * the SQLite lot store stays one runtime-neutral module (X-1; it runs in Bun
 * and Deno on their own SQLite), and only its file methods need a file
 * system.
 */
function builtin<T>(id: string, who: string): T {
  const m = builtinModule<T>(id);
  if (m === undefined) throw new TypeError(`${who}: this runtime has no ${id} (Node 20.16+, Bun or Deno)`);
  return m;
}

interface NodeFs {
  readonly constants: { readonly O_RDONLY: number; readonly O_NONBLOCK?: number };
  openSync(path: string, flags: number): number;
  fstatSync(fd: number): { isFile(): boolean; isDirectory(): boolean; readonly size: number };
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

interface NodeCrypto {
  createHash(algorithm: 'sha256'): { update(data: Uint8Array): unknown; digest(encoding: 'hex'): string };
}

/** An incremental SHA-256 (the runtime's), its digest in lowercase hex. */
export function incrementalSha256(who: string): { update(data: Uint8Array): void; hex(): string } {
  const hash = builtin<NodeCrypto>('node:crypto', who).createHash('sha256');
  return {
    update: (data) => {
      hash.update(data);
    },
    hex: () => hash.digest('hex'),
  };
}

/** A regular file opened for synchronous reads at a position. */
export interface FileReader {
  readonly size: number;
  /** Fills `buffer` from `position` as far as the file goes; the number of bytes read (0 at the end). */
  read(buffer: Uint8Array, position: number): number;
  close(): void;
}

/**
 * Opens a regular file for synchronous reads, as `openRegularFile` of
 * `@s3404/core/node` does: without blocking (a FIFO is refused at once, not
 * waited on), anything but a regular file refused.
 *
 * @throws {@link CoreError} `ERR_FILE_UNREADABLE` (`reason`: the system's code, `EISDIR` or `ENOTFILE`).
 */
export function openFileReader(path: string, who: string): FileReader {
  const fs = builtin<NodeFs>('node:fs', who);
  const unreadable = (reason: string | undefined, cause?: unknown): CoreError => new CoreError('ERR_FILE_UNREADABLE', { params: { path, reason }, cause });
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw unreadable((e as { code?: string }).code, e);
  }
  let size: number;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw unreadable(st.isDirectory() ? 'EISDIR' : 'ENOTFILE');
    size = st.size;
  } catch (e) {
    fs.closeSync(fd);
    if (e instanceof CoreError) throw e;
    throw unreadable((e as { code?: string }).code, e);
  }
  return {
    size,
    read(buffer, position) {
      let done = 0;
      try {
        while (done < buffer.length) {
          const n = fs.readSync(fd, buffer, done, buffer.length - done, position + done);
          if (n === 0) break;
          done += n;
        }
      } catch (e) {
        throw unreadable((e as { code?: string }).code, e);
      }
      return done;
    },
    close: () => fs.closeSync(fd),
  };
}

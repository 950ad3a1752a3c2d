import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '@s3404/form/errors';

/** What a command may touch, injected so tests run in-process (X-2, determinism). @public */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The real process. */
export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
};

/** Largest input file read: 64 MB. */
const MAX_INPUT = 64 * 1024 * 1024;

/** Reads a file, with a coded error when it is missing, a directory or too large (exit 2). */
export function readInput(io: Io, path: string): Uint8Array {
  const full = resolve(io.cwd, path);
  let size: number;
  try {
    const st = statSync(full);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch (cause) {
    throw new InputError('ERR_FILE_UNREADABLE', `Fichier illisible : ${path}`, { cause });
  }
  if (size > MAX_INPUT) throw new InputError('ERR_INPUT_TOO_LARGE', `Fichier trop volumineux : ${path} (${size} octets, ${MAX_INPUT} au plus)`);
  return new Uint8Array(readFileSync(full));
}

/**
 * Writes a file atomically: a temporary file in the same directory, fsync,
 * then rename — the output is complete or absent, never half-written.
 */
export function writeAtomic(io: Io, path: string, bytes: Uint8Array | string, mode = 0o644): string {
  const full = resolve(io.cwd, path);
  mkdirSync(dirname(full), { recursive: true });
  const tmp = `${full}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, full);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return full;
}

/**
 * The clock of a run: `SOURCE_DATE_EPOCH` (seconds since 1970, reproducible
 * builds convention) when set, otherwise the current time (FORM-7).
 */
export function clockFrom(io: Io): Date {
  const epoch = io.env['SOURCE_DATE_EPOCH'];
  if (epoch === undefined || epoch === '') return new Date();
  if (!/^\d{1,12}$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH doit être un nombre de secondes (reçu ${JSON.stringify(epoch.slice(0, 20))})`);
  return new Date(Number(epoch) * 1000);
}

/** Wrong command line: exit code 2 with a message and the usage hint. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
}

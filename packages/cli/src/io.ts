import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CoreError, readClock, type Clock } from '@s3404/core';
import { readFileBounded, writeFileAtomic } from '@s3404/core/node';
import { usage } from './args.js';

/** What a command may touch, injected so tests run in-process (X-2, determinism). @public */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * The clock that judges validity, expiry and the order of the trace: the
   * system clock unless a program embedding the command injects another.
   * No environment variable moves it (`SOURCE_DATE_EPOCH` dates documents only).
   */
  readonly now?: Clock;
}

/** The real process. */
export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
};

/** Largest input file read: 64 MiB. */
const MAX_INPUT = 64 * 1024 * 1024;

/** Reads a file of the command line: core's `ERR_FILE_UNREADABLE` or `ERR_INPUT_TOO_LARGE` (exit 2) when it cannot. */
export function readInput(io: Io, path: string): Promise<Uint8Array> {
  return readFileBounded(resolve(io.cwd, path), { maxBytes: MAX_INPUT });
}

/** Reads a text file (PEM, JSON) of the command line. */
export async function readText(io: Io, path: string): Promise<string> {
  return new TextDecoder().decode(await readInput(io, path));
}

/**
 * Writes an output of the command with core's atomic writer: complete or
 * absent, never half-written; `ERR_FILE_UNWRITABLE` (exit 2) when the
 * path cannot be written.
 */
export function writeOutput(io: Io, path: string, bytes: Uint8Array | string, mode = 0o644): Promise<string> {
  return writeFileAtomic(resolve(io.cwd, path), bytes, { mode });
}

/**
 * The clock that judges (SIG-3, SIG-5, AUD-2): signing and verification
 * times, the expiry of pending records, certificate validity, the time of
 * traced events. The system clock, or the one a program injected in `Io`;
 * never `SOURCE_DATE_EPOCH`, which would let an environment variable make an
 * expired record consumable or date events in the past.
 */
export function securityClock(io: Io): Date {
  return io.now === undefined ? new Date() : readClock(io.now, 's3404');
}

/**
 * The clock that dates generated documents (FORM-7): the PDF's creation
 * date, a lot's creation time. `SOURCE_DATE_EPOCH` (seconds since 1970, the
 * reproducible-builds convention) when set, so the same input gives the same
 * bytes; otherwise the {@link securityClock}.
 */
export function documentClock(io: Io): Date {
  const epoch = io.env['SOURCE_DATE_EPOCH'];
  if (epoch === undefined || epoch === '') return securityClock(io);
  if (!/^\d{1,12}$/.test(epoch))
    throw usage({
      fr: `SOURCE_DATE_EPOCH doit être un nombre de secondes (reçu ${JSON.stringify(epoch.slice(0, 20))})`,
      en: `SOURCE_DATE_EPOCH must be a number of seconds (received ${JSON.stringify(epoch.slice(0, 20))})`,
    });
  return new Date(Number(epoch) * 1000);
}

/** Creates a folder of the command's state (and its parents): core's `ERR_FILE_UNWRITABLE` (exit 2) when it cannot. */
export async function makeDirectory(io: Io, path: string): Promise<string> {
  const full = resolve(io.cwd, path);
  try {
    await mkdir(full, { recursive: true });
  } catch (cause) {
    throw new CoreError('ERR_FILE_UNWRITABLE', { params: { path, reason: (cause as { code?: string }).code }, cause });
  }
  return full;
}

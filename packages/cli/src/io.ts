import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CoreError, readClock, type Clock } from '@s3404/core';
import { ensureDirectory, openRegularFile, readFileBounded, syncDirectory, writeFileAtomic } from '@s3404/core/node';
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
  /** Whether `stderr` is a terminal: long commands then draw a progress bar there (default: not a terminal). */
  readonly stderrIsTTY?: boolean;
}

/**
 * A stream of the real process that a closed reader cannot crash: when the
 * other end of a pipe goes away (`s3404 … | head -1`), the write fails with
 * EPIPE; the rest of the output is dropped quietly and the command ends as it
 * would have, with its own exit code — no stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw e;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** The real process. */
export const processIo: Io = {
  stdout: quietOnClosedPipe(process.stdout),
  stderr: quietOnClosedPipe(process.stderr),
  env: process.env,
  cwd: process.cwd(),
  stderrIsTTY: process.stderr.isTTY === true,
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
 * Checks that a path the command will open itself (an audit trace, which
 * the audit file store opens read-write and reads to its end) is a regular
 * file, without reading it and without waiting: a FIFO, a device
 * (`/dev/zero`, `/dev/null`), a folder, a symbolic-link loop or — unless
 * `missing` is `'allowed'` — a missing file is core's `ERR_FILE_UNREADABLE`
 * (exit 2), before anything is opened for writing.
 * @returns the absolute path.
 */
export async function requireRegularFile(io: Io, path: string, missing: 'refused' | 'allowed' = 'refused'): Promise<string> {
  const full = resolve(io.cwd, path);
  try {
    const { handle } = await openRegularFile(full);
    await handle.close().catch(() => undefined);
  } catch (e) {
    if (missing === 'allowed' && e instanceof CoreError && e.params['reason'] === 'ENOENT') return full;
    throw e;
  }
  return full;
}

/** How long `readStandardInputLine` waits for its line: a pipe nobody writes to, or a terminal nobody types in. */
const STDIN_WAIT_SECONDS = 20;

/**
 * The first line of standard input (`--handle -`), bounded in size and in
 * time: it is taken as soon as its newline arrives (the writer may keep
 * the pipe open), at most `maxBytes`; nothing within
 * {@link STDIN_WAIT_SECONDS} (a pipe nobody writes to, a terminal, a job
 * whose standard input was left open), an empty input or an unreadable one
 * (a folder) is a usage error (exit 2) naming `option`, never a wait for ever.
 */
export function readStandardInputLine(option: string, maxBytes = 4096): Promise<string> {
  const input = process.stdin;
  return new Promise<string>((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.off('data', onData).off('end', onEnd).off('error', onError);
      input.destroy();
      const first = error === null ? (Buffer.concat(chunks).toString('utf8').split(/\r?\n/, 1)[0] ?? '') : '';
      if (error !== null) fail(error);
      else if (first.trim() === '')
        fail(
          usage({
            fr: `${option} - : rien sur l'entrée standard (attendu : la poignée rendue par record deposit, sur une ligne)`,
            en: `${option} -: nothing on standard input (expected: the handle record deposit gave, on one line)`,
          }),
        );
      else done(first);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const room = maxBytes - size;
      chunks.push(bytes.subarray(0, Math.max(room, 0)));
      size += bytes.length;
      if (bytes.includes(0x0a) || size >= maxBytes) finish(null);
    };
    const onEnd = (): void => finish(null);
    const onError = (e: NodeJS.ErrnoException): void =>
      finish(
        usage({
          fr: `${option} - : entrée standard illisible (${e.code ?? e.message})`,
          en: `${option} -: standard input unreadable (${e.code ?? e.message})`,
        }),
      );
    const timer = setTimeout(
      () =>
        finish(
          usage({
            fr: `${option} - : aucune ligne reçue sur l'entrée standard en ${STDIN_WAIT_SECONDS} s ; envoyez-y la poignée (s3404 record deposit … | s3404 record consume ${option} - …)`,
            en: `${option} -: no line received on standard input within ${STDIN_WAIT_SECONDS} s; send the handle there (s3404 record deposit … | s3404 record consume ${option} - …)`,
          }),
        ),
      STDIN_WAIT_SECONDS * 1000,
    );
    input.on('data', onData).on('end', onEnd).on('error', onError);
    input.resume();
  });
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
 * Writes the files of one output that belong together (an export and its
 * signed manifest, a PKI's certificates and keys) complete or not at all
 * each is first written in full beside its target under a hidden
 * temporary name with core's atomic writer, then all are renamed into place.
 * When one cannot be written (a full disk, a folder that refuses), the
 * temporaries are removed and every target is left as it was — never an
 * export without its manifest, nor a CA without its seal certificate.
 * `ERR_FILE_UNWRITABLE` (exit 2) names the file that could not be written.
 * @returns the absolute paths, in order.
 */
export async function writeOutputs(
  io: Io,
  files: readonly { readonly path: string; readonly bytes: Uint8Array | string; readonly mode?: number }[],
): Promise<string[]> {
  const staged: { tmp: string; full: string }[] = [];
  const discard = async (): Promise<void> => {
    for (const s of staged) await rm(s.tmp, { force: true }).catch(() => undefined);
  };
  try {
    for (const f of files) {
      const full = resolve(io.cwd, f.path);
      const tmp = join(dirname(full), `.${basename(full).slice(0, 64)}.${process.pid}.${randomBytes(6).toString('hex')}.part`);
      try {
        await writeFileAtomic(tmp, f.bytes, { mode: f.mode ?? 0o644 });
      } catch (e) {
        throw e instanceof CoreError ? new CoreError('ERR_FILE_UNWRITABLE', { params: { path: full, reason: e.params['reason'] }, cause: e }) : e;
      }
      staged.push({ tmp, full });
    }
    for (let i = 0; i < staged.length; i++) {
      const s = staged[i]!;
      try {
        await rename(s.tmp, s.full);
      } catch (e) {
        staged.splice(0, i); // the renamed ones are in place; the rest are removed
        throw new CoreError('ERR_FILE_UNWRITABLE', { params: { path: s.full, reason: (e as { code?: string }).code }, cause: e });
      }
    }
  } catch (e) {
    await discard();
    throw e;
  }
  for (const dir of new Set(staged.map((s) => dirname(s.full)))) await syncDirectory(dir);
  return staged.map((s) => s.full);
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

/** Creates a folder of the command's state (and its parents), bounded: core's `ERR_FILE_UNWRITABLE` (exit 2) when it cannot. */
export function makeDirectory(io: Io, path: string): Promise<string> {
  return ensureDirectory(resolve(io.cwd, path));
}

/**
 * Checks, before any work that cannot be undone (a record's claim, a traced
 * export), that an output file can be written where asked: its folder made
 * (bounded), the path not a folder, a file creatable beside it. The same
 * `ERR_FILE_UNWRITABLE` (exit 2) as {@link writeOutput}, but before the
 * work, not after it (X-2, SIG-5).
 * @returns the absolute path.
 */
export async function prepareOutput(io: Io, path: string): Promise<string> {
  const full = resolve(io.cwd, path);
  const fail = (reason: string | undefined, cause?: unknown): CoreError => new CoreError('ERR_FILE_UNWRITABLE', { params: { path: full, reason }, cause });
  try {
    await ensureDirectory(dirname(full));
  } catch (e) {
    throw e instanceof CoreError ? fail(e.params['reason'] as string | undefined, e) : e;
  }
  const existing = await stat(full).catch(() => null);
  if (existing?.isDirectory() === true) throw fail('EISDIR');
  const probe = join(dirname(full), `.${basename(full).slice(0, 32)}.${process.pid}.probe`);
  try {
    await (await open(probe, 'wx', 0o600)).close();
    await unlink(probe);
  } catch (e) {
    throw fail((e as { code?: string }).code, e);
  }
  if (basename(full).length > 200) throw fail('ENAMETOOLONG');
  return full;
}

/**
 * Removes a sealed record file once it has served (SIG-6): overwritten with
 * zeros and synced, then unlinked, so that no copy of the signature image
 * stays in the folder it came from. Best effort against the medium: a
 * journaling, copy-on-write or flash file system may keep older blocks
 * (`docs/consumption.md`). Standard input (`-`) is not a file to remove.
 * @returns `true` when removed, else the reason (the command still succeeded).
 */
export async function removeInputFile(io: Io, path: string): Promise<true | string> {
  if (path === '-') return 'stdin';
  const full = resolve(io.cwd, path);
  try {
    const info = await stat(full);
    if (!info.isFile()) return 'not a file';
    const handle = await open(full, 'r+');
    try {
      const zeros = new Uint8Array(Math.min(info.size, 1 << 20));
      for (let at = 0; at < info.size; at += zeros.length) await handle.write(zeros, 0, Math.min(zeros.length, info.size - at), at);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await unlink(full);
    return true;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { CoreError, resolveLocale, type Issue, type LocalizedText } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { parseCheckpointBody } from '../checkpoint.js';
import { AuditEventSchema } from '../event-schema.js';
import { eventLine, leafHashHex, unhashedJson } from '../internal/event-line.js';
import { verifyLog, type VerifyLogOptions, type VerifyReport } from '../verify-log.js';
import { AUDIT_ERRORS } from '../errors/audit-errors.js';
import { AuditError } from '../errors/audit-error.js';
import { verifyFileInThreads } from './verify-threads.js';

/**
 * What became of the `<file>.checkpoint` witness (AUD-2): `used` (read and
 * compared), `absent` (no such file), `invalid` (there, but not the line of
 * a checkpoint: an issue, and the verdict is not `ok`), `not-read` (the
 * caller gave `expect` or `witness: false`).
 *
 * `import type { WitnessStatus } from '@s3404/audit/file'`
 *
 * @public
 */
export type WitnessStatus = 'used' | 'absent' | 'invalid' | 'not-read';

/** A {@link VerifyReport} of a file, with the witness used (AUD-2). `import type { FileVerifyReport } from '@s3404/audit/file'` @public */
export interface FileVerifyReport extends VerifyReport {
  /** The head the trace was compared with: the `<file>.checkpoint` witness, or the caller's `expect`; null if none. */
  readonly witness: { readonly seq: number; readonly hash: string } | null;
  /** What became of the `<file>.checkpoint` witness; `invalid` is also an issue `ERR_AUDIT_WITNESS_INVALID` (path `['witness']`). */
  readonly witnessStatus: WitnessStatus;
}

/**
 * Options of {@link verifyLogFile} (AUD-2): those of `verifyLog` (Node's
 * native SHA-256 is always used), the witness, and the worker threads.
 *
 * `import type { VerifyLogFileOptions } from '@s3404/audit/file'`
 *
 * @example
 * ```ts
 * const options: VerifyLogFileOptions = { verifier, threads: 4 }
 * ```
 * @public
 */
export interface VerifyLogFileOptions extends Omit<VerifyLogOptions, 'sha256'> {
  /** Read `<file>.checkpoint` as a witness of the head (unless `expect` is given). Default true. */
  readonly witness?: boolean;
  /**
   * Threads verifying checkpointed periods in parallel (and slices of the
   * unsealed tail), with the same verdict as one thread: this one and
   * `threads - 1` worker threads, e.g. `os.availableParallelism()`.
   * Default: the machine's cores (at most 4) for a file of 64 MiB or more
   * (about 130,000 events), else 1 — a worker starts cold (its code is
   * loaded and compiled again), which pays off on large files only; see
   * `docs/benchmarks.md` (1,000,000 events: 3.3 s on one thread, 2.05 s on
   * two).
   */
  readonly threads?: number;
}

/** Below this size a file is verified on one thread: starting workers would cost more than they save. */
const PARALLEL_FROM_BYTES = 64 * 1024 * 1024;

const WHY = {
  unreadable: { fr: 'fichier illisible', en: 'unreadable file' },
  line: { fr: 'pas une seule ligne JSON', en: 'not one JSON line' },
  event: { fr: 'pas un événement de point de contrôle canonique', en: 'not a canonical checkpoint event' },
  hash: { fr: 'empreinte incorrecte', en: 'wrong hash' },
} as const satisfies Record<string, LocalizedText>;

/** The witness's sequence number and hash, or why it cannot be used. */
function readWitness(text: string): { readonly seq: number; readonly hash: string } | LocalizedText {
  if (!text.endsWith('\n') || text.indexOf('\n') !== text.length - 1) return WHY.line;
  const line = text.slice(0, -1);
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return WHY.line;
  }
  const parsed = AuditEventSchema.safeParse(json);
  if (!parsed.success) return WHY.event;
  const e = parsed.data;
  if (e.action !== 'audit.checkpoint' || e.checkpoint === undefined || parseCheckpointBody(e.checkpoint.body) === null || eventLine(e) !== line)
    return WHY.event;
  const { hash, ...rest } = e;
  if (leafHashHex(unhashedJson(rest), nodeSha256) !== hash) return WHY.hash;
  return { seq: e.seq, hash };
}

/** An error of the operating system (`ENOENT`, `EISDIR`, `EIO`…), not one of ours nor a caller's mistake. */
function isSystemError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Verifies a JSON Lines trace file offline (AUD-2), streaming, with Node's
 * native SHA-256. When `<file>.checkpoint` exists beside it (written by
 * {@link FileAuditStore}), the log must reach that checkpoint unchanged:
 * a truncation is reported as such. A witness that is there but is not the
 * line of a checkpoint is reported too (`witnessStatus: 'invalid'`, an
 * issue `ERR_AUDIT_WITNESS_INVALID`, and the verdict is not `ok`): a
 * truncation could not be ruled out. Never throws for a damaged file: the
 * verdict is `{ ok, issues }` as for `verifyLog`.
 *
 * `import { verifyLogFile } from '@s3404/audit/file'`
 *
 * @example
 * ```ts
 * const report = await verifyLogFile('state/audit/trace.jsonl', { verifier: createContentVerifier({ trustAnchors: [caDer] }) })
 * if (!report.ok) console.error(report.issues[0]?.message)
 * if (report.witnessStatus === 'invalid') console.error('the truncation witness is damaged')
 * ```
 * With `threads`, checkpointed periods are verified on several cores
 * (worker threads), joined, with the verdict of the serial verification
 * (a damaged file is verified again serially to name its first damage).
 *
 * @throws {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE` (kind `unavailable`) when the file cannot be read;
 *   `CoreError` `ERR_FILE_UNREADABLE` (kind `input`) when the path is a folder or anything but a regular file;
 *   TypeError for a `threads` that is not an integer ≥ 1.
 * @public
 */
export async function verifyLogFile(path: string, options: VerifyLogFileOptions = {}): Promise<FileVerifyReport> {
  const locale = resolveLocale(options.locale);
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1))
    throw new TypeError('verifyLogFile: threads must be an integer ≥ 1');
  let kind: 'file' | 'EISDIR' | 'ENOTREG';
  let size = 0;
  try {
    const st = await stat(path);
    size = st.size;
    kind = st.isFile() ? 'file' : st.isDirectory() ? 'EISDIR' : 'ENOTREG';
  } catch (e) {
    throw new AuditError('ERR_AUDIT_STORE_UNAVAILABLE', { params: { detail: path }, locale, cause: e });
  }
  // A folder or a device is the caller's mistake, not a trace that cannot be read: kind input.
  if (kind !== 'file') throw new CoreError('ERR_FILE_UNREADABLE', { params: { path, reason: kind }, locale });
  let witness: FileVerifyReport['witness'] = null;
  let witnessStatus: WitnessStatus = 'not-read';
  let witnessIssue: Issue | null = null;
  if (options.witness !== false && options.expect === undefined) {
    const file = `${path}.checkpoint`;
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : e));
    const read = text === null ? null : typeof text === 'string' ? readWitness(text) : WHY.unreadable;
    if (read === null) witnessStatus = 'absent';
    else if ('seq' in read) {
      witness = read;
      witnessStatus = 'used';
    } else {
      witnessStatus = 'invalid';
      witnessIssue = {
        code: 'ERR_AUDIT_WITNESS_INVALID',
        path: ['witness'],
        message: AUDIT_ERRORS.message('ERR_AUDIT_WITNESS_INVALID', { detail: read }, locale),
      };
    }
  }
  const { threads: _threads, witness: _witness, ...rest } = options;
  const o: VerifyLogOptions = { ...rest, ...(witness === null ? {} : { expect: witness }), sha256: nodeSha256 };
  const threads = options.threads ?? (size >= PARALLEL_FROM_BYTES ? Math.min(availableParallelism(), 4) : 1);
  // Workers that cannot start (a locked-down runtime) leave the verification to this thread.
  const parallel = threads > 1 ? await verifyFileInThreads(path, size, o, threads).catch(() => null) : null;
  let report: VerifyReport;
  try {
    report = parallel ?? (await verifyLog(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, o));
  } catch (e) {
    // The file gone or unreadable after its `stat` (removed, replaced by a folder, an I/O error while verifying):
    // what the file system said, as the documented code, never its raw error.
    if (isSystemError(e)) throw new AuditError('ERR_AUDIT_STORE_UNAVAILABLE', { params: { detail: path }, locale, cause: e });
    throw e;
  }
  return {
    ...report,
    ...(witnessIssue === null ? {} : { ok: false, issues: [...report.issues, witnessIssue] }),
    witness: witness ?? options.expect ?? null,
    witnessStatus,
  };
}

import { constants, createReadStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { resolveLocale, type Locale, type Sha256 } from '@s3404/core';
import { ensureDirectory, writeFileAtomic } from '@s3404/core/node';
import { misconfigurationOf, PassThrough } from '@s3404/core/stores';
import type { AuditStore, HeldEvents, StoredEvent } from '../audit-store.js';
import { ChainHead } from '../chain-head.js';
import { AuditError } from '../errors/audit-error.js';
import { AuditEventSchema, type AuditEvent } from '../event-schema.js';
import { eventLine, leafHashHex, unhashedJson } from '../internal/event-line.js';
import { lineId } from '../internal/line-id.js';
import { RecentIds } from '../internal/recent-ids.js';
import { parseStoredLine } from '../internal/stored-line.js';
import { defaultSha256 } from '../internal/sha256.js';
import { acquireFileLock } from './file-lock.js';

/** Options of {@link FileAuditStore.open} (AUD-2). `import type { FileAuditStoreOptions } from '@s3404/audit/file'` @public */
export interface FileAuditStoreOptions {
  /** The JSON Lines file, created with its directory if missing. */
  readonly path: string;
  /** `fsync` (default): each group commit is on disk before its appends resolve. `none`: for tests only. */
  readonly sync?: 'fsync' | 'none';
  /** How long to wait for another process's lock. Default 10 s. */
  readonly lockTimeoutMs?: number;
  /** Synchronous SHA-256 for the chain head; default @noble/hashes. Node: `nodeSha256` from `@s3404/core/node`. */
  readonly sha256?: Sha256;
  /** Language of the store's errors. Default French; anything but English is French. */
  readonly locale?: Locale;
}

const NL = 10;
/** Read and write, created if missing — and not `O_APPEND`: a write lands at the offset the store asks for, never silently after bytes it has not read. */
const READ_WRITE = constants.O_RDWR | constants.O_CREAT;

/** How long, and for how many sections in a row, the store keeps the cross-process lock while its own sections wait. */
const LOCK_HOLD_MS = 100;
const LOCK_HOLD_SECTIONS = 256;

/**
 * The embedded trace (AUD-2): an append-only JSON Lines file, one canonical
 * event per line, shared by the processes of one machine through a lock
 * (the directory `<file>.lock.d`: numbered generations, taken over from a
 * killed holder without any instant when two processes hold it). Every
 * group commit is one `write` followed by `fdatasync` before the appends
 * resolve. Under the lock, the store reads what other writers appended and
 * checks that every line continues the chain (else it refuses to append:
 * `ERR_AUDIT_CHAIN_BROKEN`); right before writing, it checks that the file
 * still ends with the line its head is at (else `ERR_AUDIT_HEAD_MOVED`,
 * nothing written), and writes at that offset. A torn last line left by a crash is never dropped
 * silently: `verifyLog` reports it, and the next append moves it to
 * `<file>.torn-<offset>`, truncates the file to its last complete line and
 * records an `audit.recovered` event (also after a restart: a
 * `<file>.torn-<offset>` at the file's end is a recovery not recorded
 * yet); a last line that lacks only its
 * newline but is a whole event continuing the chain (sealed by its hash) is
 * completed instead. After each checkpoint the store
 * writes `<file>.checkpoint` (the checkpoint's line), a witness that lets
 * {@link verifyLogFile} detect a truncation; copy it off the machine for
 * stronger evidence. A witness that cannot be written does not fail the
 * append (its events are in the file): it keeps the previous checkpoint, or
 * `verifyLogFile` reports it unreadable, until the next checkpoint.
 *
 * A failure of the file system is `ERR_AUDIT_STORE_UNAVAILABLE` (kind
 * `unavailable`, the original error as `cause`); another process holding
 * the lock too long is `ERR_AUDIT_LOCKED`; `close()` is idempotent.
 *
 * `import { FileAuditStore } from '@s3404/audit/file'`
 *
 * @example
 * ```ts
 * import { nodeSha256 } from '@s3404/core/node'
 * const store = await FileAuditStore.open({ path: 'state/audit/trace.jsonl', sha256: nodeSha256 })
 * const log = createAuditLog({ store, signer, sha256: nodeSha256 })
 * ```
 * @public
 */
export class FileAuditStore implements AuditStore {
  readonly path: string;
  readonly #o: FileAuditStoreOptions;
  readonly #sha256: Sha256;
  readonly #locale: Locale;
  #fh: FileHandle;
  /** Bytes of complete lines read (the offset of the next write). */
  #size = 0;
  /** The last line read or written, with its newline: what the file must end with before a write. */
  #last: Buffer = Buffer.alloc(0);
  #head: ChainHead;
  #mutex: Promise<void> = Promise.resolve();
  #closed = false;
  /** The cross-process lock while held across sections, with when it was taken and how many sections it served. */
  #lock: { readonly release: () => Promise<void>; readonly since: number; sections: number } | undefined;
  /** Sections called and not started yet. */
  #queued = 0;
  /** Where the lines of recent ids are: every line of the file is read or written by this store, and indexed. */
  readonly #recent = new RecentIds();
  /** The release planned for when no section follows at once. */
  #idle: ReturnType<typeof setImmediate> | undefined;

  private constructor(o: FileAuditStoreOptions, fh: FileHandle, sha256: Sha256) {
    this.path = o.path;
    this.#o = o;
    this.#fh = fh;
    this.#sha256 = sha256;
    this.#locale = resolveLocale(o.locale);
    this.#head = new ChainHead(sha256);
  }

  /**
   * Opens (or creates) the file and reads its head.
   * @throws TypeError without a path; {@link AuditError} `ERR_AUDIT_STORE_UNAVAILABLE`, `ERR_AUDIT_LOCKED`, `ERR_AUDIT_LINE_INVALID` (a line of the file cannot be read).
   */
  static async open(options: FileAuditStoreOptions): Promise<FileAuditStore> {
    if (options === null || typeof options !== 'object' || typeof options.path !== 'string' || options.path === '')
      throw new TypeError('FileAuditStore.open: options.path is required');
    try {
      await ensureDirectory(dirname(options.path)); // bounded: Node's recursive mkdir loops for ever on some pseudo file systems
      const fh = await open(options.path, READ_WRITE);
      const store = new FileAuditStore(options, fh, options.sha256 ?? defaultSha256);
      try {
        await store.#exclusive(() => store.#refresh());
      } catch (e) {
        await fh.close();
        throw e;
      }
      return store;
    } catch (e) {
      throw storeError(e, resolveLocale(options.locale));
    }
  }

  /**
   * Runs `fn` alone, in this process and across processes. A failure of the
   * file system is `ERR_AUDIT_STORE_UNAVAILABLE`; an error `fn` wraps in
   * `PassThrough` (the caller's) reaches the caller as it is. The
   * cross-process lock is taken once for a burst: while more of this
   * process's sections wait, the next one runs under the same lock, for at
   * most {@link LOCK_HOLD_MS} and {@link LOCK_HOLD_SECTIONS} in a row, so
   * another process waits no longer than that (issue 19: a busy log took and
   * released the lock, about ten file operations, for every group commit).
   */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.#queued++;
    const run = this.#mutex.then(async () => {
      this.#queued--;
      if (this.#idle !== undefined) {
        clearImmediate(this.#idle);
        this.#idle = undefined;
      }
      if (this.#closed) {
        await this.#dropLock();
        throw new AuditError('ERR_AUDIT_CLOSED', { locale: this.#locale });
      }
      try {
        this.#lock ??= {
          release: await acquireFileLock(`${this.path}.lock.d`, { timeoutMs: this.#o.lockTimeoutMs ?? 10_000, locale: this.#locale }),
          since: Date.now(),
          sections: 0,
        };
        const lock = this.#lock;
        lock.sections++;
        let keep = false;
        try {
          const result = await fn();
          keep = true;
          return result;
        } catch (e) {
          keep = e instanceof PassThrough; // the caller's error: the file is as it was; a file system error: let go
          throw e;
        } finally {
          if (!keep || this.#closed || Date.now() - lock.since >= LOCK_HOLD_MS || lock.sections >= LOCK_HOLD_SECTIONS) await this.#dropLock();
          else if (this.#queued === 0) this.#dropWhenIdle();
        }
      } catch (e) {
        if (e instanceof PassThrough) throw e.error;
        throw storeError(e, this.#locale);
      }
    });
    this.#mutex = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Releases the lock once the current turn of the event loop is over,
   * unless a section starts before: the log's next group commit, asked for
   * as soon as this one resolves, runs under the same lock.
   */
  #dropWhenIdle(): void {
    this.#idle = setImmediate(() => {
      this.#idle = undefined;
      const drop = this.#mutex.then(() => (this.#queued === 0 && this.#idle === undefined ? this.#dropLock() : undefined)).catch(() => undefined);
      this.#mutex = drop;
    });
  }

  /** Releases the cross-process lock if held. */
  async #dropLock(): Promise<void> {
    const lock = this.#lock;
    this.#lock = undefined;
    await lock?.release();
  }

  /**
   * Reads what other writers appended since we last looked, checking that
   * every line continues the chain, and notes a torn tail. Under the lock.
   * When the file was replaced (a purge by another handle) or shrank, reads
   * it again from the start.
   */
  async #refresh(): Promise<void> {
    const [mine, current] = await Promise.all([this.#fh.stat(), stat(this.path)]);
    if (mine.ino !== current.ino || mine.dev !== current.dev) {
      await this.#fh.close();
      this.#fh = await open(this.path, READ_WRITE);
      this.#reset();
    }
    const size = current.ino === mine.ino ? mine.size : (await this.#fh.stat()).size;
    if (size === this.#size) return this.#unrecorded();
    if (size < this.#size) this.#reset();
    const head = this.#head.clone();
    let complete = this.#size;
    let last: string | null = null;
    for await (const { line, end } of completeLines(this.path, this.#size, size, this.#locale)) {
      const e = parseStoredLine(line, `${this.path} @${end}`, this.#locale);
      this.#recent.saw(Date.parse(e.time));
      this.#recent.add(e.id, end - Buffer.byteLength(line) - 1);
      try {
        head.advance(e);
      } catch (cause) {
        if (cause instanceof AuditError && cause.code === 'ERR_AUDIT_CHAIN_BROKEN') {
          throw new AuditError('ERR_AUDIT_CHAIN_BROKEN', { params: cause.params, locale: this.#locale, cause });
        }
        throw new AuditError('ERR_AUDIT_LINE_INVALID', { params: { detail: `${this.path} @${end}` }, locale: this.#locale, cause });
      }
      complete = end;
      last = line;
    }
    let torn: Buffer | null = null;
    if (size - complete > MAX_TAIL_EVENT) {
      // No torn write of the log is that long (an event line is a few kilobytes): not a trace, or one damaged by
      // something else. Refused as it is — never read into memory whole, moved aside and replaced by a new trace.
      throw tooLong(this.path, complete, size - complete, this.#locale);
    }
    if (complete < size) {
      torn = Buffer.alloc(size - complete);
      await this.#fh.read(torn, 0, torn.length, complete);
      const whole = wholeEvent(torn, head, this.#sha256);
      if (whole !== null) {
        // The last line lacks only its newline (an editor that strips it, a copy): it is a whole event, canonical,
        // sealed by its hash and continuing the chain — an acknowledged one, a signed checkpoint maybe. It is
        // completed, never set aside: its sequence number would go to another event, and the trace (its witness)
        // would no longer verify.
        await this.#fh.write(Buffer.from('\n'), 0, 1, size);
        await this.#fh.datasync();
        this.#recent.saw(Date.parse(whole.event.time));
        this.#recent.add(whole.event.id, complete);
        head.advance(whole.event);
        complete = size + 1;
        last = whole.line;
        torn = null;
      }
    }
    this.#head = head;
    this.#size = complete;
    if (last !== null) this.#last = Buffer.from(`${last}\n`);
    if (torn !== null) {
      // A torn tail: never acknowledged. Keep it aside and record the recovery with the next append.
      const aside = `${this.path}.torn-${complete}`;
      await writeFileAtomic(aside, torn);
      await this.#fh.truncate(complete);
      await this.#fh.datasync();
      head.recovered = { offset: complete, bytes: torn.length, file: basename(aside) };
    } else await this.#unrecorded();
  }

  /**
   * A torn tail set aside whose recovery is not in the trace yet: its `<file>.torn-<offset>` is there and the file
   * still ends at that offset (the recovery event, once written, moves the end). The process that set it aside
   * stopped before its next append (it closed, or was killed, after opening): the next append records it all the same.
   */
  async #unrecorded(): Promise<void> {
    if (this.#head.recovered !== null) return;
    const aside = `${this.path}.torn-${this.#size}`;
    const found = await stat(aside).catch(() => null);
    if (found?.isFile() === true) this.#head.recovered = { offset: this.#size, bytes: found.size, file: basename(aside) };
  }

  /** Forgets what was read: the next refresh reads the file from its start. */
  #reset(): void {
    this.#recent.clear();
    this.#size = 0;
    this.#last = Buffer.alloc(0);
    this.#head = new ChainHead(this.#sha256);
  }

  /**
   * Right before a write, under the lock: the file is still the one read,
   * of the size read, ending with the line the head is at. Anything else
   * means another program wrote without the lock; nothing is written and
   * the next append reads the file again.
   */
  async #checkTail(): Promise<void> {
    const [mine, current] = await Promise.all([this.#fh.stat(), stat(this.path)]);
    let moved = mine.ino !== current.ino || mine.dev !== current.dev || mine.size !== this.#size;
    if (!moved && this.#last.length > 0) {
      const tail = Buffer.alloc(this.#last.length);
      const { bytesRead } = await this.#fh.read(tail, 0, tail.length, this.#size - tail.length);
      moved = bytesRead !== tail.length || !tail.equals(this.#last);
    }
    if (moved) {
      this.#reset();
      throw new AuditError('ERR_AUDIT_HEAD_MOVED', { params: { detail: this.path }, locale: this.#locale });
    }
  }

  append(build: (head: ChainHead, held?: HeldEvents) => Promise<readonly StoredEvent[]>): Promise<void> {
    return this.#exclusive(async () => {
      await this.#refresh();
      const head = this.#head.clone();
      let events: readonly StoredEvent[];
      try {
        // Ids given by callers: recent ones are found through the index, others through the whole file.
        const size = this.#size;
        events = await build(head, (ids, hint) => this.#held(size, ids, hint?.since));
      } catch (e) {
        throw new PassThrough(e);
      }
      if (events.length === 0) return;
      // One buffer for the whole commit, encoded once from the joined lines: one write, one fdatasync.
      const lines: string[] = new Array(events.length);
      for (let i = 0; i < events.length; i++) lines[i] = events[i]!.line;
      const data = Buffer.from(`${lines.join('\n')}\n`);
      await this.#checkTail();
      try {
        let written = 0;
        while (written < data.length) written += (await this.#fh.write(data, written, data.length - written, this.#size + written)).bytesWritten;
        if (this.#o.sync !== 'none') await this.#fh.datasync();
      } catch (e) {
        // Leave no partial line behind.
        await this.#fh.truncate(this.#size).catch(() => undefined);
        throw e;
      }
      // The batch's time first (its events' times are close): an id made well after it is an emitter's clock ahead.
      this.#recent.saw(Date.parse(events[events.length - 1]!.event.time));
      let at = this.#size;
      for (const { event, line } of events) {
        this.#recent.add(event.id, at);
        at += Buffer.byteLength(line) + 1;
      }
      this.#size += data.length;
      this.#last = Buffer.from(`${events[events.length - 1]!.line}\n`);
      this.#head = head;
      const last = events.findLast((e) => e.event.action === 'audit.checkpoint');
      // The events are written: a witness that cannot be written (a full disk, a file another user left there) does
      // not make the append fail, which would have it retried and the checkpoint written twice. The witness keeps
      // what it held, and `verifyLogFile` reports one it cannot read; the next checkpoint writes it again.
      if (last !== undefined) await writeFileAtomic(`${this.path}.checkpoint`, Buffer.from(`${last.line}\n`)).catch(() => undefined);
    });
  }

  async *read(options: { readonly fromSeq?: number | undefined; readonly toSeq?: number | undefined } = {}): AsyncIterable<AuditEvent> {
    let size: number;
    try {
      size = (await stat(this.path)).size;
    } catch (e) {
      throw storeError(e, this.#locale);
    }
    for await (const { line, end } of completeLines(this.path, 0, size, this.#locale)) {
      const e = parseStoredLine(line, `${this.path} @${end}`, this.#locale);
      if (options.fromSeq !== undefined && e.seq < options.fromSeq) continue;
      if (options.toSeq !== undefined && e.seq > options.toSeq) return;
      yield e;
    }
  }

  async *lines(): AsyncIterable<Uint8Array> {
    try {
      yield* createReadStream(this.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    } catch (e) {
      throw storeError(e, this.#locale);
    }
  }

  head(): Promise<ChainHead> {
    return this.#exclusive(async () => {
      await this.#refresh();
      return this.#head.clone();
    });
  }

  purge(throughSeq: number): Promise<number> {
    return this.#exclusive(async () => {
      await this.#refresh();
      // The kept lines stream into a temporary file beside the trace, which
      // replaces it (the whole trace may not fit in memory, so not writeFileAtomic).
      const tmp = `${this.path}.purge-${process.pid}`;
      let count = 0;
      let kept = 0;
      try {
        const out = await open(tmp, 'w');
        try {
          const parts: string[] = [];
          // The kept lines move: the index is made again with their new offsets.
          this.#recent.clear();
          let at = 0;
          for await (const { line, end } of completeLines(this.path, 0, this.#size, this.#locale)) {
            const e = parseStoredLine(line, `${this.path} @${end}`, this.#locale);
            if (e.seq <= throughSeq) {
              count++;
              continue;
            }
            this.#recent.saw(Date.parse(e.time));
            this.#recent.add(e.id, at);
            at += Buffer.byteLength(line) + 1;
            parts.push(`${line}\n`);
            if (parts.length >= 4096) {
              const b = Buffer.from(parts.join(''));
              await out.write(b);
              kept += b.length;
              parts.length = 0;
            }
          }
          const b = Buffer.from(parts.join(''));
          await out.write(b);
          kept += b.length;
          await out.sync();
        } finally {
          await out.close();
        }
        await rename(tmp, this.path);
      } catch (e) {
        // The index may hold the new offsets of a file that did not replace the trace: read it again from its start.
        this.#reset();
        await rm(tmp, { force: true }).catch(() => undefined);
        throw e;
      }
      await syncDir(dirname(this.path));
      await this.#fh.close();
      this.#fh = await open(this.path, READ_WRITE);
      this.#size = kept;
      if (kept === 0) this.#last = Buffer.alloc(0);
      return count;
    });
  }

  /**
   * The events of the first `size` bytes whose id is among `ids` (AUD-2): from the index when every id was made
   * `since` its cutoff (each line read at its offset, and checked to be that id's), else through the whole file.
   */
  async #held(size: number, ids: readonly string[], since: number | undefined): Promise<AuditEvent[]> {
    const offsets = since === undefined ? undefined : this.#recent.find(ids, since);
    if (offsets === undefined) return heldInFile(this.path, size, ids, this.#locale);
    const wanted = new Set(ids);
    const out: AuditEvent[] = [];
    for (const at of offsets) {
      const line = await lineAt(this.#fh, at, size);
      // A file changed under the store (an offset no longer starting that id's line): the whole file decides.
      if (line === null || !wanted.has(lineId(line))) return heldInFile(this.path, size, ids, this.#locale);
      out.push(parseStoredLine(line, `${this.path} @${at + Buffer.byteLength(line) + 1}`, this.#locale));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#mutex;
    if (this.#closed) return;
    this.#closed = true;
    if (this.#idle !== undefined) clearImmediate(this.#idle);
    this.#idle = undefined;
    await this.#dropLock().catch(() => undefined);
    await this.#fh.close();
  }
}

/** The longest tail {@link wholeEvent} reads as an event (a line the log writes is a few kilobytes at most). */
const MAX_TAIL_EVENT = 1 << 20;

/**
 * The unterminated tail of a file as the event it holds, when it is one whole: a canonical event line (UTF-8, the
 * schema's, written as the store writes it), whose hash seals it and which continues `head`'s chain; else `null`
 * (a torn write, garbage).
 */
function wholeEvent(tail: Buffer, head: ChainHead, sha256: Sha256): { event: AuditEvent; line: string } | null {
  if (tail.length > MAX_TAIL_EVENT || tail.includes(NL)) return null;
  const line = tail.toString('utf8');
  if (!Buffer.from(line, 'utf8').equals(tail)) return null;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = AuditEventSchema.safeParse(json);
  if (!parsed.success) return null;
  const event = parsed.data;
  if (eventLine(event) !== line || event.seq !== head.seq + 1 || event.prev !== head.hash) return null;
  const { hash, ...unhashed } = event;
  return leafHashHex(unhashedJson(unhashed), sha256) === hash ? { event, line } : null;
}

/** The `"id":"` member that starts each canonical line's id (see `lineId`). */
const ID_MEMBER = Buffer.from('"id":"');

/**
 * The events of `path` (its first `end` bytes) whose id is among `ids`
 * (AUD-2): each line's `"id":"` member found as bytes, a megabyte at a time
 * (only complete lines, a partial one carried to the next read), its 36
 * characters looked up, and only the lines of the ids wanted decoded and
 * parsed. One pass whatever the number of ids.
 */
async function heldInFile(path: string, end: number, ids: readonly string[], locale: Locale): Promise<AuditEvent[]> {
  const wanted = new Set(ids);
  const out: AuditEvent[] = [];
  if (wanted.size === 0 || end <= 0) return out;
  let carry: Buffer | null = null;
  /** The file offset of the first byte of `lines`. */
  let base = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: end - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      carry = carry === null ? chunk : Buffer.concat([carry, chunk]);
      continue;
    }
    const lines: Buffer = carry === null ? chunk.subarray(0, last + 1) : Buffer.concat([carry, chunk.subarray(0, last + 1)]);
    carry = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : null;
    for (let at = lines.indexOf(ID_MEMBER); at >= 0; ) {
      const to = lines.indexOf(NL, at);
      const idAt = at + ID_MEMBER.length;
      if (wanted.has(lines.toString('latin1', idAt, idAt + 36))) {
        const line = lines.toString('utf8', lines.lastIndexOf(NL, at) + 1, to);
        if (wanted.has(lineId(line))) out.push(parseStoredLine(line, `${path} @${base + to + 1}`, locale));
      }
      at = lines.indexOf(ID_MEMBER, to + 1);
    }
    base += lines.length;
  }
  return out;
}

/** The complete line starting at offset `at` (without its newline), read before `end`; `null` when none ends there. */
async function lineAt(fh: FileHandle, at: number, end: number): Promise<string | null> {
  let buf = Buffer.alloc(4096);
  for (;;) {
    const want = Math.min(buf.length, end - at);
    if (want <= 0) return null;
    const { bytesRead } = await fh.read(buf, 0, want, at);
    const nl = buf.subarray(0, bytesRead).indexOf(NL);
    if (nl >= 0) return buf.toString('utf8', 0, nl);
    if (bytesRead < buf.length) return null; // the end (or the file's) reached without a newline
    buf = Buffer.alloc(buf.length * 2);
  }
}

/**
 * `ERR_AUDIT_LINE_INVALID` for a line (or an unterminated tail) longer than
 * any event the log writes, at byte `at` of `path`: a file that is not a
 * trace (a user's file without newlines), or garbage.
 */
function tooLong(path: string, at: number, bytes: number, locale: Locale): AuditError {
  return new AuditError('ERR_AUDIT_LINE_INVALID', { params: { detail: `${path} @${at}: ${bytes} octets/bytes > ${MAX_TAIL_EVENT}` }, locale });
}

/**
 * The complete (`\n`-terminated) lines of `path` between byte offsets
 * `start` and `end`, each with the offset just after its newline. An
 * unterminated tail is not yielded. A line longer than
 * {@link MAX_TAIL_EVENT} is `ERR_AUDIT_LINE_INVALID` as soon as it is
 * (issue 19: a file without newlines was gathered whole in memory).
 */
async function* completeLines(path: string, start: number, end: number, locale: Locale): AsyncIterable<{ line: string; end: number }> {
  if (end <= start) return;
  let carry: Buffer[] = [];
  let carried = 0;
  let offset = start;
  for await (const chunk of createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, from);
      if (nl < 0) break;
      const bytes = carry.length === 0 ? chunk.subarray(from, nl) : Buffer.concat([...carry, chunk.subarray(from, nl)]);
      carry = [];
      carried = 0;
      if (bytes.length > MAX_TAIL_EVENT) throw tooLong(path, offset, bytes.length, locale);
      offset += bytes.length + 1;
      yield { line: bytes.toString('utf8'), end: offset };
      from = nl + 1;
    }
    if (from < chunk.length) {
      carry.push(chunk.subarray(from));
      carried += chunk.length - from;
      // An unterminated run this long is no event, whether a newline comes later or not.
      if (carried > MAX_TAIL_EVENT) throw tooLong(path, offset, carried, locale);
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * A failure of the file system as `ERR_AUDIT_STORE_UNAVAILABLE` (the store
 * contract), or `ERR_AUDIT_STORE_MISCONFIGURED` when it refuses the process
 * for good (`EACCES`, `EPERM`, `EROFS`: issue 19); the package's own errors
 * pass as they are.
 */
function storeError(e: unknown, locale: Locale): AuditError {
  if (e instanceof AuditError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  const code = misconfigurationOf(e) === undefined ? 'ERR_AUDIT_STORE_UNAVAILABLE' : 'ERR_AUDIT_STORE_MISCONFIGURED';
  return new AuditError(code, { params: { detail }, locale, cause: e });
}

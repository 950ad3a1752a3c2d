import { openRegularFile } from '@s3404/core/node';
import { createHash } from 'node:crypto';
import type { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { strFromU8 } from 'fflate';
import { CoreError } from '@s3404/core';
import { judgeLot, resolveVerifyOptions, SAFE_NAME, type OpenedEntry, type OpenedLot } from '../internal/judge-lot.js';
import { LOT_ENTRIES } from '../lot/manifest.js';
import type { LotVerification, VerifyLotOptions } from '../lot/verify-lot.js';

/**
 * Options of {@link verifyLotFile} (SCOR-2): those of `verifyLot`; the
 * SHA-256 is Node's, computed as each entry is read.
 *
 * `import type { VerifyLotFileOptions } from '@s3404/scor/file'`
 *
 * @public
 */
export interface VerifyLotFileOptions extends Omit<VerifyLotOptions, 'sha256'> {}

type Handle = Awaited<ReturnType<typeof open>>;

/** Read this much of a file at a time. */
const CHUNK = 1024 * 1024;
/** The central directory is read in one block up to this size; beyond, header by header. */
const DIRECTORY_BLOCK = 16 * 1024 * 1024;
/** `manifest.json`, `SHA256SUMS` and the signature are kept in memory up to this size each. */
const KEPT_MAX = 64 * 1024 * 1024;
/** The end record is within the last 65,557 bytes (22 + a comment of at most 65,535). */
const TAIL = 65_558 + 22;
const KEPT = new Set<string>([LOT_ENTRIES.manifest, LOT_ENTRIES.checksums, LOT_ENTRIES.signature]);

/**
 * Checks a lot container on disk in bounded memory (SCOR-2, X-2): the same
 * verdict as `verifyLot(await readFile(path), options)` — `ok`, the issues
 * and their codes, the manifest and the signature's status — but it reads
 * the ZIP's end record and central directory, then one entry at a time,
 * hashing each as it goes: only `manifest.json`, `SHA256SUMS` and the
 * signature are held, never a PJ. It never throws for a bad container
 * (truncated, not a ZIP, sizes that lie): the issues say what is wrong.
 *
 * Two differences, for containers no SDK writes: a ZIP64 container, and a
 * central directory, `manifest.json`, `SHA256SUMS` or signature of more than
 * 64 MiB, are refused as `ERR_LOT_CONTAINER_INVALID` (a lot of 65,000 PJ has
 * a 5 MB directory); a deflated entry is inflated as a stream, at most
 * `maxBytes`. Node only.
 *
 * `import { verifyLotFile } from '@s3404/scor/file'`
 *
 * @example
 * ```ts
 * const v = await verifyLotFile(lot.container.path, { verifier: createContentVerifier({ trustAnchors: [caDer] }) })
 * if (!v.ok) for (const i of v.issues) console.error(i.code, i.message)
 * ```
 * @throws {@link CoreError} `ERR_FILE_UNREADABLE` (kind `input`, from `@s3404/core`) when the file cannot be opened or is not a regular file.
 * @throws TypeError when `path` is not a non-empty string, or an option has the wrong type.
 * @public
 */
export async function verifyLotFile(path: string, options: VerifyLotFileOptions = {}): Promise<LotVerification> {
  if (typeof path !== 'string' || path === '') throw new TypeError('verifyLotFile: path must be a non-empty string');
  const resolved = resolveVerifyOptions(options, 'verifyLotFile');
  const unreadable = (reason: string | undefined, cause?: unknown): CoreError =>
    new CoreError('ERR_FILE_UNREADABLE', { params: { path, reason }, locale: resolved.locale, cause });
  const { handle, size } = await openRegularFile(path, { locale: resolved.locale });
  try {
    let opened: OpenedLot;
    try {
      opened = await openFile(handle, size, resolved.maxBytes);
    } catch (e) {
      if (e instanceof Invalid) opened = { ok: false, detail: e.message };
      else throw unreadable((e as { code?: string }).code, e);
    }
    return await judgeLot(opened, resolved);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A container that does not open (its message is the detail of `ERR_LOT_CONTAINER_INVALID`). */
class Invalid extends Error {}

/** Bytes of the file, fewer past its end (as a subarray of an array would be). */
async function readAt(handle: Handle, size: number, position: number, length: number): Promise<Uint8Array> {
  const n = Math.max(0, Math.min(length, size - position));
  const out = new Uint8Array(n);
  for (let done = 0; done < n; ) {
    const { bytesRead } = await handle.read(out, done, n - done, position + done);
    if (bytesRead === 0) return out.subarray(0, done);
    done += bytesRead;
  }
  return out;
}

/** Little-endian fields; a byte past the end reads 0, as in fflate. */
const b2 = (d: Uint8Array, b: number): number => (d[b] ?? 0) | ((d[b + 1] ?? 0) << 8);
const b4 = (d: Uint8Array, b: number): number => (b2(d, b) | (b2(d, b + 2) << 16)) >>> 0;

/**
 * Opens the container the way fflate's `unzipSync` reads it (what
 * `verifyLot` sees), entry by entry: the end record, then each central
 * header in turn, its local header, and its data — hashed, and kept only
 * for the manifest, its checksums and its signature.
 */
async function openFile(handle: Handle, size: number, maxBytes: number): Promise<OpenedLot> {
  const tailStart = Math.max(0, size - TAIL);
  const tail = await readAt(handle, size, tailStart, size - tailStart);
  const at = (position: number): number => position - tailStart;
  let e = size - 22;
  for (; b4(tail, at(e)) !== 0x06054b50; --e) {
    if (e <= 0 || size - e > 65_558) throw new Invalid('invalid zip data');
  }
  const count = b2(tail, at(e) + 8);
  const entries: Record<string, OpenedEntry> = {};
  if (count === 0) return { ok: true, entries, total: 0, unsafe: undefined };
  let o = b4(tail, at(e) + 16);
  if (e - 20 >= 0 && b4(tail, at(e - 20)) === 0x07064b50) {
    const ze = b4(tail, at(e - 12));
    if (b4(await readAt(handle, size, ze, 4), 0) === 0x06064b50) throw new Invalid('ZIP64');
  }

  // The central directory: one block when it is where the end record says, header by header beyond.
  const blockStart = Math.min(o, size);
  const block = await readAt(handle, size, blockStart, Math.min(DIRECTORY_BLOCK, Math.max(0, e - blockStart)));
  let read = 0;
  const bytes = async (position: number, length: number): Promise<Uint8Array> => {
    if (position >= blockStart && position + length <= blockStart + block.length) return block.subarray(position - blockStart, position - blockStart + length);
    read += length;
    if (read > DIRECTORY_BLOCK) throw new Invalid('central directory > 16 MiB');
    return readAt(handle, size, position, length);
  };

  let total = 0;
  let unsafe: string | undefined;
  for (let i = 0; i < count; i++) {
    const h = await bytes(o, 46);
    const nameLength = b2(h, 28);
    const extraLength = b2(h, 30);
    const name = strFromU8(await bytes(o + 46, nameLength), !(b2(h, 8) & 2048));
    const method = b2(h, 10);
    const stored = b4(h, 20);
    const original = b4(h, 24);
    const local = b4(h, 42);
    o += 46 + nameLength + extraLength + b2(h, 32);
    const lh = await readAt(handle, size, local + 26, 4);
    const start = local + 30 + b2(lh, 0) + b2(lh, 2);

    total += original;
    const safe = SAFE_NAME.test(name);
    if (!safe) unsafe ??= name;
    if (total > maxBytes || !safe) continue;
    if (method !== 0 && method !== 8) throw new Invalid(`unknown compression type ${method}`);
    const keep = KEPT.has(name);
    const hash = createHash('sha256');
    const kept: Uint8Array[] = [];
    const sink = (chunk: Uint8Array): void => {
      hash.update(chunk);
      if (keep) kept.push(chunk);
    };
    const end = Math.min(start + stored, size);
    const length = method === 0 ? await copy(handle, size, start, end, sink, keep) : await inflate(handle, size, start, end, sink, keep, maxBytes);
    const digest = hash.digest('hex');
    entries[name] = { length, sha256: async () => digest, bytes: keep ? concat(kept, length) : undefined };
  }
  return { ok: true, entries, total, unsafe };
}

/** A stored entry's bytes, chunk by chunk. */
async function copy(handle: Handle, size: number, start: number, end: number, sink: (chunk: Uint8Array) => void, keep: boolean): Promise<number> {
  if (keep && end - start > KEPT_MAX) throw new Invalid('manifest entry > 64 MiB');
  let length = 0;
  for (let p = start; p < end; p += CHUNK) {
    const chunk = await readAt(handle, size, p, Math.min(CHUNK, end - p));
    sink(chunk);
    length += chunk.length;
  }
  return length;
}

/** A deflated entry, inflated as a stream (at most `maxBytes`, or 64 MiB for a kept entry). */
async function inflate(
  handle: Handle,
  size: number,
  start: number,
  end: number,
  sink: (chunk: Uint8Array) => void,
  keep: boolean,
  maxBytes: number,
): Promise<number> {
  const limit = keep ? Math.min(KEPT_MAX, maxBytes) : maxBytes;
  const inflater = createInflateRaw();
  let length = 0;
  let failure: Error | undefined;
  const finished = new Promise<void>((resolveEnd) => {
    inflater.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        failure ??= new Invalid(`more than ${limit} bytes once inflated`);
        inflater.destroy();
        return;
      }
      sink(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    });
    inflater.on('error', (e: Error) => {
      failure ??= new Invalid(e.message.slice(0, 120));
      resolveEnd();
    });
    inflater.on('close', () => resolveEnd());
    inflater.on('end', () => resolveEnd());
  });
  for (let p = start; p < end && failure === undefined; p += CHUNK) {
    const chunk = await readAt(handle, size, p, Math.min(CHUNK, end - p));
    if (!inflater.write(chunk)) await new Promise<void>((drained) => inflater.once('drain', drained).once('close', drained));
  }
  inflater.end();
  await finished;
  if (failure !== undefined) throw failure;
  return length;
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

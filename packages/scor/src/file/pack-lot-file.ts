import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { resolveLocale } from '@s3404/core';
import { writeFileAtomic } from '@s3404/core/node';
import { writeFileThrough } from './write-file-through.js';
import { ScorError, scorIssue, type ScorIssue } from '../errors/scor-error.js';
import { prepareLot, readLotFile, resolvePackOptions, type PreparedLot, type ResolvedPackOptions, lotContent } from '../internal/prepare-lot.js';
import {
  CENTRAL_HEADER,
  centralHeader,
  dosDateTime,
  END_RECORD,
  endRecord,
  entryName,
  entryTime,
  LOCAL_HEADER,
  localHeader,
  type StoredEntry,
} from '../internal/zip-store.js';
import type { PackedLotFile, PackLotOptions } from '../lot/pack-lot.js';
import { sdkZipCodec } from '../lot/zip-codec.js';

export type { PackedLotFile } from '../lot/pack-lot.js';

/**
 * Options of {@link packLotFile} (SCOR-2): those of `packLot`, with the PJ
 * read through a function and the folder the container is written to.
 *
 * `import type { PackLotFileOptions } from '@s3404/scor/file'`
 *
 * @public
 */
export interface PackLotFileOptions extends Omit<PackLotOptions, 'files'> {
  /**
   * Reads one PJ by the name the description gives it (`undefined` when
   * there is none). Called twice per file: once to check and hash it, once
   * to write it; nothing is kept in between but its SHA-256 and length.
   */
  readonly files: (file: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** The folder the container is written to, as `<lotId><extension>`; created if missing. */
  readonly dir: string;
}

/**
 * The result of {@link safePackLotFile} (SCOR-2, `docs/conventions.md` §5).
 *
 * `import type { PackLotFileResult } from '@s3404/scor/file'`
 *
 * @public
 */
export type PackLotFileResult =
  | { readonly ok: true; readonly lot: PackedLotFile; readonly issues: readonly ScorIssue[] }
  | { readonly ok: false; readonly issues: readonly ScorIssue[] };

/**
 * Packs a SCOR lot straight to a file, in bounded memory (SCOR-2, X-2):
 * the same checks, issues, refusals, manifest and container bytes as
 * `packLot` followed by `writeLotFile` for the same description, files and
 * clock, but no more than one PJ in memory at a time. A first pass reads,
 * checks and hashes each PJ and keeps only its SHA-256, length and report;
 * the container is then written entry by entry to a temporary file in
 * `dir`, each PJ read again and its SHA-256 checked against the first pass,
 * flushed to disk (fsync), and renamed to `dir/<lotId>.zip`: the lot is
 * complete or absent, and the temporary file is removed on every failure.
 * A PJ that changed between the two passes refuses the lot
 * (`ERR_LOT_FILE_CHANGED`), it never gives a corrupt one.
 *
 * Only the SDK's container ({@link sdkZipCodec}, the default) is written
 * entry by entry. A vendor `codec` receives every file's bytes at once
 * (`LotCodec.encode`), so with one this function holds the lot in memory as
 * `packLot` does, then writes it atomically. Node only.
 *
 * `import { packLotFile } from '@s3404/scor/file'`
 *
 * @example
 * ```ts
 * const lot = await packLotFile(description, { files: (name) => readFile(join(pjDir, name)).catch(() => undefined), dir: 'out/scor', signer, now })
 * lot.container.path // '/…/out/scor/690008420-042-1a2b3c4d5e6f.zip'
 * ```
 * @throws {@link ScorError} `ERR_LOT_REFUSED` (kind `verdict`) with every problem in `issues`, as `packLot`, plus `ERR_LOT_FILE_CHANGED`
 *   for a PJ changed while packing; `ERR_SCOR_OPTIONS_INVALID` / `ERR_PJ_POLICY_INVALID` (kind `input`) for bad options.
 * @throws `CoreError` `ERR_FILE_UNWRITABLE` (kind `input`, from `@s3404/core`) with the file system's error as `cause`.
 * @throws TypeError without `dir` or a `files` function, or for options of the wrong type.
 * @public
 */
export async function packLotFile(description: unknown, options: PackLotFileOptions): Promise<PackedLotFile> {
  const result = await safePackLotFile(description, options);
  if (result.ok) return result.lot;
  throw new ScorError('ERR_LOT_REFUSED', {
    params: { count: result.issues.filter((i) => i.severity === 'error').length },
    issues: result.issues,
    locale: resolveLocale(options.locale),
  });
}

/**
 * {@link packLotFile} that returns the issues instead of throwing them
 * (SCOR-2, `docs/conventions.md` §5): `{ ok: true, lot, issues }` (the
 * warnings) or `{ ok: false, issues }` — nothing is written then.
 *
 * `import { safePackLotFile } from '@s3404/scor/file'`
 *
 * @example
 * ```ts
 * const r = await safePackLotFile(description, { files, dir: 'out/scor' })
 * if (!r.ok) for (const i of r.issues) console.error(i.code, i.path.join('.'), i.message)
 * ```
 * @throws `CoreError` `ERR_FILE_UNWRITABLE`; {@link ScorError} `ERR_SCOR_OPTIONS_INVALID` / `ERR_PJ_POLICY_INVALID`; TypeError for options of the wrong type.
 * @public
 */
export async function safePackLotFile(description: unknown, options: PackLotFileOptions): Promise<PackLotFileResult> {
  if (options === null || typeof options !== 'object') throw new TypeError('packLotFile: options are required');
  if (typeof options.dir !== 'string' || options.dir === '') throw new TypeError('packLotFile: options.dir must be a non-empty string');
  if (typeof options.files !== 'function') throw new TypeError('packLotFile: options.files must be a function (file) => bytes');
  const resolved = resolvePackOptions(options, 'packLotFile');
  const streamed = resolved.codec === sdkZipCodec;
  const prepared = await prepareLot(description, options, resolved, { retainBytes: !streamed });
  if (!prepared.ok) return prepared;
  const lot = prepared.lot;
  const fileName = `${lot.lotId}${resolved.codec.extension}`;
  const path = resolve(options.dir, fileName);
  const written = streamed ? await writeZip(lot, path, options, resolved) : await writeEncoded(lot, path, resolved);
  if (!written.ok) return written;
  const { manifest, manifestBytes, manifestSha256, signature, warnings } = lot;
  return {
    ok: true,
    issues: warnings,
    lot: {
      lotId: lot.lotId,
      finess: lot.finess,
      b2LotNumber: lot.b2LotNumber,
      createdAt: lot.createdAt,
      manifest,
      manifestBytes,
      manifestSha256,
      signature,
      container: { codec: resolved.codec.id, fileName, mediaType: resolved.codec.mediaType, path, sha256: written.sha256, length: written.length },
      warnings,
    },
  };
}

type Written = { readonly ok: true; readonly sha256: string; readonly length: number } | { readonly ok: false; readonly issues: readonly ScorIssue[] };

/** The container is larger than the lot's limit (as `packLot` says it, after encoding). */
const tooLarge = (length: number, resolved: ResolvedPackOptions): Written | undefined =>
  length > resolved.maxLotBytes + 64 * 1024 * 1024
    ? { ok: false, issues: [scorIssue('ERR_LOT_TOO_LARGE', [], { params: { bytes: length, limit: resolved.maxLotBytes }, locale: resolved.locale })] }
    : undefined;

/** A vendor codec: every file's bytes at once, then the one atomic writer. */
async function writeEncoded(lot: PreparedLot, path: string, resolved: ResolvedPackOptions): Promise<Written> {
  const { codec } = resolved;
  const container = await codec.encode(lotContent(lot));
  if (!(container instanceof Uint8Array)) throw new TypeError(`packLotFile: codec ${codec.id} must return a Uint8Array`);
  const refused = tooLarge(container.length, resolved);
  if (refused !== undefined) return refused;
  await writeFileAtomic(path, container, { locale: resolved.locale });
  return { ok: true, sha256: createHash('sha256').update(container).digest('hex'), length: container.length };
}

/**
 * The SDK's ZIP, entry by entry (the layout of `internal/zip-store.ts`):
 * 1. its length, known from the names and sizes, is checked first (nothing written for a lot too large);
 * 2. a temporary file is created next to the target (`wx`: never someone else's);
 * 3. the manifest, `SHA256SUMS`, the signature, then each PJ read again, checked against its first-pass
 *    SHA-256 and length, and released once written;
 * 4. the central directory and the end record, then fsync, rename, fsync of the folder.
 * Any failure removes the temporary file; the target is untouched until the rename.
 */
async function writeZip(lot: PreparedLot, path: string, options: PackLotFileOptions, resolved: ResolvedPackOptions): Promise<Written> {
  const { locale } = resolved;
  const dos = dosDateTime(entryTime());
  const fixed: { readonly name: string; readonly bytes: Uint8Array }[] = [
    { name: 'manifest.json', bytes: lot.manifestBytes },
    { name: 'SHA256SUMS', bytes: lot.checksums },
    ...(lot.signature === undefined ? [] : [{ name: 'manifest.json.p7s', bytes: lot.signature }]),
  ];
  // 1. the length
  let length = END_RECORD;
  for (const e of [...fixed.map((f) => ({ name: f.name, length: f.bytes.length })), ...lot.files]) {
    length += LOCAL_HEADER + CENTRAL_HEADER + 2 * entryName(e.name).name.length + e.length;
  }
  const refused = tooLarge(length, resolved);
  if (refused !== undefined) return refused;

  // 2. written through a temporary file, in place only once complete
  return writeFileThrough<Written>(path, { tag: `${lot.lotId}.zip`, locale }, async (file) => {
    const container = createHash('sha256');
    const directory: StoredEntry[] = [];
    const write = async (chunk: Uint8Array): Promise<void> => {
      container.update(chunk);
      await file.write(chunk);
    };
    const entry = async (name: string, bytes: Uint8Array): Promise<void> => {
      const e: StoredEntry = { ...entryName(name), crc: crc32(bytes), size: bytes.length, offset: file.written };
      directory.push(e);
      await write(localHeader(e, dos));
      await write(bytes);
    };
    // 3. the entries
    for (const f of fixed) await entry(f.name, f.bytes);
    for (const f of lot.files) {
      const bytes = await readLotFile(options.files, f.source, 'packLotFile');
      if (bytes === undefined || bytes.length !== f.length || createHash('sha256').update(bytes).digest('hex') !== f.sha256) {
        const issues = [scorIssue('ERR_LOT_FILE_CHANGED', [...f.path, 'file'], { params: { file: f.source.slice(0, 200) }, locale })];
        return { keep: false, value: { ok: false as const, issues } };
      }
      await entry(f.name, bytes);
    }
    // 4. the directory
    const start = file.written;
    const headers = directory.map((e) => centralHeader(e, dos));
    const size = headers.reduce((n, h) => n + h.length, 0);
    const tail = new Uint8Array(size + END_RECORD);
    let at = 0;
    for (const h of headers) {
      tail.set(h, at);
      at += h.length;
    }
    tail.set(endRecord(directory.length, size, start), at);
    await write(tail);
    if (file.written !== length) throw new TypeError(`packLotFile: wrote ${file.written} bytes, ${length} expected`);
    return { keep: true, value: { ok: true as const, sha256: container.digest('hex'), length } };
  });
}

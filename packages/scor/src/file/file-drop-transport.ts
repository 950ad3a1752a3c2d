import { createHash } from 'node:crypto';
import { rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ScorError } from '../errors/scor-error.js';
import type { LotChunkTransmission, LotTransmission, Transport, TransportReceipt } from '../lot/transport.js';
import { writeFileThrough } from './write-file-through.js';
import { writeLotFile } from './write-lot-file.js';

/** Options of {@link FileDropTransport} (SCOR-3). @public */
export interface FileDropTransportOptions {
  /** The drop directory; created if missing. */
  readonly dir: string;
}

/**
 * A development transport (SCOR-3, X-4): each attempt writes the lot's
 * container atomically (`writeFileAtomic` of `@s3404/core/node`, through
 * {@link writeLotFile}) to `DIR/<lotId>/attempt-<n>/<fileName>`, where a
 * developer (or a test) picks it up. `sendChunks` writes the same file
 * chunk by chunk (a temporary file, fsync, rename, fsync of the folder),
 * holding one chunk at a time, and renames it only when its length and
 * SHA-256 are the registered ones. A failed attempt leaves nothing: no
 * file, and no folder it left empty. It never reaches the Assurance
 * Maladie: in production, the vendor's approved transmission module
 * implements {@link Transport}. Node only.
 *
 * `import { FileDropTransport } from '@s3404/scor/file'`
 *
 * @example
 * ```ts
 * const lots = createLotManager({ store, transport: new FileDropTransport({ dir: 'out/scor-outbox' }) })
 * ```
 * @public
 */
export class FileDropTransport implements Transport {
  readonly id = 'file-drop';
  readonly dir: string;

  constructor(options: FileDropTransportOptions) {
    if (options === null || typeof options !== 'object' || typeof options.dir !== 'string' || options.dir === '')
      throw new TypeError('FileDropTransport: dir is required');
    this.dir = resolve(options.dir);
  }

  /** Writes the container to `DIR/<lotId>/attempt-<n>/<fileName>` atomically. @throws CoreError `ERR_FILE_UNWRITABLE`. */
  async send(lot: LotTransmission): Promise<TransportReceipt> {
    const relative = dropPath(lot);
    await this.#dropping(relative, () => writeLotFile(join(this.dir, relative), lot.bytes));
    return { reference: relative };
  }

  /**
   * Writes the container to `DIR/<lotId>/attempt-<n>/<fileName>` chunk by
   * chunk: a temporary file in that folder, flushed (fsync) and
   * renamed only once the iteration ended and the length and SHA-256 are
   * `lot.length` and `lot.sha256`; the temporary file is removed on every
   * failure, so the drop folder holds the whole lot or nothing.
   *
   * @example
   * ```ts
   * await new FileDropTransport({ dir: 'out/scor-outbox' }).sendChunks({ ...lot, length, sha256, chunks: await store.containerChunks(lotId) })
   * ```
   * @throws {@link ScorError} `ERR_LOT_CONTAINER_CHANGED` when the bytes are not the announced ones; the iteration's own error
   *   (e.g. the store's `ERR_LOT_STORE_CORRUPT`); CoreError `ERR_FILE_UNWRITABLE` (from `@s3404/core`).
   */
  async sendChunks(lot: LotChunkTransmission): Promise<TransportReceipt> {
    const relative = dropPath(lot);
    await this.#dropping(relative, () => this.#writeChunks(relative, lot));
    return { reference: relative };
  }

  /**
   * Runs the write of an attempt; when it fails, removes the attempt's folder
   * and the lot's if they are left empty, so that a failed attempt leaves
   * nothing in the drop folder (a picker watching it sees only whole lots).
   */
  async #dropping<T>(relative: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      // The attempt's folder, then the lot's: only an empty one goes (another attempt's file keeps the lot's).
      const attempt = join(this.dir, dirname(relative));
      if (await removeIfEmpty(attempt)) await removeIfEmpty(dirname(attempt));
      throw e;
    }
  }

  async #writeChunks(relative: string, lot: LotChunkTransmission): Promise<void> {
    await writeFileThrough(join(this.dir, relative), { tag: lot.lotId }, async (file) => {
      const hash = createHash('sha256');
      for await (const chunk of lot.chunks) {
        hash.update(chunk);
        await file.write(chunk);
      }
      if (file.written !== lot.length || hash.digest('hex') !== lot.sha256) {
        throw new ScorError('ERR_LOT_CONTAINER_CHANGED', { params: { lotId: lot.lotId, bytes: lot.length, sha256: lot.sha256, read: file.written } });
      }
      return { keep: true, value: undefined };
    });
  }
}

/** Removes `folder` if it is empty; whether it did. */
function removeIfEmpty(folder: string): Promise<boolean> {
  return rmdir(folder).then(
    () => true,
    () => false,
  );
}

/** `<lotId>/attempt-<n>/<fileName>`, each name reduced to safe characters. */
function dropPath(lot: { readonly lotId: string; readonly attempt: number; readonly fileName: string }): string {
  const safe = (s: string): string => s.replace(/[^0-9A-Za-z._-]/g, '_').slice(0, 128);
  return join(safe(lot.lotId), `attempt-${lot.attempt}`, safe(lot.fileName));
}

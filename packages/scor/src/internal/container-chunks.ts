import { ScorError } from '../errors/scor-error.js';
import type { LotRecord } from '../lifecycle/lot-record.js';
import { storeCorrupt } from './lot-row.js';
import { incrementalSha256, type FileReader } from './node-builtins.js';

/** The size of one stored chunk of a container: what one read or write of it holds. */
export const CONTAINER_CHUNK = 1024 * 1024;

/**
 * The chunks of a container file, to store one by one (SCOR-3, X-2): one
 * buffer reused for every chunk (a store copies or sends a chunk before it
 * asks for the next), hashed as it goes. Synchronous, so a SQLite
 * transaction can run it whole. After the last chunk it throws
 * `ERR_LOT_CONTAINER_CHANGED` when the file's length or SHA-256 is not the
 * record's — inside the store's transaction, which then rolls back. A read
 * error is the reader's `ERR_FILE_UNREADABLE`.
 */
export function* fileChunks(file: FileReader, record: LotRecord, who: string): Generator<{ readonly seq: number; readonly bytes: Uint8Array }, void> {
  const { bytes: length, sha256 } = record.container;
  const hash = incrementalSha256(who);
  const chunk = new Uint8Array(CONTAINER_CHUNK);
  let total = 0;
  for (let seq = 0; total <= length; seq++) {
    const n = file.read(chunk, total);
    if (n === 0) break;
    total += n;
    if (total > length) break;
    hash.update(chunk.subarray(0, n));
    yield { seq, bytes: chunk.subarray(0, n) };
  }
  if (total !== length || hash.hex() !== sha256) {
    throw new ScorError('ERR_LOT_CONTAINER_CHANGED', { params: { lotId: record.lotId, bytes: length, sha256, read: total } });
  }
}

/**
 * A stored container given back chunk by chunk (SCOR-3, X-2): `count`
 * chunks asked for one at a time, their length and SHA-256 checked against
 * the record's as they go. A chunk that is missing or not bytes, or a
 * container that is not the registered one, throws `ERR_LOT_STORE_CORRUPT`
 * from the iteration instead of finishing.
 */
export function checkedChunks(o: {
  readonly record: LotRecord;
  readonly count: number;
  readonly next: (seq: number) => unknown;
  readonly who: string;
}): AsyncIterable<Uint8Array> {
  const { lotId, container } = o.record;
  return {
    async *[Symbol.asyncIterator]() {
      const hash = incrementalSha256(o.who);
      let total = 0;
      for (let seq = 0; seq < o.count; seq++) {
        const chunk = await o.next(seq);
        if (chunk === undefined) throw storeCorrupt(`container of ${lotId}: chunk ${seq} missing`);
        if (!(chunk instanceof Uint8Array)) throw storeCorrupt(`container of ${lotId}: chunk ${seq} is not bytes`);
        hash.update(chunk);
        total += chunk.length;
        yield chunk;
      }
      if (total !== container.bytes || hash.hex() !== container.sha256) throw storeCorrupt(`container of ${lotId} does not match its length and SHA-256`);
    },
  };
}

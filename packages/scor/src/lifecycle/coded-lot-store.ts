import type { LotStore } from './lot-store.js';
import { storeUnavailable } from '../internal/lot-row.js';

/**
 * `store` with every failure coded (the store contract, issue 19): the
 * SDK's lot stores throw `ScorError`s already, which pass as they are; a
 * vendor's store over its own driver may throw the driver's errors, which
 * become `ERR_LOT_STORE_MISCONFIGURED` (a right, a table: no retry helps),
 * `ERR_LOT_STORE_CORRUPT` (data the backend reports damaged) or
 * `ERR_LOT_STORE_UNAVAILABLE`, the driver's error as `cause` — as the
 * consumer of `@s3404/seal` does for a vendor's consumption store. The
 * optional methods stay absent when the store has none; a container's
 * chunks are coded as they are read.
 */
export function codedLotStore(store: LotStore): LotStore {
  const coded =
    <A extends unknown[], R>(op: string, call: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await call(...a);
      } catch (e) {
        throw storeUnavailable('lot store', op, e);
      }
    };
  const chunks = store.containerChunks;
  return {
    create: coded('create', (r, c) => store.create(r, c)),
    get: coded('get', (id) => store.get(id)),
    container: coded('container', (id) => store.container(id)),
    update: coded('update', (r, o) => store.update(r, o)),
    list: coded('list', (q) => store.list(q)),
    close: coded('close', () => store.close()),
    ...(store.createFromFile === undefined ? {} : { createFromFile: coded('createFromFile', (r, p) => store.createFromFile!(r, p)) }),
    ...(store.countByState === undefined ? {} : { countByState: coded('countByState', () => store.countByState!()) }),
    ...(chunks === undefined
      ? {}
      : {
          containerChunks: coded('containerChunks', async (id: string) => {
            const source = await chunks.call(store, id);
            return source === null ? null : codedChunks(source);
          }),
        }),
  };
}

async function* codedChunks(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    yield* source;
  } catch (e) {
    throw storeUnavailable('lot store', 'containerChunks', e);
  }
}

// A deliberately broken ConsumptionStore: it wraps the SDK's SQLite store but claims by
// read-then-write with an await in between, and writes without reading the conflict — the
// non-atomic claim SIG-5 forbids. Everything else is delegated. The race must find two winners.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineAdapter } from '@s3404/conformance/contracts';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';

const file = ({ namespace }) => join(tmpdir(), `${namespace}.sqlite`);

async function brokenStore(context) {
  const inner = await SqliteConsumptionStore.open({ path: file(context) });
  return {
    putPending: (entry) => inner.putPending(entry),
    getPending: (id) => inner.getPending(id),
    sweep: (options) => inner.sweep(options),
    untracedSweeps: (options) => inner.untracedSweeps(options),
    sweepTraced: (id) => inner.sweepTraced(id),
    countPending: () => inner.countPending(),
    findTombstone: (options) => inner.findTombstone(options),
    purgeTombstones: (options) => inner.purgeTombstones(options),
    close: () => inner.close(),
    async claim(tombstone) {
      const existing = await inner.findTombstone({ recordId: tombstone.recordId, digest: tombstone.digest });
      if (existing !== null) return { kind: 'taken', tombstone: existing };
      await sleep(3); // the gap between the read and the write
      await inner.claim(tombstone); // "INSERT … ON CONFLICT DO NOTHING", its answer not read
      return { kind: 'claimed', tombstone };
    },
    async complete({ recordId, requestId, at }) {
      // "UPDATE … WHERE record_id = ?": whoever asks completes the record's tombstone.
      const held = await inner.findTombstone({ recordId });
      if (held === null) return null;
      const done = await inner.complete({ recordId, requestId: held.requestId, at });
      return done === null ? null : { ...done, requestId };
    },
  };
}

export default defineAdapter({
  name: 'broken-sqlite (non-atomic claim)',
  processes: 4,
  consumptionStore: brokenStore,
  cleanup: async (context) => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${file(context)}${suffix}`, { force: true });
  },
});

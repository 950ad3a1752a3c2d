// The in-memory store with the same defect as broken-store.mjs (a claim by read-then-write with an
// await in between): one process, for a quick run of the CLI.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineAdapter } from '@s3404/conformance/contracts';
import { MemoryConsumptionStore } from '@s3404/seal/memory';

function brokenStore() {
  const inner = new MemoryConsumptionStore();
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
      await sleep(1);
      await inner.claim(tombstone);
      return { kind: 'claimed', tombstone };
    },
    async complete({ recordId, requestId, at }) {
      const held = await inner.findTombstone({ recordId });
      if (held === null) return null;
      const done = await inner.complete({ recordId, requestId: held.requestId, at });
      return done === null ? null : { ...done, requestId };
    },
  };
}

export default defineAdapter({ name: 'broken-memory (non-atomic claim)', processes: 1, consumptionStore: brokenStore });

import { parentPort, workerData } from 'node:worker_threads';
import type { TraceSink } from '@s3404/core';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { demoClock } from './demo-clock.js';
import { localLanes, type DemoLanes } from './demo-lanes.js';
import { demoPdfSealer } from './demo-pades.js';
import { sqliteDurabilityBarrier } from './demo-pipeline.js';
import { demoSigning } from './demo-signing.js';
import { relayError, reviveError, type DemoThreadSetup, type FromDemoThread, type ToDemoThread } from './demo-threads.js';

// A signing thread of `s3404 demo` (issue 19): the lanes of `localLanes` on this thread, its trace events sent to the demo.
const setup = workerData as DemoThreadSetup;
const port = parentPort!;
const post = (m: FromDemoThread): void => port.postMessage(m);
const acks = new Map<number, { resolve(): void; reject(e: unknown): void }>();
let nextTrace = 1;
const trace: TraceSink = {
  record: (event) =>
    new Promise<void>((resolve, reject) => {
      const id = nextTrace++;
      acks.set(id, { resolve, reject });
      post({ type: 'trace', id, event });
    }),
};

const ready: Promise<{ lanes: DemoLanes; close(): Promise<void> }> = (async () => {
  const clock = demoClock({ buffer: setup.clock });
  const store = await SqliteConsumptionStore.open({ path: setup.consumptionPath, synchronous: setup.synchronous });
  const barrier = setup.synchronous === 'normal' ? sqliteDurabilityBarrier(setup.consumptionPath) : undefined;
  const { pki } = setup;
  const signing = await demoSigning({
    policy: setup.policy,
    key: pki.seal.privateKey,
    certificate: pki.seal.certificate,
    trustAnchor: pki.ca.certificate,
    store,
    trace,
    now: clock.now,
  });
  const pades = await demoPdfSealer({ pki, now: clock.now, locale: setup.locale });
  return {
    lanes: localLanes({ signing, pades, clock, step: setup.step, barrier }),
    async close() {
      await barrier?.close();
      await store.close();
    },
  };
})();
ready.catch(() => undefined); // a failed start is reported to each job

port.on('message', (m: ToDemoThread) => {
  if (m.type === 'ack') {
    const a = acks.get(m.id);
    acks.delete(m.id);
    if (m.error === undefined) a?.resolve();
    else a?.reject(reviveError(m.error, setup.locale));
  } else if (m.type === 'close') {
    ready
      .then((r) => r.close())
      .catch(() => undefined)
      .finally(() => post({ type: 'closed' }));
  } else {
    ready
      .then(({ lanes }): Promise<unknown> => (m.type === 'sign' ? lanes.sign(m.job) : lanes.seal(m.job)))
      .then(
        (value) => post({ type: 'done', id: m.id, value }),
        (e: unknown) => post({ type: 'done', id: m.id, error: relayError(e) }),
      );
  }
});

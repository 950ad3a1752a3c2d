/**
 * The supervised process of `runAdapterConformance`: receives its job
 * over the IPC channel, imports the vendor's adapter module, runs the suites
 * and sends back the report — with a sign of life every half second, so that
 * a module that blocks the process is stopped by the supervisor. Not an API.
 */
import { isS3404Error } from '@s3404/core';
import type { AdapterRunJob, AdapterRunMessage, AdapterRunPhase } from './adapter-run-protocol.js';
import { runAdapterHere } from './run-adapter-here.js';

const send = (message: AdapterRunMessage): Promise<void> =>
  new Promise<void>((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });

process.once('message', (job: AdapterRunJob) => {
  const nonce = job.nonce;
  const alive = setInterval(() => void send({ nonce, t: 'alive' }), 500);
  const events = {
    loaded: () => void send({ nonce, t: 'loaded' }),
    phase: (phase: AdapterRunPhase) => void send({ nonce, t: 'phase', phase }),
  };
  runAdapterHere(job, events)
    .then(
      (report) => send({ nonce, t: 'report', report }),
      (e: unknown) =>
        send({
          nonce,
          t: 'error',
          code: isS3404Error(e) ? e.code : undefined,
          params: isS3404Error(e) ? e.params : undefined,
          message: (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 2000),
        }),
    )
    .finally(() => {
      clearInterval(alive);
      process.exit(0);
    });
});

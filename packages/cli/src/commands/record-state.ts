import { resolve } from 'node:path';
import { createConsumer, type Consumer, type Verifier } from '@s3404/seal';
import { openConsumptionStore } from '@s3404/seal/stores';
import { usage } from '../args.js';
import { makeDirectory, securityClock, type Io } from '../io.js';
import type { RecordOptions } from './record-options.js';
import { trustAnchorsOf } from './signing-keys.js';
import { openStateTrace } from './state-trace.js';

/** Where `--state DIR` keeps the embedded consumption store (SIG-5). */
export const STATE_STORE = 'seal/consumption.sqlite';

/** A consumer on the command's store and trace; `close` releases both. */
export interface RecordState {
  readonly consumer: Consumer;
  readonly at: Date;
  close(): Promise<void>;
}

/**
 * Opens the consumer of `record deposit|consume|sweep` (SIG-5, SIG-6) on
 * `--state DIR` (embedded SQLite, traced in DIR/audit) or `--store URL`. A
 * store that dies with the process (`memory:`) is refused: single use and
 * pending records must outlive one command. The consumer holds no keys of
 * its own (`keyHolder: null`): a pending record's key lives only in the
 * handle `record deposit` prints, never in a file of the state.
 */
export async function openRecordState(io: Io, command: string, o: RecordOptions, verify: 'trust' | 'none'): Promise<RecordState> {
  if ((o.state === undefined) === (o.store === undefined))
    throw usage({
      fr: `record ${command} attend --state DIR ou --store URL (un seul des deux)`,
      en: `record ${command} expects --state DIR or --store URL (one of them)`,
    });
  const verifier = verify === 'trust' ? undefined : refusingVerifier();
  const trustAnchors = verify === 'trust' ? await trustAnchorsOf(io, o.trust, o.locale) : undefined;
  const at = securityClock(io);
  const url = o.state === undefined ? o.store! : `sqlite:${resolve(io.cwd, o.state, STATE_STORE)}`;
  if (o.state !== undefined) await makeDirectory(io, resolve(io.cwd, o.state, 'seal'));
  // Single use from any process: a store that dies with the process (memory:) is refused (ERR_STORE_NOT_DURABLE).
  const store = await openConsumptionStore(url, { durable: true, locale: o.locale });
  const trace =
    o.state === undefined
      ? undefined
      : await openStateTrace(io, o.state, { now: () => at, locale: o.locale }).catch(async (e: unknown) => {
          await store.close();
          throw e;
        });
  const consumer = createConsumer({
    store,
    ...(verifier === undefined ? { trustAnchors: trustAnchors! } : { verifier }),
    now: () => at,
    consumerId: 's3404-cli',
    keyHolder: null,
    locale: o.locale,
    ...(trace === undefined ? {} : { trace: trace.sink }),
  });
  return {
    consumer,
    at,
    close: async () => {
      await store.close();
      await trace?.close();
    },
  };
}

/** The verifier of a command that verifies no record (`record sweep`, `record deposit` without `--trust`): never called. */
function refusingVerifier(): Verifier {
  return {
    verify: () => Promise.reject(new TypeError('this command verifies no record')),
  } as unknown as Verifier;
}

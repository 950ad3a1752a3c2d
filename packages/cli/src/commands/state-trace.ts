import { resolve } from 'node:path';
import type { Clock, Locale, TraceSink } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { auditTraceSink, createAuditLog, type AuditLog } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { createContentSigner } from '@s3404/seal';
import type { Io } from '../io.js';

/** Where `--state DIR` keeps the embedded trace (AUD-1, AUD-2). */
export const STATE_TRACE = 'audit/trace.jsonl';

/** The embedded trace of a state directory, and a trace sink writing to it (AUD-1). */
export interface StateTrace {
  readonly log: AuditLog;
  readonly sink: TraceSink;
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Opens `DIR/audit/trace.jsonl` (AUD-1, AUD-2). With the seal key, the log
 * also seals a checkpoint before the first event of each new day: the CLI
 * wires seal's ContentSigner into audit, which depends on neither. `now` is
 * the clock of its events: the instant of a one-shot command, or a moving
 * clock for a long-running one (`maintenance run`).
 */
export async function openStateTrace(
  io: Io,
  state: string,
  o: {
    readonly now: Clock;
    readonly locale: Locale;
    readonly seal?: { readonly key: Uint8Array; readonly certificate: Uint8Array; readonly chain: readonly Uint8Array[] };
  },
): Promise<StateTrace> {
  const path = resolve(io.cwd, state, STATE_TRACE);
  const now = o.now;
  const store = await FileAuditStore.open({ path, locale: o.locale });
  const signer =
    o.seal === undefined
      ? undefined
      : await createContentSigner({ key: o.seal.key, certificate: o.seal.certificate, chain: o.seal.chain, now, locale: o.locale });
  const log = createAuditLog({ store, sha256: nodeSha256, now, locale: o.locale, ...(signer === undefined ? {} : { signer }) });
  return { log, sink: auditTraceSink(log), path, close: () => log.close() };
}

import { resolve } from 'node:path';
import type { Locale } from '@s3404/form/errors';
import type { TraceSink } from '@s3404/seal';
import { auditTraceSink, createAuditLog, sealCheckpointSigner, type AuditLog } from '@s3404/audit';
import { FileAuditStore, nodeSha256 } from '@s3404/audit/file';
import type { Io } from '../io.js';

/** Where `--state DIR` keeps the embedded trace (AUD-1, AUD-2). */
export const STATE_TRACE = 'audit/trace.jsonl';

/** The embedded trace of a state directory, and a seal trace sink writing to it (AUD-1). */
export interface StateTrace {
  readonly log: AuditLog;
  readonly sink: TraceSink;
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Opens `DIR/audit/trace.jsonl` (AUD-1, AUD-2). With the seal key, the log
 * also seals a checkpoint before the first event of each new day.
 */
export async function openStateTrace(io: Io, state: string, o: { readonly now: Date; readonly locale: Locale; readonly seal?: { readonly key: Uint8Array; readonly certificate: Uint8Array; readonly chain: readonly Uint8Array[] } }): Promise<StateTrace> {
  const path = resolve(io.cwd, state, STATE_TRACE);
  const store = await FileAuditStore.open({ path, locale: o.locale });
  const signer = o.seal === undefined ? undefined : await sealCheckpointSigner({ key: o.seal.key, certificate: o.seal.certificate, chain: o.seal.chain, now: () => o.now, locale: o.locale });
  const log = createAuditLog({ store, sha256: nodeSha256, now: () => o.now, locale: o.locale, ...(signer === undefined ? {} : { signer }) });
  return { log, sink: auditTraceSink(log), path, close: () => log.close() };
}

/**
 * A writer process for the crash test of batches (AUD-2): appends batches
 * of `size` events with `appendMany` to a durable trace file, `lanes`
 * batches in flight, and prints `ack <seq> <hash>` for every event of a
 * batch once the batch has resolved (i.e. after its fdatasync).
 *
 *   node --conditions=@s3404/source --import tsx batch-worker.ts FILE SIZE LANES TAG
 */
import { createAuditLog, type AuditEventDraft } from '@s3404/audit';
import { nodeSha256 } from '@s3404/core/node';
import { FileAuditStore } from '@s3404/audit/file';

const [path, sizeText, lanesText, tag] = process.argv.slice(2) as [string, string, string, string];
const size = Number(sizeText);
const store = await FileAuditStore.open({ path, lockTimeoutMs: 60_000 });
const log = createAuditLog({ store, sha256: nodeSha256 });
let n = 0;
const batch = (): AuditEventDraft[] =>
  Array.from({ length: size }, () => {
    const i = n++;
    return {
      action: 'signature.sealed',
      actor: { personId: `prat-${i % 7}`, role: 'practitioner', terminalId: `${tag}-${i % 3}` },
      subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: (i % 5) + 1 },
      outcome: 'success',
      reason: `${tag} ${i} ${'x'.repeat(i % 300)}`,
    };
  });
async function lane(): Promise<void> {
  for (;;) {
    const events = await log.appendMany(batch());
    process.stdout.write(events.map((e) => `ack ${e.seq} ${e.hash}\n`).join(''));
  }
}
await Promise.all(Array.from({ length: Number(lanesText) }, lane));

/**
 * A writer process for the crash and concurrency tests (AUD-2). Appends
 * events to a trace file with `concurrency` appends in flight and prints
 * `ack <seq> <hash>` for each one once it has resolved (i.e. is on disk).
 *
 *   node --conditions=@s3404/source --import tsx append-worker.ts FILE COUNT CONCURRENCY TAG
 */
import { createAuditLog } from '@s3404/audit';
import { nodeSha256 } from '@s3404/core/node';
import { FileAuditStore } from '@s3404/audit/file';

const [path, countText, concurrencyText, tag] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countText);
const concurrency = Number(concurrencyText);
const store = await FileAuditStore.open({ path, lockTimeoutMs: 60_000 });
const log = createAuditLog({ store, sha256: nodeSha256 });
let next = 0;
const out: string[] = [];
const flush = (): void => {
  if (out.length > 0) process.stdout.write(out.splice(0).join(''));
};
async function lane(): Promise<void> {
  while (next < count) {
    const i = next++;
    const e = await log.append({
      action: 'signature.sealed',
      actor: { personId: `prat-${i % 7}`, role: 'practitioner', terminalId: `${tag}-${i % 3}` },
      subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: (i % 5) + 1 },
      outcome: 'success',
      reason: `${tag} ${i} ${'x'.repeat(i % 300)}`,
    });
    out.push(`ack ${e.seq} ${e.hash}\n`);
    if (out.length >= 16) flush();
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
flush();
await log.close();

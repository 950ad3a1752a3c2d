/**
 * A writer process for the lock tests (AUD-2): like `append-worker.ts`, with
 * a way to die at a chosen point.
 *
 *   node --conditions=@s3404/source --import tsx lock-worker.ts FILE COUNT CONCURRENCY TAG MODE
 *
 * MODE is `write` (append COUNT events, print `ack <seq> <hash>` for each),
 * `die-holding` (take the trace's lock, print `holding`, and SIGKILL itself
 * once the file `FILE.go` exists: a stale lock left by a killed writer, seen
 * by every writer waiting for it), or `kill-at:<step>:<n>` (append, and
 * SIGKILL itself the n-th time the lock reaches `step`, see `LockStep`; its
 * appends are paced so that each takes the lock, and once they are done it
 * takes the lock again and again until it has died: it always dies there).
 * Every process prints `opening` before it opens the store.
 */
import { existsSync } from 'node:fs';
import { createAuditLog } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { nodeSha256 } from '@s3404/core/node';

const [path, countText, concurrencyText, tag, mode = 'write'] = process.argv.slice(2) as [string, string, string, string, string?];
const count = Number(countText);
const concurrency = Number(concurrencyText);
if (mode.startsWith('kill-at:')) {
  const [, step, nth] = mode.split(':') as [string, string, string];
  const { lockProbe } = await import('../../src/file/file-lock.js');
  let seen = 0;
  lockProbe.step = (s) => {
    if (s === step && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
  };
}
process.stdout.write('opening\n');
const store = await FileAuditStore.open({ path, lockTimeoutMs: 60_000 });
if (mode === 'die-holding') {
  await store.append(async () => {
    process.stdout.write('holding\n');
    while (!existsSync(`${path}.go`)) await new Promise((r) => setTimeout(r, 5));
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
    return [];
  });
}
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
      reason: `${tag} ${i}`,
    });
    out.push(`ack ${e.seq} ${e.hash}\n`);
    flush();
    // A writer to be killed at a step of the lock paces its appends, so that it takes the lock for each
    // (a burst shares one lock: see FileAuditStore) and reaches the n-th time of that step.
    if (mode.startsWith('kill-at:')) await new Promise((r) => setTimeout(r, 3));
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
flush();
if (mode.startsWith('kill-at:')) {
  // Its appends may have shared fewer locks than its step's n-th time (a busy machine makes every append wait long
  // enough for the next to join the same lock): it takes the lock again, a section at a time, until it dies there.
  for (;;) {
    await store.head();
    await new Promise((r) => setTimeout(r, 3));
  }
}
if (mode === 'write-then-die') {
  // Dies holding the lock, as a writer SIGKILLed in the middle of a write would.
  await store.append(async () => {
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
    return [];
  });
}
await log.close();

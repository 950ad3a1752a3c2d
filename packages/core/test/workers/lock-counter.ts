/**
 * A process for the file lock tests: increments a counter file COUNT
 * times, each time reading it and writing it again under the lock (the
 * read-modify-write the lock exists for), with a way to die at a chosen point.
 *
 *   node --conditions=@s3404/source --import tsx lock-counter.ts LOCK COUNTER COUNT MODE
 *
 * MODE is `write` (print `ack <value>` after each increment), `die-holding`
 * (take the lock, print `holding`, and SIGKILL itself once `COUNTER.go`
 * exists), or `kill-at:<step>:<n>` (increment, and SIGKILL itself the n-th
 * time the lock reaches `step`, see `FileLockStep`). Every process prints
 * `ready`, then waits for `COUNTER.go` before its first increment.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { acquireFileLock, writeFileAtomic, type FileLockStep } from '@s3404/core/node';

const [lock, counter, countText, mode = 'write'] = process.argv.slice(2) as [string, string, string, string?];
let onStep: ((step: FileLockStep) => void) | undefined;
if (mode.startsWith('kill-at:')) {
  const [, step, nth] = mode.split(':') as [string, string, string];
  let seen = 0;
  onStep = (s) => {
    if (s === step && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
  };
}
const go = async (): Promise<void> => {
  while (!existsSync(`${counter}.go`)) await new Promise((r) => setTimeout(r, 5));
};
if (mode === 'die-holding') {
  await acquireFileLock(lock, { timeoutMs: 60_000 });
  process.stdout.write('holding\n');
  await go();
  process.kill(process.pid, 'SIGKILL');
  await new Promise(() => undefined);
}
process.stdout.write('ready\n');
await go();
for (let i = 0; i < Number(countText); i++) {
  const release = await acquireFileLock(lock, { timeoutMs: 60_000, onStep });
  const value = Number(await readFile(counter, 'utf8').catch(() => '0')) + 1;
  await writeFileAtomic(counter, String(value));
  process.stdout.write(`ack ${value}\n`);
  await release();
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContentSigner } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { verifyLogFile, type FileVerifyReport } from '@s3404/audit/file';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { clock, collect, draft, memoryLog, withDir } from './helpers.js';

/**
 * The workers of `verifyLogFile(path, { threads })` failing (AUD-2): the
 * real worker threads are started, and the test makes one fail at a known
 * moment — while this thread is still verifying its own share — through
 * `startModuleWorker`, the only place they are started. Whatever a worker
 * does (crashes, answers an error, exits without answering, cannot start),
 * the verdict is the serial one, no rejection goes unobserved (in Node an
 * unhandled rejection ends the process), the call settles, and no worker is
 * left running.
 */
const hook = vi.hoisted(() => ({
  calls: 0,
  started: [] as Worker[],
  exited: new Set<Worker>(),
  /** Called once each real worker is started; `index` counts the calls. */
  onStart: null as ((w: Worker, index: number) => void) | null,
  /** `true`: that call throws, as `new Worker` does when a thread cannot be created. */
  refuse: null as ((index: number) => boolean) | null,
}));

vi.mock('@s3404/core/node', async (importOriginal) => {
  const original = await importOriginal<typeof import('@s3404/core/node')>();
  return {
    ...original,
    startModuleWorker: (...args: Parameters<typeof original.startModuleWorker>): Worker => {
      const index = hook.calls++;
      if (hook.refuse?.(index)) throw new Error('ERR_WORKER_INIT_FAILED: cannot create a thread');
      const w = original.startModuleWorker(...args);
      hook.started.push(w);
      w.once('exit', () => hook.exited.add(w));
      hook.onStart?.(w, index);
      return w;
    },
  };
});

/** Signs with fixed bytes: checkpoints without a verifier are reported `unchecked`. */
const fakeSigner: ContentSigner = { subject: 'CN=test', sign: async (content) => Uint8Array.from([0x30, content.length & 0xff, 1, 2, 3]) };

/** A trace of `periods` checkpointed periods of `size` events, then `tail` unsealed events. */
async function trace(periods: number, size: number, tail: number): Promise<Uint8Array> {
  const store = new MemoryAuditStore({ sha256: nodeSha256 });
  const c = clock();
  const log = memoryLog({ store, signer: fakeSigner, dailyCheckpoints: false, now: c.now, sha256: nodeSha256 });
  let n = 0;
  const next = (count: number) =>
    Array.from({ length: count }, () => {
      c.advance(1);
      return draft(n++);
    });
  for (let p = 0; p < periods; p++) {
    await log.appendMany(next(size));
    await log.checkpoint();
  }
  await log.appendMany(next(tail));
  const bytes = await collect(store.lines());
  await log.close();
  return bytes;
}

const plain = (r: FileVerifyReport): unknown => JSON.parse(JSON.stringify(r));

/** What `p` settled to, or `'hung'` after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<{ value: T } | { error: unknown } | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  try {
    return await Promise.race([
      p.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether every worker started has exited, waiting up to `ms` for the last ones. */
async function allExited(ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!hook.started.every((w) => hook.exited.has(w))) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeEach(() => {
  unhandled.length = 0;
  hook.calls = 0;
  hook.started.length = 0;
  hook.exited.clear();
  hook.onStart = null;
  hook.refuse = null;
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  // Whatever the verification left behind must not keep this test process alive.
  await Promise.all(hook.started.map((w) => w.terminate()));
});

describe('verifyLogFile on worker threads: a worker that fails (AUD-2)', () => {
  let data: Uint8Array | undefined;
  let serial: unknown;

  // Before each test sets its hooks: the trace, and its verdict on one thread.
  beforeEach(async () => {
    if (data !== undefined) return;
    data = await trace(8, 40, 60);
    serial = await withDir(async (dir) => {
      const path = join(dir, 'serial.jsonl');
      writeFileSync(path, data!);
      return plain(await verifyLogFile(path, { threads: 1, witness: false }));
    });
  });

  /** Verifies the trace on `threads` threads with the hooks the test set, and checks the outcome. */
  async function verifyWithFailure(threads: number): Promise<void> {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      writeFileSync(path, data!);
      const outcome = await within(verifyLogFile(path, { threads, witness: false }), 5_000);
      expect(outcome, 'the verification settles').not.toBe('hung');
      expect(outcome).toHaveProperty('value');
      if (outcome === 'hung' || !('value' in outcome)) return;
      expect(plain(outcome.value), 'the verdict of one thread').toEqual(serial);
      expect(hook.calls, 'workers asked for').toBe(threads - 1);
      expect(await allExited(1_000), 'no worker left running').toBe(true);
      // Let a late rejection surface before looking.
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled, 'no unhandled rejection').toEqual([]);
    });
  }

  it('a worker that crashes while this thread verifies its share: no unhandled rejection, the serial verdict, no worker left', async () => {
    hook.onStart = (w) => process.nextTick(() => w.emit('error', new Error('worker crashed')));
    await verifyWithFailure(2);
  });

  it('a worker that answers an error while this thread verifies its share: the same', async () => {
    hook.onStart = (w) => process.nextTick(() => w.emit('message', { id: 0, error: 'EIO: i/o error, read' }));
    await verifyWithFailure(2);
  });

  it('two workers that fail at once: the same', async () => {
    hook.onStart = (w, index) =>
      process.nextTick(() => (index === 0 ? w.emit('error', new Error('worker crashed')) : w.emit('message', { id: 1, error: 'EIO: i/o error, read' })));
    await verifyWithFailure(3);
  });

  it('a worker that exits without answering: a failure, not a verification that never ends', async () => {
    hook.onStart = (w) => process.nextTick(() => void w.terminate());
    await verifyWithFailure(2);
  });

  it('a worker that cannot start after another did: the one started is stopped', async () => {
    hook.refuse = (index) => index === 1;
    await verifyWithFailure(3);
  });

  it('workers that do not fail: the verdict of one thread, every worker stopped', async () => {
    await verifyWithFailure(3);
  });
});

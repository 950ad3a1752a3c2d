import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { isS3404Error, RecordingTraceSink } from '@s3404/core';
import { FormError } from '@s3404/form';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { demoClock } from '../src/commands/demo-clock.js';
import { demoThreadCount, demoTuning } from '../src/commands/demo-pipeline.js';
import { relayError, reviveError, threadLanes, type DemoThreadSetup } from '../src/commands/demo-threads.js';
import { CliError } from '../src/errors.js';

// Issue 19: the demo's signing threads. What fails in a thread reaches the demo as the same coded error, and never hangs it.
const work = mkdtempSync(join(tmpdir(), 's3404-demo-threads-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the demo on worker threads', () => {
  it('threads for a large day on 3 cores or more, one core left to the demo; none for a small day, on 2 cores, or when asked', () => {
    const auto = demoTuning({});
    expect([demoThreadCount(auto, 31, 8), demoThreadCount(auto, 1000, 2), demoThreadCount(auto, 1000, 3), demoThreadCount(auto, 1000, 16)]).toEqual([
      0, 0, 2, 4,
    ]);
    expect(demoThreadCount(demoTuning({ S3404_DEMO_THREADS: '0' }), 1000, 16)).toBe(0);
    expect(demoThreadCount(demoTuning({ S3404_DEMO_THREADS: '3' }), 2, 2)).toBe(2);
    for (const bad of ['17', '-1', '1.5', 'many']) expect(demoTuning({ S3404_DEMO_THREADS: bad }).threads).toBeUndefined();
    expect(demoThreadCount(demoTuning({ S3404_DEMO_STRATEGY: 'naive', S3404_DEMO_THREADS: '4' }), 1000, 16)).toBe(0);
  });

  it('a coded error crosses threads with its code, kind, parameters, issues and both messages', () => {
    const e = new FormError('ERR_BORDEREAU_INVALID', { params: { received: 2, detail: 'id' }, issues: [{ code: 'ERR_X', path: ['id'], message: 'm' }] });
    const back = reviveError(structuredClone(relayError(e)), 'en');
    expect(isS3404Error(back)).toBe(true);
    expect(back).toMatchObject({ code: e.code, kind: e.kind, params: e.params, issues: e.issues, message: e.messageIn('en') });
    expect((back as FormError).messageIn('fr')).toBe(e.messageIn('fr'));
    // Anything else stays an uncoded error (an internal error for the CLI), with its message.
    const plain = reviveError(relayError(new RangeError('boom')), 'fr');
    expect(isS3404Error(plain)).toBe(false);
    expect(plain.message).toBe('boom');
  });

  it('a thread that cannot open its store fails each job with the store’s coded error, and closes at once', async () => {
    const notAFolder = join(work, 'file');
    writeFileSync(notAFolder, 'x');
    const clock = demoClock({ startMs: Date.parse('2026-03-20T08:00:00Z') });
    const pki = await createDevelopmentPki({ now: clock.now });
    const trace = new RecordingTraceSink();
    const lanes = threadLanes({
      threads: 1,
      trace,
      setup: {
        clock: clock.buffer,
        step: 1000,
        pki,
        policy: { finess: '750300360', director: { id: 'directeur', name: 'D' }, practitioners: [], mandates: [] },
        consumptionPath: join(notAFolder, 'consumption.sqlite'),
        synchronous: 'normal',
        locale: 'en',
      },
    });
    try {
      const failed = await lanes.seal({ path: join(work, 'none.pdf'), name: 'none.pdf' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isS3404Error(failed), String(failed)).toBe(true);
      expect((failed as { code: string }).code).toMatch(/^ERR_/);
      expect((failed as Error).message).not.toMatch(/[éè]/); // in the demo's language
    } finally {
      const t = performance.now();
      await lanes.close();
      expectWithinBound(performance.now() - t, 5_000, 'closing after a store that cannot open', { clock: 'wall' });
    }
    expect(trace.events).toEqual([]);
  }, 60_000);

  it('fails the jobs of a thread that dies (out of memory) with ERR_DEMO_THREAD_ENDED, in both languages, then closes', async () => {
    for (const locale of ['fr', 'en'] as const) {
      // A heap far too small for the SDK: the thread dies while it loads, its jobs already sent.
      const setup = { heapMb: 2, locale, synchronous: 'normal', consumptionPath: join(work, 'never.sqlite') } as unknown as DemoThreadSetup;
      const lanes = threadLanes({ threads: 1, setup, trace: new RecordingTraceSink() });
      const outcomes = await Promise.allSettled([lanes.sign({} as never), lanes.seal({} as never), lanes.sign({} as never)]);
      for (const o of outcomes) {
        expect(o.status).toBe('rejected');
        const e = (o as PromiseRejectedResult).reason as CliError;
        expect(e).toBeInstanceOf(CliError);
        expect([e.code, e.kind]).toEqual(['ERR_DEMO_THREAD_ENDED', 'internal']);
        expect(e.message).toMatch(
          locale === 'fr'
            ? /^s3404 demo : un fil de signature s’est arrêté \(ERR_WORKER_OUT_OF_MEMORY\) ; les bordereaux qu’il traitait ne sont pas signés$/
            : /^s3404 demo: a signing thread ended \(ERR_WORKER_OUT_OF_MEMORY\); the bordereaux it was working on are not signed$/,
        );
        expect(e.cause).toMatchObject({ code: 'ERR_WORKER_OUT_OF_MEMORY' });
      }
      // Later jobs are refused at once with the same error; close does not wait for the dead thread.
      await expect(lanes.sign({} as never)).rejects.toMatchObject({ code: 'ERR_DEMO_THREAD_ENDED' });
      const t = performance.now();
      await lanes.close();
      expectWithinBound(performance.now() - t, 5_000, 'closing after a thread that died', { clock: 'wall' });
    }
  }, 60_000);
});

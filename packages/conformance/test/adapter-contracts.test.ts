import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { isS3404Error } from '@s3404/core';
import { defineAdapter, runAdapterContracts, runConsumptionStoreContract } from '@s3404/conformance/contracts';
import { runAdapterConformance } from '@s3404/conformance/node';
import type { ConformanceReport } from '@s3404/conformance';
import { MemoryConsumptionStore } from '@s3404/seal/memory';

const ADAPTERS = join(import.meta.dirname, 'adapters');
const T0 = new Date('2026-03-20T10:00:00.000Z');
const now = (): Date => T0;
const run = (module: string, options: { race?: number; crashTrials?: number; processes?: number } = {}): Promise<ConformanceReport> =>
  runAdapterConformance({
    module: `./${module}`,
    cwd: ADAPTERS,
    now,
    race: options.race ?? 24,
    crashTrials: options.crashTrials ?? 1,
    ...(options.processes === undefined ? {} : { processes: options.processes }),
  });

const verdicts = (r: ConformanceReport): Record<string, string> => Object.fromEntries(Object.entries(r.requirements).map(([id, v]) => [id, v.verdict]));
const failedTests = (r: ConformanceReport): string[] => r.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.file}#${t.tcId}: ${t.detail}`);

describe('the SDK’s own stores through the public adapter path pass SIG-5, SIG-6, SIG-10 (X-3)', () => {
  it('memory (one process: the race runs in-process, no crash trial)', async () => {
    const r = await run('memory.mjs', { race: 40 });
    expect(failedTests(r)).toEqual([]);
    expect(verdicts(r)).toEqual({ 'SIG-5': 'passed', 'SIG-6': 'passed', 'SIG-10': 'passed' });
    expect(r.ok).toBe(true);
    expect(r.tests.some((t) => t.file === 'contracts/consumption-store-crash')).toBe(false);
    const race = r.tests.find((t) => t.file === 'contracts/consumption-store-race' && t.tcId === 1)!;
    expect(race.comment).toContain('40 records × 32 consumers over 1 process');
  }, 30_000);

  it('embedded SQLite, 4 processes, with crash trials', async () => {
    const r = await run('sqlite.mjs', { race: 16, crashTrials: 2 });
    expect(failedTests(r)).toEqual([]);
    expect(verdicts(r)).toEqual({ 'SIG-5': 'passed', 'SIG-6': 'passed', 'SIG-10': 'passed' });
    const race = r.tests.find((t) => t.file === 'contracts/consumption-store-race')!;
    expect(race.comment).toContain('16 records × 32 consumers over 4 processes');
    const spread = /^wins per process: p0 (\d+), p1 (\d+), p2 (\d+), p3 (\d+)$/.exec(race.detail ?? '');
    expect(spread, race.detail).not.toBeNull();
    expect(spread!.slice(1).reduce((a, n) => a + Number(n), 0)).toBe(16);
    const crash = r.tests.filter((t) => t.file === 'contracts/consumption-store-crash');
    expect(crash).toHaveLength(2);
    for (const t of crash) expect(t.detail).toMatch(/^killed /);
  }, 120_000);
});

describe('a store without an atomic claim is reported failing SIG-5 (issue 18, done when)', () => {
  it('the broken SQLite store over 2 processes: the race finds two winners', async () => {
    const r = await run('broken-store.mjs', { race: 12, crashTrials: 0, processes: 2 });
    expect(r.ok).toBe(false);
    expect(r.requirements['SIG-5']?.verdict).toBe('failed');
    const race = r.tests.find((t) => t.file === 'contracts/consumption-store-race' && t.tcId === 1)!;
    expect(race.outcome).toBe('failed');
    expect(race.detail).toMatch(/consumed more than once .*two winners/);
    // The evidence names how the wins were spread over the two processes.
    expect(race.detail).toMatch(/\(wins per process: p0 \d+, p1 \d+\)$/);
    // Only the races catch it: the sequential cases pass, SIG-6 and SIG-10 too.
    expect(r.tests.filter((t) => t.outcome === 'failed').map((t) => `${t.file}#${t.tcId}`)).toEqual([
      'contracts/consumption-store#13',
      'contracts/consumption-store-race#1',
    ]);
    expect(r.requirements['SIG-6']?.verdict).toBe('passed');
  }, 120_000);
});

describe('failures inside a run are verdicts, never a hang (X-2)', () => {
  it('worker processes that cannot open their store fail the race and the crash trial with their error', async () => {
    const r = await run('parent-only.mjs', { race: 4, crashTrials: 1, processes: 2 });
    expect(r.requirements['SIG-5']?.verdict).toBe('failed');
    const race = r.tests.find((t) => t.file === 'contracts/consumption-store-race' && t.tcId === 1)!;
    expect(race.outcome).toBe('failed');
    expect(race.detail).toMatch(/process 0: ERR_ADAPTER_FACTORY .*S3404_TEST_DSN is not set/);
    const crash = r.tests.find((t) => t.file === 'contracts/consumption-store-crash')!;
    expect(crash.outcome).toBe('failed');
    expect(crash.detail).toContain('S3404_TEST_DSN');
    // The in-process cases, in the parent, pass.
    expect(r.tests.filter((t) => t.file === 'contracts/consumption-store').every((t) => t.outcome === 'passed')).toBe(true);
  }, 120_000);

  it('a store that never answers fails each case after timeoutMs', async () => {
    const silent = (): MemoryConsumptionStore => {
      const s = new MemoryConsumptionStore();
      s.claim = () => new Promise(() => undefined);
      return s;
    };
    const lines = await runConsumptionStoreContract(silent, { now, timeoutMs: 300 });
    const stuck = lines.filter((t) => t.outcome === 'failed');
    expect(stuck.length).toBeGreaterThan(8);
    for (const t of stuck) expect(t.detail).toBe('no answer within 0.3 s');
  }, 60_000);
});

describe('adapters that are not: coded errors, never a crash (X-2)', () => {
  const code = async (work: Promise<unknown>): Promise<string> => {
    try {
      await work;
    } catch (e) {
      if (isS3404Error(e)) return `${e.code} ${e.kind}`;
      throw e;
    }
    return 'no error';
  };
  it('a module that exports no adapter, a missing module, a store without its ledger, a factory that throws', async () => {
    expect(await code(run('not-an-adapter.mjs'))).toBe('ERR_ADAPTER_INVALID input');
    expect(await code(run('nowhere.mjs'))).toBe('ERR_ADAPTER_INVALID input');
    expect(await code(runAdapterConformance({ module: '@s3404/no-such-adapter', cwd: ADAPTERS }))).toBe('ERR_ADAPTER_INVALID input');
    expect(await code(run('missing-methods.mjs'))).toBe('ERR_ADAPTER_INVALID input');
    await run('missing-methods.mjs').catch((e: Error) => expect(e.message).toMatch(/claim, complete, findTombstone, purgeTombstones/));
    expect(await code(run('throwing-factory.mjs'))).toBe('ERR_ADAPTER_FACTORY unavailable');
    await run('throwing-factory.mjs').catch((e: Error) => expect(e.message).toContain('ECONNREFUSED 127.0.0.1:1521'));
  });
  it('defineAdapter refuses what is not an adapter; the runner refuses sizes out of range', async () => {
    expect(await code(Promise.resolve().then(() => defineAdapter({ name: 'x' })))).toBe('ERR_ADAPTER_INVALID input');
    expect(await code(Promise.resolve().then(() => defineAdapter({ name: 'x', consumptionStore: 'no' } as never)))).toBe('ERR_ADAPTER_INVALID input');
    expect(await code(Promise.resolve().then(() => defineAdapter({ name: 'x', processes: 0, consumptionStore: () => new MemoryConsumptionStore() })))).toBe(
      'ERR_ADAPTER_INVALID input',
    );
    expect(await code(Promise.resolve().then(() => defineAdapter(null as never)))).toBe('ERR_ADAPTER_INVALID input');
    await expect(runAdapterConformance({ module: './memory.mjs', cwd: ADAPTERS, race: 0 })).rejects.toThrow(TypeError);
    await expect(runAdapterConformance({ module: './memory.mjs', cwd: ADAPTERS, consumers: 1 })).rejects.toThrow(TypeError);
  });
});

describe('the vendor module runs in a supervised process of its own (X-3)', () => {
  const failure = async (work: Promise<unknown>): Promise<{ code: string; message: string }> => {
    try {
      await work;
    } catch (e) {
      if (isS3404Error(e)) return { code: `${e.code} ${e.kind}`, message: e.message };
      throw e;
    }
    return { code: 'no error', message: '' };
  };
  it('a module that ends the process with status 0, at import or in a factory, is an error, never a report', async () => {
    const atImport = await failure(run('exits-at-import.mjs'));
    expect(atImport.code).toBe('ERR_ADAPTER_EXITED input');
    expect(atImport.message).toMatch(/0/);
    expect((await failure(run('exits-in-factory.mjs'))).code).toBe('ERR_ADAPTER_EXITED input');
  }, 30_000);
  it('a module that never finishes loading, or a store that blocks its process, is stopped at its deadline', async () => {
    const t0 = performance.now();
    const loading = await failure(runAdapterConformance({ module: './loops-at-import.mjs', cwd: ADAPTERS, now, loadTimeoutMs: 1500 }));
    expect(loading.code).toBe('ERR_ADAPTER_TIMEOUT input');
    expect(loading.message).toMatch(/1[.,]5 s/);
    const blocked = await failure(runAdapterConformance({ module: './loops-in-store.mjs', cwd: ADAPTERS, now, timeoutMs: 2000 }));
    expect(blocked.code).toBe('ERR_ADAPTER_TIMEOUT input');
    expectWithinBound(performance.now() - t0, 15_000, 'stopping at the deadline', { clock: 'wall' });
  }, 30_000);
  it('what the module prints cannot pass for the report', async () => {
    const r = await run('noisy-memory.mjs', { race: 8 });
    expect(failedTests(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.tests.length).toBeGreaterThan(10);
  }, 30_000);
});

describe('the in-process API, any runtime', () => {
  it('runAdapterContracts judges a store in memory; runConsumptionStoreContract gives the lines', async () => {
    const r = await runAdapterContracts({ adapter: defineAdapter({ name: 'memory', consumptionStore: () => new MemoryConsumptionStore() }), now });
    expect(verdicts(r)).toEqual({ 'SIG-5': 'passed', 'SIG-6': 'passed', 'SIG-10': 'passed' });
    expect(r.filter).toBe('adapter:memory');
    const lines = await runConsumptionStoreContract(() => new MemoryConsumptionStore(), { now });
    expect(lines.map((t) => t.outcome)).toEqual(Array(14).fill('passed'));
    expect(new Set(lines.map((t) => t.inputSha256)).size).toBe(14);
  });
  it('a store that forgets its tombstones fails the replay cases', async () => {
    const forgetful = (): MemoryConsumptionStore => {
      const s = new MemoryConsumptionStore();
      s.findTombstone = async () => null;
      s.claim = async (t) => ({ kind: 'claimed', tombstone: t });
      return s;
    };
    const lines = await runConsumptionStoreContract(forgetful, { now });
    const failed = lines.filter((t) => t.outcome === 'failed').map((t) => t.tcId);
    expect(failed).toContain(2);
    expect(failed).toContain(13);
  });
  it('a store without the sweep outbox fails the sweep-trace case, and only it', async () => {
    const lines = await runConsumptionStoreContract(
      () => {
        const s = new MemoryConsumptionStore();
        return new Proxy(s, {
          get(target, key) {
            if (key === 'untracedSweeps' || key === 'sweepTraced') return undefined;
            const v: unknown = Reflect.get(target, key);
            return typeof v === 'function' ? v.bind(target) : v;
          },
        });
      },
      { now },
    );
    const failed = lines.filter((t) => t.outcome === 'failed');
    expect(failed.map((t) => t.tcId)).toEqual([14]);
    expect(failed[0]!.detail).toContain('no sweep outbox');
  });
});

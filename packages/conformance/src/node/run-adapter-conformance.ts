import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readClock, resolveClock, type Clock, type Sha256 } from '@s3404/core';
import { ConformanceError } from '../errors/conformance-error.js';
import { adapterOf, type ConformanceAdapter } from '../contracts/adapter.js';
import { contractRecords } from '../contracts/contract-records.js';
import { adapterContractTests, adapterReport, namespaces, releaseAdapter } from '../contracts/run-adapter.js';
import { boundedBody } from '../internal/bounded-body.js';
import type { ConformanceReport } from '../report.js';
import { crashCases } from './crash-trials.js';
import { raceCases } from './race-over-processes.js';

/**
 * Options of {@link runAdapterConformance} (X-3, SIG-5).
 *
 * `import type { RunAdapterConformanceOptions } from '@s3404/conformance/node'`
 *
 * @public
 */
export interface RunAdapterConformanceOptions {
  /**
   * The adapter module: a path (relative to `cwd`) or a package name
   * resolved from `cwd`. Its default export (or `adapter`) is a
   * `ConformanceAdapter` (`defineAdapter` of `@s3404/conformance/contracts`).
   */
  readonly module: string;
  /** Where a relative path or a package name is resolved from. Default: `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** Records of the race. Default 100; 1 to 10 000. */
  readonly race?: number | undefined;
  /** Consumers of the race, spread over the processes. Default 32; 2 to 256. */
  readonly consumers?: number | undefined;
  /** Processes of the race and crash trials: at most the adapter's `processes`, its value by default. */
  readonly processes?: number | undefined;
  /** Crash trials (only with more than one process). Default 3; 0 to 100. */
  readonly crashTrials?: number | undefined;
  /** Seed of the kill instants. Default 3404. */
  readonly seed?: number | undefined;
  /** Longest life of one worker process, milliseconds (and of one in-process case, up to 60 000). Default 120 000. */
  readonly timeoutMs?: number | undefined;
  /** The clock of the records and of the report. Default: the system clock. */
  readonly now?: Clock | undefined;
  readonly sha256?: Sha256 | undefined;
  readonly sdkVersion?: string | undefined;
}

/** Longest time the adapter module may take to load. */
const IMPORT_TIMEOUT_MS = 60_000;

function integer(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new TypeError(`runAdapterConformance: ${name} must be an integer from ${min} to ${max}`);
  return v;
}

/**
 * Imports an adapter module: a path relative to `cwd` or a package
 * name resolved from it. Returns the adapter and the URL the worker
 * processes import.
 *
 * @throws {@link ConformanceError} `ERR_ADAPTER_INVALID` when the module cannot be found, fails to load, or exports no adapter.
 */
export async function loadAdapterModule(module: string, cwd: string): Promise<{ readonly adapter: ConformanceAdapter; readonly url: string }> {
  if (typeof module !== 'string' || module.length === 0 || module.length > 4096)
    throw new ConformanceError('ERR_ADAPTER_INVALID', {
      params: { module: String(module).slice(0, 100), detail: { fr: 'nom de module vide', en: 'empty module name' } },
    });
  const path = isAbsolute(module) ? module : resolve(cwd, module);
  let url: string;
  if (existsSync(path)) url = pathToFileURL(path).href;
  else {
    try {
      url = pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(module)).href;
    } catch (e) {
      throw new ConformanceError('ERR_ADAPTER_INVALID', {
        params: { module, detail: { fr: `introuvable depuis ${cwd}`, en: `not found from ${cwd}` } },
        cause: e,
      });
    }
  }
  let exports: unknown;
  try {
    // A module whose top-level await never settles is refused, not waited for.
    exports = await boundedBody(IMPORT_TIMEOUT_MS, () => import(url))();
  } catch (e) {
    if (e instanceof ConformanceError) throw e;
    const detail = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);
    throw new ConformanceError('ERR_ADAPTER_INVALID', { params: { module, detail }, cause: e });
  }
  return { adapter: adapterOf(exports, module), url };
}

/**
 * Runs the contract suites against a vendor's adapter module (X-3; SIG-5,
 * SIG-6, SIG-10 for a `ConsumptionStore`): the in-process contract cases,
 * then the race — `race` records × `consumers` consumers spread over
 * `processes` Node processes, each importing the module and opening its own
 * store through the adapter's factory on one namespace: exactly one winner
 * per record, every loser refused with `ERR_RECORD_REPLAYED` — and the crash
 * trials, in which a consuming process is SIGKILLed at a random instant.
 * Returns a report of the same shape as `runConformance`'s.
 *
 * `import { runAdapterConformance } from '@s3404/conformance/node'`
 *
 * @example
 * ```ts
 * const report = await runAdapterConformance({ module: './conformance-adapter.mjs', race: 200 })
 * report.requirements['SIG-5']?.verdict // 'passed' — or 'failed' with the records that had two winners
 * ```
 * @throws {@link ConformanceError} `ERR_ADAPTER_INVALID` (no module, no adapter, a store without its methods),
 * `ERR_ADAPTER_FACTORY` (a factory that throws). TypeError for sizes out of range.
 * @public
 */
export async function runAdapterConformance(options: RunAdapterConformanceOptions): Promise<ConformanceReport> {
  if (options === null || typeof options !== 'object') throw new TypeError('runAdapterConformance: options.module is required');
  const size = integer(options.race, 100, 1, 10_000, 'race');
  const consumers = integer(options.consumers, 32, 2, 256, 'consumers');
  const trials = integer(options.crashTrials, 3, 0, 100, 'crashTrials');
  const seed = integer(options.seed, 3404, 0, 2 ** 31, 'seed');
  const timeoutMs = integer(options.timeoutMs, 120_000, 1000, 3_600_000, 'timeoutMs');
  if (options.processes !== undefined) integer(options.processes, 1, 1, 16, 'processes');
  const now = resolveClock(options.now, 'runAdapterConformance');
  const date = readClock(now, 'runAdapterConformance').toISOString();
  const { adapter, url } = await loadAdapterModule(options.module, options.cwd ?? process.cwd());
  const processes = Math.min(options.processes ?? adapter.processes ?? 1, adapter.processes ?? 1, 16);
  const ns = namespaces();
  const base = { adapter, module: options.module, now, sha256: options.sha256, sdkVersion: options.sdkVersion, timeoutMs: Math.min(timeoutMs, 60_000) };
  try {
    const tests = await adapterContractTests(base, ns);
    if (adapter.consumptionStore !== undefined) {
      const bench = {
        adapter,
        module: options.module,
        moduleUrl: url,
        next: ns.next,
        records: await contractRecords(now),
        context: { now, sha256: options.sha256 },
        timeoutMs,
      };
      tests.push(...(await raceCases(bench, { size, consumers, processes })));
      if (processes > 1 && trials > 0) tests.push(...(await crashCases(bench, { trials, seed, maxKillMs: 6 })));
    }
    return adapterReport(tests, { ...base, date });
  } finally {
    await releaseAdapter(adapter, ns.used);
  }
}

import { readClock, resolveClock, type Clock, type Sha256 } from '@s3404/core';
import type { ConsumptionStore } from '@s3404/seal';
import { detectRuntime } from '../internal/digest.js';
import { tally } from '../internal/tally.js';
import type { ConformanceReport, ConformanceTest } from '../report.js';
import { SPEC_REQUIREMENTS } from '../requirements.js';
import { callFactory, type AdapterContext, type ConformanceAdapter } from './adapter.js';
import type { ContractContext } from './contract-case.js';
import { runConsumptionStoreContract } from './consumption-store.js';
import { wiredSuites } from './wired-suites.js';

/**
 * Options of {@link runAdapterContracts}.
 *
 * `import type { RunAdapterContractsOptions } from '@s3404/conformance/contracts'`
 *
 * @public
 */
export interface RunAdapterContractsOptions {
  /** The adapter under test ({@link defineAdapter}). */
  readonly adapter: ConformanceAdapter;
  /** Where it came from, for the errors and the report (a path, a package name). Default: its name. */
  readonly module?: string | undefined;
  /** The clock of the records and of the report. Default: the system clock. */
  readonly now?: Clock | undefined;
  readonly sha256?: Sha256 | undefined;
  /** The SDK version named in the report. */
  readonly sdkVersion?: string | undefined;
  /** The runtime named in the report. Default: detected. */
  readonly runtime?: string | undefined;
  /** Longest time one case may take, milliseconds. Default 60 000. */
  readonly timeoutMs?: number | undefined;
}

/** Namespaces of one run: `s3404c_<8 hex>_<n>`, fresh per case. */
export function namespaces(): { readonly next: () => AdapterContext; readonly used: readonly AdapterContext[] } {
  const run = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
  const used: AdapterContext[] = [];
  return {
    used,
    next: () => {
      const context = { namespace: `s3404c_${run}_${used.length}` };
      used.push(context);
      return context;
    },
  };
}

/**
 * Runs, in this process, the contract suites of every implementation the
 * adapter provides (X-3; SIG-5, SIG-6, SIG-10 for a `ConsumptionStore`),
 * each case on a fresh namespace, then the adapter's `cleanup` and `close`.
 * Returns the tests as lines of a report.
 */
export async function adapterContractTests(options: RunAdapterContractsOptions, ns = namespaces()): Promise<ConformanceTest[]> {
  const { adapter } = options;
  const module = options.module ?? adapter.name;
  const context: ContractContext & { readonly timeoutMs?: number | undefined } = {
    now: resolveClock(options.now, 'runAdapterContracts'),
    sha256: options.sha256,
    timeoutMs: options.timeoutMs,
  };
  const tests: ConformanceTest[] = [];
  if (adapter.consumptionStore !== undefined) {
    // One store first, outside the cases: a factory that cannot open anything is the adapter's error, not a verdict.
    await (await callFactory<ConsumptionStore>(adapter, 'consumptionStore', ns.next(), module)).close();
    tests.push(...(await runConsumptionStoreContract(() => callFactory<ConsumptionStore>(adapter, 'consumptionStore', ns.next(), module), context)));
  }
  for (const suite of wiredSuites) {
    if (adapter[suite.factory] === undefined) continue;
    const shared = ns.next();
    tests.push(...(await suite.run(() => callFactory(adapter, suite.factory, shared, module), context, adapter)));
  }
  return tests;
}

/** Releases what the run opened: each namespace's data, then the module's resources; failures ignored. */
export async function releaseAdapter(adapter: ConformanceAdapter, used: readonly AdapterContext[]): Promise<void> {
  for (const c of used) await adapter.cleanup?.(c).catch(() => undefined);
  await adapter.close?.().catch(() => undefined);
}

/** The report of an adapter run: the verdict of every requirement its tests cover. */
export function adapterReport(
  tests: readonly ConformanceTest[],
  options: { readonly date: string } & Omit<RunAdapterContractsOptions, 'adapter'>,
): ConformanceReport {
  const covered = new Set(tests.flatMap((t) => t.requirements));
  const scope = SPEC_REQUIREMENTS.filter((id) => covered.has(id));
  const requirements = tally(scope, tests);
  return {
    ok: tests.length > 0 && Object.values(requirements).every((r) => r.verdict === 'passed'),
    ...(options.sdkVersion === undefined ? {} : { sdkVersion: options.sdkVersion }),
    runtime: options.runtime ?? detectRuntime(),
    date: options.date,
    ...(options.module === undefined ? {} : { filter: `adapter:${options.module}` }),
    requirements,
    tests,
  };
}

/**
 * Runs the contract suites against a vendor's implementations of the SDK's
 * interfaces, in this process (X-3; SIG-5, SIG-6, SIG-10): every case through
 * the real seal API, including an in-process race on one store. Any runtime.
 * For the race over several processes and the crash trials, use
 * `runAdapterConformance` of `@s3404/conformance/node` (what
 * `s3404 conformance --adapter` runs).
 *
 * `import { runAdapterContracts } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const report = await runAdapterContracts({ adapter: defineAdapter({ name: 'memory', consumptionStore: () => new MemoryConsumptionStore() }) })
 * report.requirements['SIG-5']?.verdict // 'passed'
 * ```
 * @throws {@link ConformanceError} `ERR_ADAPTER_INVALID` (no factory, a store without its methods), `ERR_ADAPTER_FACTORY` (a factory that throws).
 * @public
 */
export async function runAdapterContracts(options: RunAdapterContractsOptions): Promise<ConformanceReport> {
  if (options === null || typeof options !== 'object' || options.adapter === null || typeof options.adapter !== 'object')
    throw new TypeError('runAdapterContracts: options.adapter is required');
  const date = readClock(resolveClock(options.now, 'runAdapterContracts'), 'runAdapterContracts').toISOString();
  const ns = namespaces();
  try {
    return adapterReport(await adapterContractTests(options, ns), { ...options, module: options.module ?? options.adapter.name, date });
  } finally {
    await releaseAdapter(options.adapter, ns.used);
  }
}

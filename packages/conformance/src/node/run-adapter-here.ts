import { nodeSha256 } from '@s3404/core/node';
import { contractRecords } from '../contracts/contract-records.js';
import { adapterContractTests, adapterReport, namespaces, releaseAdapter } from '../contracts/run-adapter.js';
import type { ConformanceReport } from '../report.js';
import type { AdapterRunJob, AdapterRunPhase } from './adapter-run-protocol.js';
import { crashCases } from './crash-trials.js';
import { raceCases } from './race-over-processes.js';
import { loadAdapterModule } from './load-adapter-module.js';

/**
 * Runs the contract suites, the race and the crash trials on an adapter
 * module in this process (X-3, SIG-5): the body of the supervised process of
 * `runAdapterConformance`, never called in the caller's own process.
 */
export async function runAdapterHere(
  job: AdapterRunJob,
  events: { readonly loaded: () => void; readonly phase: (phase: AdapterRunPhase) => void },
): Promise<ConformanceReport> {
  const instant = new Date(job.now);
  const now = (): Date => instant;
  const { adapter, url } = await loadAdapterModule(job.module, job.cwd);
  events.loaded();
  const processes = Math.min(job.processes ?? adapter.processes ?? 1, adapter.processes ?? 1, 16);
  const ns = namespaces();
  const base = { adapter, module: job.module, now, sha256: nodeSha256, sdkVersion: job.sdkVersion, timeoutMs: Math.min(job.timeoutMs, 60_000) };
  try {
    events.phase('contracts');
    const tests = await adapterContractTests(base, ns);
    if (adapter.consumptionStore !== undefined) {
      const bench = {
        adapter,
        module: job.module,
        moduleUrl: url,
        next: ns.next,
        records: await contractRecords(now),
        context: { now, sha256: nodeSha256 },
        timeoutMs: job.timeoutMs,
      };
      events.phase('race');
      tests.push(...(await raceCases(bench, { size: job.size, consumers: job.consumers, processes })));
      if (processes > 1 && job.trials > 0) {
        events.phase('crash');
        tests.push(...(await crashCases(bench, { trials: job.trials, seed: job.seed, maxKillMs: 6 })));
      }
    }
    return adapterReport(tests, { ...base, date: job.now });
  } finally {
    await releaseAdapter(adapter, ns.used);
  }
}

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { readClock, resolveClock, type Clock, type LocalizedText, type Sha256 } from '@s3404/core';
import { ConformanceError } from '../errors/conformance-error.js';
import { CONFORMANCE_ERRORS, type ConformanceErrorCode } from '../errors/conformance-errors.js';
import type { ConformanceReport } from '../report.js';
import type { AdapterRunJob, AdapterRunMessage, AdapterRunPhase } from './adapter-run-protocol.js';
import { workerCommand } from './spawn-worker.js';

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
  /**
   * Longest life of one worker process of the race, milliseconds; also the
   * longest silence of the module's own process (a module that blocks it is
   * stopped), and of one contract case (up to 60 000). Default 120 000.
   */
  readonly timeoutMs?: number | undefined;
  /** Longest time the module may take to load in its process, milliseconds. Default 60 000; 1 000 to 600 000. */
  readonly loadTimeoutMs?: number | undefined;
  /** The clock of the records and of the report. Default: the system clock. */
  readonly now?: Clock | undefined;
  /**
   * @deprecated Not used: the module's process hashes with Node's SHA-256
   * (a function cannot cross to another process).
   */
  readonly sha256?: Sha256 | undefined;
  readonly sdkVersion?: string | undefined;
}

function integer(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new TypeError(`runAdapterConformance: ${name} must be an integer from ${min} to ${max}`);
  return v;
}

/** What the module was doing when its deadline passed, for the message. */
const WHAT: Record<AdapterRunPhase | 'load', LocalizedText> = {
  load: { fr: 'n’a pas fini de se charger', en: 'did not finish loading' },
  contracts: { fr: 'n’a plus donné signe de vie pendant les cas du contrat', en: 'gave no sign of life during the contract cases' },
  race: { fr: 'n’a plus donné signe de vie pendant la course', en: 'gave no sign of life during the race' },
  crash: { fr: 'n’a plus donné signe de vie pendant les essais de panne', en: 'gave no sign of life during the crash trials' },
};

/** The last bytes of what the module's process printed, on one line. */
function tail(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t === '' ? '—' : t.length > 400 ? `…${t.slice(-400)}` : t;
}

/** Rebuilds the coded error the module's process sent; an uncoded one is a module that is not an adapter. */
function errorOf(message: Extract<AdapterRunMessage, { t: 'error' }>, module: string): ConformanceError {
  const code = message.code as ConformanceErrorCode | undefined;
  if (code !== undefined && (CONFORMANCE_ERRORS.codes as readonly string[]).includes(code)) return new ConformanceError(code, { params: message.params ?? {} });
  return new ConformanceError('ERR_ADAPTER_INVALID', { params: { module, detail: message.message.slice(0, 300) } });
}

/**
 * Runs the job in a process of its own and waits for its report: the
 * module must load within `loadTimeoutMs` and then give a sign of life at
 * least every `timeoutMs`, else its process is killed; a process that ends
 * without a report — `process.exit(0)` included — is an error, never a pass.
 */
function supervise(job: AdapterRunJob, loadTimeoutMs: number): Promise<ConformanceReport> {
  const { args, cwd } = workerCommand('adapter-run-worker');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], ...(cwd === undefined ? {} : { cwd }) });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise<ConformanceReport>((resolvePromise, reject) => {
    let phase: AdapterRunPhase | 'load' = 'load';
    let outcome: { report: ConformanceReport } | { error: ConformanceError } | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      const ms = phase === 'load' ? loadTimeoutMs : job.timeoutMs;
      timer = setTimeout(() => {
        const seconds = (ms / 1000).toString();
        outcome ??= {
          error: new ConformanceError('ERR_ADAPTER_TIMEOUT', {
            params: { module: job.module, what: WHAT[phase], seconds: { fr: seconds.replace('.', ','), en: seconds } },
          }),
        };
        child.kill('SIGKILL');
      }, ms);
    };
    arm();
    child.on('message', (m: AdapterRunMessage) => {
      if (m === null || typeof m !== 'object' || m.nonce !== job.nonce || outcome !== undefined) return;
      if (m.t === 'loaded') phase = 'contracts';
      else if (m.t === 'phase') phase = m.phase;
      else if (m.t === 'report') outcome = { report: m.report };
      else if (m.t === 'error') outcome = { error: errorOf(m, job.module) };
      arm();
    });
    child.on('error', (e) => {
      outcome ??= { error: new ConformanceError('ERR_ADAPTER_EXITED', { params: { module: job.module, how: String(e), output: tail(output) }, cause: e }) };
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (outcome === undefined) {
        const how = signal === null ? `code ${code}` : `signal ${signal}`;
        reject(new ConformanceError('ERR_ADAPTER_EXITED', { params: { module: job.module, how, output: tail(output) } }));
      } else if ('report' in outcome) resolvePromise(outcome.report);
      else reject(outcome.error);
    });
    child.send(job);
  });
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
 * The module never runs in the caller's process: it is loaded and run in a
 * supervised Node process of its own, which must load within
 * `loadTimeoutMs`, then give a sign of life at least every `timeoutMs`, and
 * end with a report. A module that blocks its process, or ends it (even with
 * status 0), gives a coded error, never a report.
 *
 * `import { runAdapterConformance } from '@s3404/conformance/node'`
 *
 * @example
 * ```ts
 * const report = await runAdapterConformance({ module: './conformance-adapter.mjs', race: 200 })
 * report.requirements['SIG-5']?.verdict // 'passed' — or 'failed' with the records that had two winners
 * ```
 * @throws {@link ConformanceError} `ERR_ADAPTER_INVALID` (no module, no adapter, a store without its methods),
 * `ERR_ADAPTER_FACTORY` (a factory that throws), `ERR_ADAPTER_EXITED` (its process ended without a report),
 * `ERR_ADAPTER_TIMEOUT` (it did not load, or stopped answering, in time). TypeError for sizes out of range.
 * @public
 */
export async function runAdapterConformance(options: RunAdapterConformanceOptions): Promise<ConformanceReport> {
  if (options === null || typeof options !== 'object') throw new TypeError('runAdapterConformance: options.module is required');
  const size = integer(options.race, 100, 1, 10_000, 'race');
  const consumers = integer(options.consumers, 32, 2, 256, 'consumers');
  const trials = integer(options.crashTrials, 3, 0, 100, 'crashTrials');
  const seed = integer(options.seed, 3404, 0, 2 ** 31, 'seed');
  const timeoutMs = integer(options.timeoutMs, 120_000, 1000, 3_600_000, 'timeoutMs');
  const loadTimeoutMs = integer(options.loadTimeoutMs, 60_000, 1000, 600_000, 'loadTimeoutMs');
  if (options.processes !== undefined) integer(options.processes, 1, 1, 16, 'processes');
  if (typeof options.module !== 'string' || options.module.length === 0 || options.module.length > 4096)
    throw new ConformanceError('ERR_ADAPTER_INVALID', {
      params: { module: String(options.module).slice(0, 100), detail: { fr: 'nom de module vide', en: 'empty module name' } },
    });
  const now = resolveClock(options.now, 'runAdapterConformance');
  const job: AdapterRunJob = {
    nonce: Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''),
    module: options.module,
    cwd: resolve(options.cwd ?? process.cwd()),
    size,
    consumers,
    processes: options.processes,
    trials,
    seed,
    timeoutMs,
    now: readClock(now, 'runAdapterConformance').toISOString(),
    sdkVersion: options.sdkVersion,
  };
  return supervise(job, loadTimeoutMs);
}

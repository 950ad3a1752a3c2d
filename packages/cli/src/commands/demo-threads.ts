import type { Worker } from 'node:worker_threads';
import {
  defineErrors,
  isS3404Error,
  S3404Error,
  type ErrorKind,
  type Issue,
  type Locale,
  type MessageParams,
  type TraceEvent,
  type TraceSink,
} from '@s3404/core';
import { startModuleWorker } from '@s3404/core/node';
import { CliError } from '../errors.js';
import type { DevelopmentPki } from '@s3404/seal/pki';
import type { DemoLanes, DemoSealJob, DemoSignJob } from './demo-lanes.js';
import type { DemoPolicy } from './demo-signing.js';

/** What a signing thread of the demo starts from: plain data, copied to it once. */
export interface DemoThreadSetup {
  /** The demo's shared clock (see `demoClock`). */
  readonly clock: SharedArrayBuffer;
  /** Milliseconds between two signatures. */
  readonly step: number;
  readonly pki: DevelopmentPki;
  readonly policy: DemoPolicy;
  /** The single-use store's SQLite file: each thread opens its own connection to it. */
  readonly consumptionPath: string;
  readonly synchronous: 'full' | 'normal';
  readonly locale: Locale;
  /**
   * The thread's heap (V8 old generation), MB: a thread past it ends with
   * `ERR_DEMO_THREAD_ENDED` instead of growing the process. Default 1024.
   */
  readonly heapMb?: number;
}

/** A coded error that crossed from a thread: its code, kind, parameters, issues and both messages. */
export interface RelayedError {
  readonly code: string | undefined;
  readonly kind: ErrorKind | undefined;
  readonly fr: string;
  readonly en: string;
  readonly params: MessageParams;
  readonly issues: readonly Issue[];
}

/** Messages between the demo and a signing thread. */
export type ToDemoThread =
  | { readonly type: 'sign'; readonly id: number; readonly job: DemoSignJob }
  | { readonly type: 'seal'; readonly id: number; readonly job: DemoSealJob }
  | { readonly type: 'ack'; readonly id: number; readonly error?: RelayedError }
  | { readonly type: 'close' };
export type FromDemoThread =
  | { readonly type: 'trace'; readonly id: number; readonly event: TraceEvent }
  | { readonly type: 'done'; readonly id: number; readonly value?: unknown; readonly error?: RelayedError }
  | { readonly type: 'closed' };

/** `e` as data that can cross to another thread. */
export function relayError(e: unknown): RelayedError {
  if (isS3404Error(e)) return { code: e.code, kind: e.kind, fr: e.messageIn('fr'), en: e.messageIn('en'), params: { ...e.params }, issues: [...e.issues] };
  const message = e instanceof Error ? e.message : String(e);
  return { code: undefined, kind: undefined, fr: message, en: message, params: {}, issues: [] };
}

/** The error a thread relayed, as it was: a coded error keeps its code, kind, messages and issues. */
export function reviveError(r: RelayedError, locale: Locale): Error {
  if (r.code === undefined || r.kind === undefined) return new Error(r.fr);
  const catalog = defineErrors({ [r.code]: { kind: r.kind, fr: r.fr, en: r.en } });
  return new S3404Error(catalog, r.code, { params: r.params, issues: r.issues, locale });
}

/**
 * The demo's lanes on `threads` worker threads (issue 19): each thread opens
 * its own connection to the single-use store and its own sealers, and sends
 * every trace event here, where `trace` appends it to the one hash-chained
 * log before the thread goes on. A job goes to the thread with the fewest in
 * flight. A thread that dies fails its jobs with `ERR_DEMO_THREAD_ENDED`
 * (exit 70); `close` ends every thread.
 */
export function threadLanes(o: { threads: number; setup: DemoThreadSetup; trace: TraceSink }): DemoLanes {
  const threads = Array.from({ length: o.threads }, () => new DemoThread(o.setup, o.trace));
  const pick = (): DemoThread => threads.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
  return {
    sign: (job) => pick().call({ type: 'sign', job }) as never,
    seal: (job) => pick().call({ type: 'seal', job }) as never,
    async close() {
      await Promise.all(threads.map((t) => t.close()));
    },
  };
}

/** A signing thread's heap by default, MB: several times what one uses at 10,000 bordereaux. */
const DEFAULT_THREAD_HEAP_MB = 1024;

class DemoThread {
  readonly #worker: Worker;
  readonly #locale: Locale;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  #next = 1;
  #ended: CliError | undefined;
  #closed: (() => void) | undefined;
  inFlight = 0;

  constructor(setup: DemoThreadSetup, trace: TraceSink) {
    this.#locale = setup.locale;
    this.#worker = startModuleWorker(import.meta.url, 'demo-worker', {
      workerData: setup,
      resourceLimits: { maxOldGenerationSizeMb: setup.heapMb ?? DEFAULT_THREAD_HEAP_MB },
    });
    this.#worker.on('message', (m: FromDemoThread) => {
      if (m.type === 'trace') {
        Promise.resolve()
          .then(() => trace.record(m.event))
          .then(
            () => this.#post({ type: 'ack', id: m.id }),
            (e: unknown) => this.#post({ type: 'ack', id: m.id, error: relayError(e) }),
          );
      } else if (m.type === 'done') {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        this.inFlight--;
        if (m.error === undefined) p?.resolve(m.value);
        else p?.reject(reviveError(m.error, this.#locale));
      } else this.#closed?.();
    });
    // A thread that dies (out of memory, an uncaught error, an exit) fails its jobs with a coded error, the cause kept.
    const ended = (detail: string, cause?: unknown): CliError =>
      new CliError('ERR_DEMO_THREAD_ENDED', { params: { detail: detail.slice(0, 200) }, locale: this.#locale, ...(cause === undefined ? {} : { cause }) });
    this.#worker.on('error', (e: Error & { code?: unknown }) => this.#end(ended(typeof e.code === 'string' ? e.code : e.message, e)));
    this.#worker.on('exit', (code) => this.#end(ended(`exit ${code}`)));
  }

  call(m: { type: 'sign'; job: DemoSignJob } | { type: 'seal'; job: DemoSealJob }): Promise<unknown> {
    if (this.#ended !== undefined) return Promise.reject(this.#ended);
    const id = this.#next++;
    this.inFlight++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#post({ ...m, id } as ToDemoThread);
    });
  }

  /** Asks the thread to close its store and waits for it (10 s at most), then ends it. */
  async close(): Promise<void> {
    if (this.#ended === undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        this.#closed = () => {
          clearTimeout(timer);
          resolve();
        };
        this.#post({ type: 'close' });
      });
    }
    this.#ended ??= new CliError('ERR_DEMO_THREAD_ENDED', { params: { detail: 'close' }, locale: this.#locale });
    await this.#worker.terminate();
  }

  #post(m: ToDemoThread): void {
    if (this.#ended === undefined) this.#worker.postMessage(m);
  }

  #end(e: CliError): void {
    this.#ended ??= e;
    this.#closed?.();
    for (const p of this.#pending.values()) p.reject(this.#ended);
    this.#pending.clear();
  }
}

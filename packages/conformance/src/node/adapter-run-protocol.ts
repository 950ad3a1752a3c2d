/**
 * What the supervisor and the process that runs a vendor's adapter module say
 * to each other over Node's IPC channel. Every message carries the
 * run's nonce: what the module itself might send is ignored.
 */
import type { ConformanceReport } from '../report.js';
import type { LocalizedText } from '@s3404/core';

/** The run, as sent to the adapter's process: only data, no function. */
export interface AdapterRunJob {
  readonly nonce: string;
  readonly module: string;
  readonly cwd: string;
  readonly size: number;
  readonly consumers: number;
  readonly processes: number | undefined;
  readonly trials: number;
  readonly seed: number;
  readonly timeoutMs: number;
  /** The instant of the whole run (the parent's clock, read once). */
  readonly now: string;
  readonly sdkVersion: string | undefined;
}

/** Where the run is, for a deadline's message. */
export type AdapterRunPhase = 'contracts' | 'race' | 'crash';

/** A message of the adapter's process. */
export type AdapterRunMessage =
  | { readonly nonce: string; readonly t: 'loaded' }
  | { readonly nonce: string; readonly t: 'alive' }
  | { readonly nonce: string; readonly t: 'phase'; readonly phase: AdapterRunPhase }
  | { readonly nonce: string; readonly t: 'report'; readonly report: ConformanceReport }
  | {
      readonly nonce: string;
      readonly t: 'error';
      readonly code: string | undefined;
      readonly params: Readonly<Record<string, string | number | LocalizedText | undefined>> | undefined;
      readonly message: string;
    };

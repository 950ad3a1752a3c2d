import { isS3404Error } from '@s3404/core';
import type { Consumer } from '@s3404/seal';

/** One record of a race or crash job: the handle its deposit returned and the target it is consumed for. */
export interface JobRecord {
  readonly handle: string;
  readonly target: { readonly bordereauId: string; readonly contentHash: string };
}

/** What the parent sends a worker on its stdin (one JSON document). */
export interface WorkerJob {
  readonly mode: 'race' | 'crash';
  /** The adapter module, as a `file:` URL or a package name. */
  readonly module: string;
  readonly namespace: string;
  /** The trust anchor, base64 DER. */
  readonly ca: string;
  /** The consumers' clock, ISO 8601 (fixed). */
  readonly now: string;
  readonly records: readonly JobRecord[];
  readonly consumers: number;
  /** Prefix of the request ids of this worker. */
  readonly tag: string;
  /** Crash mode: longest pause inside `apply`, milliseconds. */
  readonly applyPauseMs?: number;
}

/** A line a worker writes on its stdout (JSON Lines; written synchronously on a pipe). */
export type WorkerLine =
  | { readonly t: 'ready' }
  | { readonly t: 'win'; readonly i: number; readonly requestId: string }
  /** Crash mode: record `i` is claimed and being applied (not completed yet). */
  | { readonly t: 'apply'; readonly i: number }
  | { readonly t: 'done'; readonly codes: Readonly<Record<string, number>> }
  | { readonly t: 'fatal'; readonly code?: string; readonly message: string };

/** The consume options of the contract consumers: TTL and grace of the suite. */
export const RACE_TTL_SECONDS = 600;
export const RACE_GRACE_SECONDS = 60;

/**
 * Runs `consumers` concurrent consumers over every record (SIG-5): half walk
 * the records in order, half in reverse, so that every record is contended.
 * Reports each win as it happens; returns the refusal codes.
 */
export async function raceConsumers(options: {
  readonly consumer: Consumer;
  readonly records: readonly JobRecord[];
  readonly consumers: number;
  readonly tag: string;
  readonly onWin: (i: number, requestId: string) => void;
  readonly apply?: (i: number) => Promise<void>;
}): Promise<Record<string, number>> {
  const codes: Record<string, number> = {};
  const n = options.records.length;
  const apply = options.apply;
  await Promise.all(
    Array.from({ length: options.consumers }, async (_, k) => {
      for (let j = 0; j < n; j++) {
        const i = k % 2 === 0 ? j : n - 1 - j;
        const record = options.records[i]!;
        const requestId = `${options.tag}-c${k}-r${i}`;
        try {
          const out = await options.consumer.consume(
            { handle: record.handle },
            { target: record.target, requestId, ...(apply === undefined ? {} : { apply: () => apply(i) }) },
          );
          if (out.status === 'consumed') options.onWin(i, requestId);
        } catch (e) {
          const code = isS3404Error(e) ? e.code : `uncoded ${e instanceof Error ? e.name : typeof e}`;
          codes[code] = (codes[code] ?? 0) + 1;
        }
      }
    }),
  );
  return codes;
}

import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';

/**
 * How the demo runs its day (issue 19). `fast` (default): several bordereaux
 * in flight at once, so their trace appends share one group commit (one
 * `fdatasync` for many events) and the single-use store's commits share one
 * WAL sync per bordereau (see {@link sqliteDurabilityBarrier}). `naive`: the
 * SDK used one call at a time — one bordereau after the other, every
 * consumption commit synced (`synchronous=FULL`), one trace fsync per event —
 * kept to measure the fast path against (`S3404_DEMO_STRATEGY=naive`).
 */
export type DemoStrategy = 'fast' | 'naive';

export interface DemoTuning {
  readonly strategy: DemoStrategy;
  /** Bordereaux in flight at once. */
  readonly concurrency: number;
  /** The single-use store's `synchronous`: `normal` with a barrier per bordereau, or `full` on every commit. */
  readonly synchronous: 'full' | 'normal';
  /** Worker threads that sign and seal the bordereaux (0: this thread); undefined: chosen from the day's size. */
  readonly threads: number | undefined;
}

/** The strategy from `S3404_DEMO_STRATEGY` (`fast` or `naive`; anything else: fast) and `S3404_DEMO_CONCURRENCY`. */
export function demoTuning(env: Readonly<Record<string, string | undefined>>): DemoTuning {
  if (env['S3404_DEMO_STRATEGY'] === 'naive') return { strategy: 'naive', concurrency: 1, synchronous: 'full', threads: 0 };
  const asked = Number(env['S3404_DEMO_CONCURRENCY']);
  const concurrency = Number.isInteger(asked) && asked >= 1 && asked <= 64 ? asked : 8;
  const raw = env['S3404_DEMO_THREADS'];
  const threads = raw === undefined || raw === '' ? undefined : Number(raw);
  return { strategy: 'fast', concurrency, synchronous: 'normal', threads: Number.isInteger(threads) && threads! >= 0 && threads! <= 16 ? threads : undefined };
}

/** Days smaller than this are signed on the demo's own thread: starting threads would cost more than it saves. */
const THREADED_FROM = 32;

/**
 * How many worker threads sign a day of `count` bordereaux: the number asked
 * (`S3404_DEMO_THREADS`, 0 to 16), else none for a small day or on a machine
 * of 2 cores or fewer, and one per core but one (at most 4) for a large day
 * — the demo's own thread keeps a core for the trace, the accounting day and
 * the lots. (Measured on 2 cores, threads cost a third more CPU in all than
 * one thread: docs/benchmarks.md.)
 */
export function demoThreadCount(tuning: DemoTuning, count: number, cores = availableParallelism()): number {
  if (tuning.threads !== undefined) return Math.min(tuning.threads, count);
  return count < THREADED_FROM || cores <= 2 ? 0 : Math.min(4, cores - 1);
}

/**
 * Runs `work` over `items` with at most `concurrency` calls in flight and
 * returns the results in the items' order; the first failure is thrown once
 * the calls in flight have settled (none is left running behind).
 */
export async function inOrder<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
  done?: (index: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { e: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await work(items[i]!, i);
        done?.(i);
      } catch (e) {
        failure ??= { e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failure !== undefined) throw failure.e;
  return results;
}

/** Wall time per stage of the demo, in milliseconds, for `summary.json`'s `timings`. */
export class StageTimes {
  readonly #ms: Record<string, number> = {};

  async time<R>(stage: string, work: () => Promise<R>): Promise<R> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.#ms[stage] = Math.round((this.#ms[stage] ?? 0) + performance.now() - t0);
    }
  }

  /** Adds `ms` to a stage measured by hand. */
  add(stage: string, ms: number): void {
    this.#ms[stage] = Math.round((this.#ms[stage] ?? 0) + ms);
  }

  toJSON(): Record<string, number> {
    return { ...this.#ms };
  }
}

/**
 * A durability barrier on a SQLite store opened with `synchronous: 'normal'`
 * (WAL journal): its commits are atomic and survive a killed process at once,
 * and `sync()` — a passive WAL checkpoint from a second connection, which
 * syncs the WAL before copying it — puts every commit made so far on disk,
 * one `fsync` for a whole bordereau's consumptions instead of one per commit.
 */
export function sqliteDurabilityBarrier(path: string): { sync(): void; close(): void } {
  const db = new Database(path, { timeout: 10_000 });
  db.pragma('synchronous = NORMAL');
  return {
    sync() {
      db.pragma('wal_checkpoint(PASSIVE)');
    },
    close() {
      db.close();
    },
  };
}

import { availableParallelism } from 'node:os';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { openSqliteDriver, type SqliteDriverDatabase } from '@s3404/core/stores';

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

/**
 * Bordereaux in flight by default on the fast path: each waits on its trace commits and its store's barrier
 * in turn, so more in flight share more of each `fdatasync` (issue 19, measured at 200 bordereaux on 2 cores:
 * the signing stage took 16.1 s with 8, 10.9 s with 16, 8.8 s with 32).
 */
const DEFAULT_CONCURRENCY = 32;

/** The strategy from `S3404_DEMO_STRATEGY` (`fast` or `naive`; anything else: fast) and `S3404_DEMO_CONCURRENCY` (1 to 64). */
export function demoTuning(env: Readonly<Record<string, string | undefined>>): DemoTuning {
  if (env['S3404_DEMO_STRATEGY'] === 'naive') return { strategy: 'naive', concurrency: 1, synchronous: 'full', threads: 0 };
  const asked = Number(env['S3404_DEMO_CONCURRENCY']);
  const concurrency = Number.isInteger(asked) && asked >= 1 && asked <= 64 ? asked : DEFAULT_CONCURRENCY;
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
 * (WAL journal): its commits are atomic and survive a killed process at once
 * (they are in the WAL, written), and `sync()` puts every commit made before
 * it on disk — an `fdatasync` of the WAL file, on the thread pool, shared by
 * every caller waiting at the time (group commit): one sync for several
 * bordereaux' consumptions instead of one per commit, and none blocking the
 * event loop. Before the WAL file exists (nothing committed yet), or on a
 * file system that refuses it, a passive checkpoint from a second connection
 * (which syncs the WAL before copying it) does the same, synchronously.
 */
export function sqliteDurabilityBarrier(path: string): { sync(): Promise<void>; close(): Promise<void> } {
  let db: SqliteDriverDatabase | undefined;
  let wal: FileHandle | undefined;
  const checkpoint = async (): Promise<void> => {
    // The stores' driver: better-sqlite3, or node:sqlite where it cannot load (Node 22.5+).
    db ??= await openSqliteDriver(path, { timeout: 10_000, betterSqlite3: () => import('better-sqlite3') });
    db.pragma('wal_checkpoint(PASSIVE)');
  };
  const once = async (): Promise<void> => {
    try {
      // The WAL file as it is now: one SQLite replaced (after every connection closed) is opened again.
      const [held, current] = await Promise.all([wal?.stat(), stat(`${path}-wal`)]);
      if (held === undefined || held.ino !== current.ino || held.dev !== current.dev) {
        await wal?.close();
        wal = await open(`${path}-wal`, 'r');
      }
      await wal!.datasync();
    } catch {
      await checkpoint();
    }
  };
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const sync = (): Promise<void> => {
    if (running === undefined) {
      running = once().finally(() => {
        running = undefined;
      });
      return running;
    }
    // A sync already started may have begun before this caller's commits: wait for the next one, shared.
    queued ??= running.then(() => {
      queued = undefined;
      return sync();
    });
    return queued;
  };
  return {
    sync,
    async close() {
      await (queued ?? running);
      await wal?.close();
      db?.close();
    },
  };
}

/**
 * The demo's clock (issue 19): one instant shared by the demo and its
 * signing threads, in a `SharedArrayBuffer`, moved forward atomically. The
 * day's signatures follow one another on it whichever thread makes them, as
 * they did on one thread, so the trace's times never go back by more than
 * the few signatures in flight.
 */
export interface DemoClock {
  /** The memory the instant lives in: give it to a thread to share the clock. */
  readonly buffer: SharedArrayBuffer;
  now(): Date;
  /** Moves the clock `ms` milliseconds forward (for every thread). */
  tick(ms: number): void;
}

/** A clock at `startMs`, or the clock already in `buffer`. */
export function demoClock(o: { startMs: number } | { buffer: SharedArrayBuffer }): DemoClock {
  const buffer = 'buffer' in o ? o.buffer : new SharedArrayBuffer(8);
  const cell = new BigInt64Array(buffer, 0, 1);
  if ('startMs' in o) Atomics.store(cell, 0, BigInt(o.startMs));
  return {
    buffer,
    now: () => new Date(Number(Atomics.load(cell, 0))),
    tick(ms) {
      Atomics.add(cell, 0, BigInt(ms));
    },
  };
}

import type { OtelMeter, OtelObservableResult } from './otel-shapes.js';
import { quietly } from './measure.js';
import { OTEL_ATTRIBUTES, OTEL_METRICS, token } from './otel-names.js';

/** Options of {@link observeLotStates} (SCOR-3, X-1). @public */
export interface ObserveLotStatesOptions {
  /** The vendor's OpenTelemetry `Meter`. */
  readonly meter: OtelMeter;
  /**
   * How many lots are in each state now: `() => store.countByState()` of a
   * lot store of `@s3404/scor` (memory, SQLite, PostgreSQL), or the
   * vendor's own count. Called once per metric collection.
   */
  readonly read: () => Promise<Readonly<Record<string, number | undefined>>>;
}

/**
 * The gauge `s3404.lots` of the SCOR lots per `s3404.lot.state` (SCOR-3,
 * X-1), read from the lot store at each collection of the meter's reader:
 * the real number of lots in each state, whichever process moved them and
 * since whenever — where the trace sink's `s3404.lot.state` only counts the
 * changes this process saw. A state with no lot reports 0 once it has been
 * seen. A `read` that fails or is slow reports nothing for that collection
 * (telemetry never breaks the SDK); state names that are not tokens become
 * `other`. Returns what stops the observation.
 *
 * `import { observeLotStates } from '@s3404/core/otel'`
 *
 * @example
 * ```ts
 * const stop = observeLotStates({ meter: metrics.getMeter('s3404'), read: () => lotStore.countByState() })
 * ```
 * @throws {TypeError} when the meter has no observable gauge or `read` is not a function.
 * @public
 */
export function observeLotStates(options: ObserveLotStatesOptions): () => void {
  if (options === null || typeof options !== 'object' || typeof options.meter?.createObservableGauge !== 'function')
    throw new TypeError('observeLotStates: meter must be an OpenTelemetry Meter (with createObservableGauge)');
  if (typeof options.read !== 'function') throw new TypeError('observeLotStates: read must be a function giving the count of lots per state');
  const meter = options.meter;
  const gauge = quietly(() =>
    meter.createObservableGauge?.(OTEL_METRICS.lots, { unit: '{lot}', description: 'SCOR lots per state, as the lot store counts them' }),
  );
  const seen = new Set<string>();
  const callback = async (result: OtelObservableResult): Promise<void> => {
    let counts: Readonly<Record<string, number | undefined>>;
    try {
      counts = await options.read();
    } catch {
      return;
    }
    if (counts === null || typeof counts !== 'object') return;
    const now = new Map<string, number>();
    for (const [state, n] of Object.entries(counts)) {
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) continue;
      const t = token(state, 'word');
      now.set(t, (now.get(t) ?? 0) + n);
    }
    for (const t of now.keys()) if (seen.size < 64) seen.add(t);
    for (const t of seen) quietly(() => result.observe(now.get(t) ?? 0, { [OTEL_ATTRIBUTES.lotState]: t }));
  };
  // A meter that fails to create or feed the gauge leaves it out: telemetry never breaks the SDK.
  if (gauge === undefined || gauge === null) return () => undefined;
  quietly(() => gauge.addCallback(callback));
  return () => quietly(() => gauge.removeCallback(callback));
}

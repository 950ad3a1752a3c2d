import { checkOtel, passThrough, type OtelOptions } from './instrument-operations.js';
import { defaultTimer, measured, quietly } from './measure.js';
import { boundedVocabulary, DURATION_BUCKETS, OTEL_ATTRIBUTES, OTEL_METRICS, VOCABULARY_LIMIT } from './otel-names.js';

/** Options of {@link instrumentAuditStore} (AUD-2, X-1). @public */
export type InstrumentAuditStoreOptions = OtelOptions;

/** How many events one append call wrote: the array a `build` callback resolved to, a batch array, else one. */
function counter(args: readonly unknown[]): { readonly args: unknown[]; readonly count: () => number } {
  let n = 1;
  const first = args[0];
  if (Array.isArray(first)) n = first.length;
  if (typeof first !== 'function') return { args: [...args], count: () => n };
  const build = first as (...a: unknown[]) => unknown;
  const counted = (...a: unknown[]): unknown => {
    const out = build(...a);
    const take = (v: unknown): unknown => {
      if (Array.isArray(v)) n = v.length;
      return v;
    };
    return out instanceof Promise ? out.then(take) : take(out);
  };
  return { args: [counted, ...args.slice(1)], count: () => n };
}

/**
 * Wraps an audit store — or an audit log, anything whose trace is written
 * by methods named `append…` — so that every append is measured (AUD-2,
 * the histogram `s3404.audit.append.duration` (seconds, by
 * `s3404.audit.operation`, the method's name, and `s3404.outcome`), the
 * counter `s3404.audit.appended` of the events written (the events a
 * store's `build` callback returned, the length of a batch, else one), and
 * a span `s3404.audit.append` when a tracer is given. Every other member
 * passes through to the store itself; the store is not modified. Without a
 * meter and a tracer it returns the store itself (no cost).
 *
 * `import { instrumentAuditStore } from '@s3404/core/otel'`
 *
 * @example
 * ```ts
 * const store = instrumentAuditStore(await PostgresAuditStore.open({ connectionString }), { meter })
 * const log = createAuditLog({ store, … })                  // @s3404/audit
 * ```
 * @throws {TypeError} when `store` is not an object or the meter or tracer is not one.
 * @public
 */
export function instrumentAuditStore<S extends object>(store: S, options: InstrumentAuditStoreOptions = {}): S {
  if (store === null || typeof store !== 'object') throw new TypeError('instrumentAuditStore: store must be an object');
  if (options === null || typeof options !== 'object') throw new TypeError('instrumentAuditStore: options must be an object');
  checkOtel('instrumentAuditStore', options);
  const { meter, tracer } = options;
  if (meter === undefined && tracer === undefined) return store;
  const timer = options.timer ?? defaultTimer();
  const histogram = quietly(() =>
    meter?.createHistogram(OTEL_METRICS.auditAppendDuration, {
      unit: 's',
      description: 'Duration of audit store appends',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
    }),
  );
  const appended = quietly(() => meter?.createCounter(OTEL_METRICS.auditAppended, { unit: '{event}', description: 'Events written by audit store appends' }));
  const vocabulary = boundedVocabulary(VOCABULARY_LIMIT);
  return passThrough(store, new Map(), (key, method) => {
    if (typeof key !== 'string' || !/^append[A-Z]?[A-Za-z]{0,30}$/.test(key)) return undefined;
    const attributes = { [OTEL_ATTRIBUTES.auditOperation]: key };
    return (...args: unknown[]) => {
      const c = counter(args);
      const m = { name: 's3404.audit.append', tracer, histogram, attributes, timer, vocabulary, onResult: () => appended?.add(c.count(), attributes) };
      return measured(m, method, store, c.args);
    };
  });
}

import type { OtelHistogram as Histogram, OtelMeter as Meter, OtelTracer as Tracer } from './otel-shapes.js';
import { boundedVocabulary, DURATION_BUCKETS, VOCABULARY_LIMIT } from './otel-names.js';
import { defaultTimer, measured, quietly, type Timer } from './measure.js';

/** What every instrumentation of `@s3404/core/otel` takes. @public */
export interface OtelOptions {
  /** Where the metrics go (`metrics.getMeter('s3404')` of `@opentelemetry/api`). Default: none, no metric. */
  readonly meter?: Meter | undefined;
  /** Where the spans go (`trace.getTracer('s3404')` of `@opentelemetry/api`). Default: none, no span. */
  readonly tracer?: Tracer | undefined;
  /** A monotonic timer in milliseconds for durations. Default: `performance.now`. */
  readonly timer?: (() => number) | undefined;
}

/** Options of {@link instrumentOperations}. @public */
export interface InstrumentOperationsOptions extends OtelOptions {
  /**
   * The methods to observe and the name of each: method `consume` named
   * `s3404.consume` gets a span `s3404.consume` and a histogram
   * `s3404.consume.duration` (seconds). Required.
   */
  readonly operations: Readonly<Record<string, string>>;
}

/** Options of {@link instrumentFunction}. @public */
export interface InstrumentFunctionOptions extends OtelOptions {
  /** The span name, and the histogram name before `.duration`, e.g. `s3404.lot.pack`. Required. */
  readonly name: string;
}

const NAME = /^s3404(\.[a-z][a-z0-9_-]{0,31}){1,4}$/;

export function checkOtel(where: string, o: OtelOptions): void {
  if (o.meter !== undefined && typeof o.meter?.createHistogram !== 'function') throw new TypeError(`${where}: meter must be an OpenTelemetry Meter`);
  if (o.tracer !== undefined && typeof o.tracer?.startActiveSpan !== 'function') throw new TypeError(`${where}: tracer must be an OpenTelemetry Tracer`);
  if (o.timer !== undefined && typeof o.timer !== 'function') throw new TypeError(`${where}: timer must be a function returning milliseconds`);
}

function checkName(where: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) throw new TypeError(`${where}: a name must look like s3404.consume (s3404. and 1 to 4 lowercase words)`);
  return name;
}

/** The duration histogram of an operation named `name`; none when the meter fails to create it (telemetry never breaks the SDK). */
export function durationHistogram(meter: Meter | undefined, name: string, description: string): Histogram | undefined {
  return quietly(() => meter?.createHistogram(`${name}.duration`, { unit: 's', description, advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] } }));
}

/**
 * Wraps an object so that the named methods run inside an active span and
 * have their duration recorded (X-1, AUD-1): wrap the consumer to get
 * `s3404.consume.duration`, the sealer for `s3404.seal.duration`. The
 * attributes are `s3404.outcome` (`success`, `refused` for a coded verdict,
 * `failure`), `s3404.error.code` and `error.type`, and `s3404.status` when the result has
 * a `status` — never an argument, an identifier or a message. Every other
 * member passes through to the object itself; the object is not modified.
 * Without a meter and a tracer it returns the object itself (no cost).
 *
 * `import { instrumentOperations } from '@s3404/core/otel'`
 *
 * @example
 * ```ts
 * const consumer = instrumentOperations(createConsumer({ store, trustAnchors, trace }), {
 *   meter, tracer, operations: { consume: 's3404.consume' },
 * })
 * ```
 * @throws {TypeError} when `operations` is missing, a name does not look like `s3404.word`, or the meter or tracer is not one.
 * @public
 */
export function instrumentOperations<T extends object>(target: T, options: InstrumentOperationsOptions): T {
  if (target === null || typeof target !== 'object') throw new TypeError('instrumentOperations: target must be an object');
  if (options === null || typeof options !== 'object' || options.operations === null || typeof options.operations !== 'object')
    throw new TypeError('instrumentOperations: options.operations is required, e.g. { consume: "s3404.consume" }');
  checkOtel('instrumentOperations', options);
  const names = Object.entries(options.operations).map(([method, name]) => [method, checkName('instrumentOperations', name)] as const);
  if (options.meter === undefined && options.tracer === undefined) return target;
  const timer: Timer = options.timer ?? defaultTimer();
  const wrapped = new Map<PropertyKey, unknown>();
  const vocabulary = boundedVocabulary(VOCABULARY_LIMIT);
  for (const [method, name] of names) {
    const original = (target as Record<string, unknown>)[method];
    if (typeof original !== 'function') throw new TypeError(`instrumentOperations: target has no method ${method}`);
    const m = { name, tracer: options.tracer, histogram: durationHistogram(options.meter, name, `Duration of ${method}`), attributes: {}, timer, vocabulary };
    wrapped.set(method, (...args: unknown[]) => measured(m, original as (...a: unknown[]) => unknown, target, args));
  }
  return passThrough(target, wrapped);
}

/**
 * A proxy of `target` that answers `wrapped` members from the map and every
 * other member from the target itself, methods bound to it (so classes with
 * private fields keep working). The proxy stands on an empty object of the
 * same prototype, so a frozen target can be wrapped too.
 */
export function passThrough<T extends object>(
  target: T,
  wrapped: Map<PropertyKey, unknown>,
  wrap?: (key: PropertyKey, method: (...a: unknown[]) => unknown) => unknown,
): T {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(Object.create(Object.getPrototypeOf(target)) as T, {
    get(_, key) {
      const own = wrapped.get(key);
      if (own !== undefined) return own;
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      let b = bound.get(key);
      if (b === undefined) {
        const fn = value as (...a: unknown[]) => unknown;
        b = wrap?.(key, fn) ?? fn.bind(target);
        bound.set(key, b);
      }
      return b;
    },
    set: (_, key, value) => Reflect.set(target, key, value, target),
    has: (_, key) => wrapped.has(key) || Reflect.has(target, key),
  });
}

/**
 * Wraps a function (a one-shot operation such as `packLot` of
 * `@s3404/scor` or a PAdES seal) so that each call runs inside an active
 * span named `options.name` and has its duration recorded in
 * `<name>.duration` (seconds), with the attributes of
 * {@link instrumentOperations}. Without a meter and a tracer it returns the
 * function itself (no cost).
 *
 * `import { instrumentFunction } from '@s3404/core/otel'`
 *
 * @example
 * ```ts
 * const pack = instrumentFunction(packLot, { name: 's3404.lot.pack', meter, tracer })
 * const lot = await pack(invoices, options)
 * ```
 * @throws {TypeError} when `fn` is not a function, the name does not look like `s3404.word`, or the meter or tracer is not one.
 * @public
 */
export function instrumentFunction<F extends (...args: never[]) => unknown>(fn: F, options: InstrumentFunctionOptions): F {
  if (typeof fn !== 'function') throw new TypeError('instrumentFunction: fn must be a function');
  if (options === null || typeof options !== 'object') throw new TypeError('instrumentFunction: options.name is required');
  checkOtel('instrumentFunction', options);
  const name = checkName('instrumentFunction', options.name);
  if (options.meter === undefined && options.tracer === undefined) return fn;
  const m = {
    name,
    tracer: options.tracer,
    histogram: durationHistogram(options.meter, name, `Duration of ${name}`),
    attributes: {},
    timer: options.timer ?? defaultTimer(),
    vocabulary: boundedVocabulary(VOCABULARY_LIMIT),
  };
  const original = fn as unknown as (...a: unknown[]) => unknown;
  return function instrumented(this: unknown, ...args: unknown[]) {
    return measured(m, original, this, args);
  } as unknown as F;
}

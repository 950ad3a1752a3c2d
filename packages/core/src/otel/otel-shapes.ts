/**
 * The parts of the OpenTelemetry API (`@opentelemetry/api` 1.x) that
 * `@s3404/core/otel` calls, as structural types: a `Meter` and a
 * `Tracer` of any 1.x API fit them, and this entry's declarations name no
 * module a vendor may not have installed — the API stays an optional peer,
 * for the types too.
 *
 * `import type { OtelMeter, OtelTracer } from '@s3404/core/otel'`
 *
 * @example
 * ```ts
 * import { metrics, trace } from '@opentelemetry/api'
 * const meter: OtelMeter = metrics.getMeter('s3404')
 * const tracer: OtelTracer = trace.getTracer('s3404')
 * ```
 * @public
 */
export type OtelAttributes = Record<string, string | number | boolean | undefined>;

/** A counter or an up-down counter of the OpenTelemetry API. @public */
export interface OtelCounter {
  add(value: number, attributes?: OtelAttributes): void;
}

/** A histogram of the OpenTelemetry API. @public */
export interface OtelHistogram {
  record(value: number, attributes?: OtelAttributes): void;
}

/** What an instrument is created with. @public */
export interface OtelInstrumentOptions {
  readonly description?: string;
  readonly unit?: string;
  readonly advice?: { readonly explicitBucketBoundaries?: number[] };
}

/** What an observable instrument's callback reports into. @public */
export interface OtelObservableResult {
  observe(value: number, attributes?: OtelAttributes): void;
}

/** An observable gauge of the OpenTelemetry API: read by its callbacks at each collection. @public */
export interface OtelObservableGauge {
  addCallback(callback: (result: OtelObservableResult) => void | Promise<void>): void;
  removeCallback(callback: (result: OtelObservableResult) => void | Promise<void>): void;
}

/** The `Meter` of the OpenTelemetry API, as far as `@s3404/core/otel` uses it. @public */
export interface OtelMeter {
  createCounter(name: string, options?: OtelInstrumentOptions): OtelCounter;
  createUpDownCounter(name: string, options?: OtelInstrumentOptions): OtelCounter;
  createHistogram(name: string, options?: OtelInstrumentOptions): OtelHistogram;
  /** Every Meter of the API 1.x has it; only {@link observeLotStates} calls it. */
  createObservableGauge?(name: string, options?: OtelInstrumentOptions): OtelObservableGauge;
}

/** A `Span` of the OpenTelemetry API, as far as `@s3404/core/otel` uses it. @public */
export interface OtelSpan {
  setAttributes(attributes: OtelAttributes): unknown;
  /** `code` 2 is `SpanStatusCode.ERROR`. */
  setStatus(status: { code: number }): unknown;
  end(): void;
}

/** The `Tracer` of the OpenTelemetry API, as far as `@s3404/core/otel` uses it. @public */
export interface OtelTracer {
  startSpan(name: string, options?: { attributes?: OtelAttributes }): OtelSpan;
  startActiveSpan<F extends (span: OtelSpan) => unknown>(name: string, options: { attributes?: OtelAttributes }, fn: F): ReturnType<F>;
}

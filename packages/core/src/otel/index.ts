/**
 * `@s3404/core/otel` — optional OpenTelemetry metrics and spans for the SDK
 * (AUD-1, X-1): a trace sink that turns the trace events every package
 * emits into metrics and spans, a wrapper that measures an audit store's
 * appends, wrappers that put a span and a duration histogram around an
 * operation (consume, seal, PAdES seal, lot pack), and a gauge of the lots
 * per state read from the lot store.
 *
 * `@opentelemetry/api` is an optional peer: this entry does not import it,
 * not even its types (it declares the few shapes it calls, which any 1.x
 * `Meter` and `Tracer` fit); the vendor passes its own `Meter` and
 * `Tracer`; nothing here, and nothing else in the SDK, loads it. Without a meter and a tracer every
 * function returns what it was given (no cost). Runtime-neutral.
 *
 * @packageDocumentation
 */
export { createOtelTraceSink, type OtelTraceSinkOptions } from './otel-trace-sink.js';
export { instrumentAuditStore, type InstrumentAuditStoreOptions } from './instrument-audit-store.js';
export {
  instrumentOperations,
  instrumentFunction,
  type OtelOptions,
  type InstrumentOperationsOptions,
  type InstrumentFunctionOptions,
} from './instrument-operations.js';
export { observeLotStates, type ObserveLotStatesOptions } from './observe-lot-states.js';
export { OTEL_METRICS, OTEL_ATTRIBUTES } from './otel-names.js';
export type {
  OtelAttributes,
  OtelCounter,
  OtelHistogram,
  OtelInstrumentOptions,
  OtelMeter,
  OtelObservableGauge,
  OtelObservableResult,
  OtelSpan,
  OtelTracer,
} from './otel-shapes.js';

/**
 * The OpenTelemetry SDK for the tests of `@s3404/core/otel` and of the
 * CLI's instrumented flow, loaded as a vendor's Node process loads it.
 *
 * The tests run with Node's `--conditions module` (vitest.base.js),
 * under which `require('@opentelemetry/api')` — made by the SDK's CommonJS
 * builds — picks the API's `module` build, whose extension-less imports
 * Node cannot load. A plain Node process resolves the CommonJS build; so
 * does this, for that one request, before the SDK is loaded.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = Module._resolveFilename;
Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  const resolved = original.call(this, request, ...rest);
  return request === '@opentelemetry/api' ? resolved.replace(/\/build\/esm\/index\.js$/, '/build/src/index.js') : resolved;
};

export const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
export const metricsSdk = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
export const traceSdk = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
export const contextHooks = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');

/** One data point of an exported metric, flattened. */
export interface MetricPoint {
  readonly name: string;
  readonly unit: string;
  readonly value: unknown;
  readonly attributes: Record<string, unknown>;
}

/**
 * A meter and a tracer on in-memory exporters: `points()` flushes and gives
 * every data point of the last collection (cumulative), then forgets it;
 * `spans` holds the finished spans.
 */
export function telemetry() {
  const { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } = metricsSdk;
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = traceSdk;
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const spans = new InMemorySpanExporter();
  return {
    meter: new MeterProvider({ readers: [reader] }).getMeter('s3404-test'),
    tracer: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('s3404-test'),
    spans,
    async points(): Promise<MetricPoint[]> {
      await reader.forceFlush();
      const last = exporter.getMetrics().at(-1);
      exporter.reset();
      return (last?.scopeMetrics ?? []).flatMap((s) =>
        s.metrics.flatMap((m) =>
          m.dataPoints.map((p) => ({ name: m.descriptor.name, unit: m.descriptor.unit, value: p.value, attributes: { ...p.attributes } })),
        ),
      );
    },
  };
}

/** The sum of the points of `name` whose attributes include `where` (a histogram counts its observations). */
export function sumOf(points: readonly MetricPoint[], name: string, where: Record<string, unknown> = {}): number {
  return points
    .filter((p) => p.name === name && Object.entries(where).every(([k, v]) => p.attributes[k] === v))
    .reduce((s, p) => s + (typeof p.value === 'number' ? p.value : ((p.value as { count?: number }).count ?? 0)), 0);
}

/** Makes spans nest across `await` (as a vendor's Node process does); returns what undoes it. */
export function enableContextManager(): () => void {
  const manager = new contextHooks.AsyncLocalStorageContextManager();
  api.context.setGlobalContextManager(manager.enable());
  return () => api.context.disable();
}

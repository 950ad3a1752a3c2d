/**
 * Overhead of `@s3404/core/otel` (issue 19, X-1): N trace events through a
 * plain sink, against the same events through `createOtelTraceSink` in
 * front of the same sink (metrics only, then metrics and spans), with the
 * real OpenTelemetry SDK (sdk-metrics, sdk-trace-base: a batch span processor to an in-memory
 * exporter), in the same run; and audit store appends with and without
 * `instrumentAuditStore`.
 *
 * Usage: `pnpm --filter @s3404/core bench` (N with BENCH_EVENTS, default 100000).
 */
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { machine, measure, report } from '@s3404/tooling/bench';
import type { TraceEvent, TraceSink } from '@s3404/core';
import { createOtelTraceSink, instrumentAuditStore } from '@s3404/core/otel';

const N = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
const meter = new MeterProvider({ readers: [reader] }).getMeter('bench');
const spans = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spans, { maxQueueSize: 1_000_000, maxExportBatchSize: 4096 })] }).getTracer(
  'bench',
);

const actor = { personId: 'p-1', role: 'insured', terminalId: 't-1' };
const events: TraceEvent[] = Array.from({ length: 1000 }, (_, i) => ({
  action: ['signature.sealed', 'signature.consumed', 'signature.refused', 'lot.sent'][i % 4]!,
  at: '2026-03-20T10:00:00.000Z',
  actor,
  subject: { bordereauId: '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H', lotId: 'L1' },
  outcome: i % 4 === 2 ? 'refused' : 'success',
  ...(i % 4 === 2 ? { code: 'ERR_RECORD_REPLAYED' } : {}),
  ...(i % 4 === 3 ? { reason: 'ready → sent' } : {}),
}));

/** The peer: what a vendor's sink costs on its own (a push, as a recording or a buffering sink does). */
function plain(): TraceSink & { n: number } {
  return {
    n: 0,
    record(event) {
      this.n += event.action.length > 0 ? 1 : 0;
    },
  };
}

async function run(sink: TraceSink): Promise<void> {
  for (let i = 0; i < N; i++) await sink.record(events[i % events.length]!);
}

const opts = { warmup: 2, iterations: 7 };
const results = [
  await measure(`plain sink, ${N} events`, () => run(plain()), opts),
  await measure('createOtelTraceSink, metrics', () => run(createOtelTraceSink({ meter, next: plain() })), opts),
  await measure('createOtelTraceSink, metrics + spans', () => run(createOtelTraceSink({ meter, tracer, next: plain() })).then(() => spans.reset()), opts),
  await measure('createOtelTraceSink, not configured', () => run(createOtelTraceSink({ next: plain() })), opts),
];
const text = report(`Trace sink overhead, ${N} events`, results, results[0]!.name);
const per = (r: (typeof results)[number]) => `${((r.median / N) * 1e6).toFixed(0)} ns/event`;
console.log(results.map((r) => `- ${r.name}: ${per(r)}`).join('\n'));

/** An audit store of the contract's shape doing the least work: build, then keep the lines. */
class Store {
  readonly lines: string[] = [];
  async append(build: (head: number) => Promise<readonly string[]>): Promise<void> {
    this.lines.push(...(await build(this.lines.length)));
  }
}
const appends = async (store: { append: Store['append'] }) => {
  for (let i = 0; i < N / 10; i++) await store.append(async (h) => [`{"seq":${h}}`]);
};
const storeResults = [
  await measure(`plain store, ${N / 10} appends`, () => appends(new Store()), opts),
  await measure('instrumentAuditStore, metrics', () => appends(instrumentAuditStore(new Store(), { meter })), opts),
];
const text2 = report(`Audit store append overhead, ${N / 10} appends`, storeResults, storeResults[0]!.name);
console.log(`\n${await machine()}`);
void text;
void text2;

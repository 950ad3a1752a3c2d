/**
 * `@s3404/core/otel` against a hostile or broken telemetry pipeline:
 * a meter or a tracer that throws on every call never breaks, repeats or
 * hides the operation it observes, a span once opened is always ended, and
 * attribute values that merely look like tokens (made-up error codes,
 * roles) never grow the number of metric series without bound.
 */
import { describe, expect, it } from 'vitest';
import { sumOf, telemetry } from '@s3404/tooling/otel-kit';
import { CoreError, type TraceEvent } from '@s3404/core';
import {
  createOtelTraceSink,
  instrumentAuditStore,
  instrumentFunction,
  instrumentOperations,
  observeLotStates,
  OTEL_ATTRIBUTES,
  OTEL_METRICS,
  type OtelMeter,
  type OtelTracer,
} from '@s3404/core/otel';

const down = (): never => {
  throw new Error('exporter down');
};
/** A meter and a tracer whose every call throws, even creating an instrument. */
const deadMeter = { createCounter: down, createUpDownCounter: down, createHistogram: down, createObservableGauge: down } as unknown as OtelMeter;
const deadTracer = { startSpan: down, startActiveSpan: down } as unknown as OtelTracer;
/** A meter whose instruments are created but throw when fed. */
const failingMeter = {
  createCounter: () => ({ add: down }),
  createUpDownCounter: () => ({ add: down }),
  createHistogram: () => ({ record: down }),
} as unknown as OtelMeter;

const event = (extra: Partial<TraceEvent> = {}): TraceEvent => ({
  action: 'signature.refused',
  at: '2026-03-20T10:00:00.000Z',
  actor: { personId: 'p-1', role: 'insured', terminalId: 't-1' },
  subject: {},
  outcome: 'refused',
  code: 'ERR_RECORD_REPLAYED',
  ...extra,
});

/** `i` written in capitals only (no digit: a token of the code pattern), e.g. 27 → `BB`. */
const letters = (i: number): string => i.toString(26).replace(/./g, (c) => String.fromCharCode(65 + Number.parseInt(c, 26)));

describe('a meter or a tracer that throws never breaks the SDK operation (X-1)', () => {
  it('every instrumentation sets up, runs the operation once, and returns or throws what it does', async () => {
    const calls = { op: 0, fn: 0, append: 0 };
    const service = {
      async consume(id: string) {
        calls.op += 1;
        if (id === 'x') throw new CoreError('ERR_LOCK_TIMEOUT', {});
        return { status: 'consumed', id };
      },
    };
    const store = {
      lines: [] as string[],
      async append(build: () => Promise<string[]>) {
        calls.append += 1;
        this.lines.push(...(await build()));
      },
    };
    for (const meter of [deadMeter, failingMeter, undefined]) {
      const o = { meter, tracer: deadTracer };
      const observed = instrumentOperations(service, { ...o, operations: { consume: 's3404.consume' } });
      await expect(observed.consume('a')).resolves.toEqual({ status: 'consumed', id: 'a' });
      await expect(observed.consume('x')).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
      const add = instrumentFunction(
        (a: number, b: number) => {
          calls.fn += 1;
          return a + b;
        },
        { ...o, name: 's3404.add' },
      );
      expect(add(2, 3)).toBe(5);
      // An append the store made is never reported as failed (a caller would write the audit events twice).
      await expect(instrumentAuditStore(store, o).append(async () => ['e'])).resolves.toBeUndefined();
      const next = { events: [] as TraceEvent[], record: (e: TraceEvent) => void next.events.push(e) };
      await createOtelTraceSink({ ...o, next }).record(event());
      expect(next.events).toHaveLength(1);
    }
    expect(calls).toEqual({ op: 6, fn: 3, append: 3 });
    expect(store.lines).toEqual(['e', 'e', 'e']);
    const stop = observeLotStates({ meter: deadMeter, read: async () => ({ sent: 1 }) });
    expect(() => stop()).not.toThrow();
  });

  it('a tracer that fails after calling back, or swallows the error: the operation runs once and its own outcome stands', async () => {
    const t = telemetry();
    const after = {
      startSpan: t.tracer.startSpan.bind(t.tracer),
      startActiveSpan: (name: string, options: object, fn: (span: unknown) => unknown) => {
        try {
          fn(t.tracer.startSpan(name, options));
        } catch {
          // Swallowed: a tracer that loses the operation's error.
        }
        throw new Error('context manager down');
      },
    } as unknown as OtelTracer;
    let n = 0;
    const ok = instrumentFunction(() => ++n, { name: 's3404.ok', tracer: after });
    const ko = instrumentFunction(
      () => {
        n += 10;
        throw new TypeError('bad input');
      },
      { name: 's3404.ko', tracer: after },
    );
    expect(ok()).toBe(1);
    expect(ko).toThrow(TypeError);
    expect(n).toBe(11);
    expect(t.spans.getFinishedSpans().map((s) => [s.name, s.status.code])).toEqual([
      ['s3404.ok', 0],
      ['s3404.ko', 2],
    ]);
  });

  it('a meter that throws when fed never leaves a span open: every span is ended, failures marked', async () => {
    const t = telemetry();
    const fn = instrumentFunction(async (fail: boolean) => (fail ? Promise.reject(new CoreError('ERR_LOCK_TIMEOUT', {})) : 1), {
      name: 's3404.op',
      meter: failingMeter,
      tracer: t.tracer,
    });
    await fn(false);
    await expect(fn(true)).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    const store = instrumentAuditStore({ append: async () => undefined }, { meter: failingMeter, tracer: t.tracer });
    await store.append();
    await createOtelTraceSink({ meter: failingMeter, tracer: t.tracer }).record(event());
    const spans = t.spans.getFinishedSpans();
    expect(spans.map((s) => [s.name, s.status.code])).toEqual([
      ['s3404.op', 0],
      ['s3404.op', 2],
      ['s3404.audit.append', 0],
      ['s3404.signature.refused', 2],
    ]);
  });
});

describe('attribute values that look like tokens are bounded per instrumentation (X-1)', () => {
  it('a thousand made-up error codes and roles make at most 128 values each, the rest counted as other', async () => {
    const t = telemetry();
    const sink = createOtelTraceSink({ meter: t.meter });
    for (let i = 0; i < 1000; i++) {
      await sink.record(event({ code: `ERR_${letters(i + 26)}` }));
      await sink.record(
        event({ action: 'signature.consumed', outcome: 'success', actor: { personId: 'p', role: `r${letters(i)}`.toLowerCase(), terminalId: 't' } }),
      );
    }
    const fail = instrumentFunction(
      (i: number) => {
        throw Object.assign(new CoreError('ERR_LOCK_TIMEOUT', {}), { code: `ERR_${letters(i + 26)}` });
      },
      { name: 's3404.fail', meter: t.meter },
    );
    for (let i = 0; i < 1000; i++) expect(() => fail(i)).toThrow();
    const points = await t.points();
    const values = (name: string, key: string) => new Set(points.filter((p) => p.name === name).map((p) => p.attributes[key]));
    for (const [name, key] of [
      [OTEL_METRICS.refusals, OTEL_ATTRIBUTES.errorCode],
      ['s3404.fail.duration', OTEL_ATTRIBUTES.errorCode],
      [OTEL_METRICS.consumes, OTEL_ATTRIBUTES.role],
    ] as const) {
      // 128 kept (the refusals' role `insured` among them) and `other`.
      expect(values(name, key).size).toBeGreaterThan(100);
      expect(values(name, key).size).toBeLessThanOrEqual(129);
      expect(values(name, key).has('other')).toBe(true);
    }
    expect(sumOf(points, OTEL_METRICS.refusals)).toBe(1000);
    expect(sumOf(points, OTEL_METRICS.refusals, { [OTEL_ATTRIBUTES.errorCode]: 'other' })).toBe(872);
    expect(sumOf(points, 's3404.fail.duration')).toBe(1000);
    // The codes seen first keep their own series.
    expect(sumOf(points, OTEL_METRICS.refusals, { [OTEL_ATTRIBUTES.errorCode]: 'ERR_BA' })).toBe(1);
  });
});

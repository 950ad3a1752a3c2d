import type { OtelAttributes as Attributes, OtelHistogram as Histogram, OtelSpan as Span, OtelTracer as Tracer } from './otel-shapes.js';
import { isS3404Error } from '../errors/s3404-error.js';
import { OTEL_ATTRIBUTES, token } from './otel-names.js';

/** `SpanStatusCode.ERROR` of the OpenTelemetry API, without importing it (the API stays an optional peer). */
export const STATUS_ERROR = 2;

/** A monotonic timer in milliseconds: `performance.now` where the runtime has it (all of them do), else `Date.now`. */
export type Timer = () => number;

/** The default {@link Timer}. */
export function defaultTimer(): Timer {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf !== undefined && typeof perf.now === 'function' ? () => perf.now() : () => Date.now();
}

/** Outcome and error attributes of a thrown value: a coded verdict is `refused`, anything else `failure`. No message, ever. */
export function errorAttributes(error: unknown): Attributes {
  if (isS3404Error(error)) {
    const code = token(error.code, 'code');
    return {
      [OTEL_ATTRIBUTES.outcome]: error.kind === 'verdict' ? 'refused' : 'failure',
      [OTEL_ATTRIBUTES.errorCode]: code,
      [OTEL_ATTRIBUTES.errorType]: code,
    };
  }
  const name = error instanceof Error ? error.name : undefined;
  return { [OTEL_ATTRIBUTES.outcome]: 'failure', [OTEL_ATTRIBUTES.errorType]: token(name, 'class') };
}

/** The `status` of a result object (`consumed`, `already-consumed`, `applied`…), as an attribute, when it has one. */
function resultAttributes(result: unknown): Attributes {
  const status = typeof result === 'object' && result !== null ? (result as { status?: unknown }).status : undefined;
  return typeof status === 'string'
    ? { [OTEL_ATTRIBUTES.outcome]: 'success', [OTEL_ATTRIBUTES.status]: token(status, 'word') }
    : { [OTEL_ATTRIBUTES.outcome]: 'success' };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** What {@link measured} needs: a span name, where to record the duration, and the fixed attributes. */
export interface Measure {
  readonly name: string;
  readonly tracer: Tracer | undefined;
  readonly histogram: Histogram | undefined;
  readonly attributes: Attributes;
  readonly timer: Timer;
  /** Extra attributes from the result (e.g. how many events an append wrote). */
  readonly onResult?: (result: unknown, args: readonly unknown[]) => void;
}

/**
 * Calls `fn` inside an active span named `m.name` (when a tracer is given)
 * and records its duration in seconds (when a histogram is given), whether
 * it returns, resolves, throws or rejects; returns or throws what `fn` does.
 */
export function measured<T>(m: Measure, fn: (...args: unknown[]) => T, self: unknown, args: unknown[]): T {
  const body = (span: Span | undefined): T => {
    const start = m.timer();
    const done = (extra: Attributes, failed: boolean): void => {
      const seconds = (m.timer() - start) / 1000;
      const attributes = { ...m.attributes, ...extra };
      try {
        m.histogram?.record(seconds, attributes);
        if (span !== undefined) {
          span.setAttributes(extra);
          if (failed) span.setStatus({ code: STATUS_ERROR });
          span.end();
        }
      } catch {
        // Telemetry never breaks the operation it observes.
      }
    };
    let out: T;
    try {
      out = fn.apply(self, args);
    } catch (error) {
      done(errorAttributes(error), true);
      throw error;
    }
    if (isThenable(out)) {
      return (out as PromiseLike<unknown>).then(
        (value) => {
          m.onResult?.(value, args);
          done(resultAttributes(value), false);
          return value;
        },
        (error: unknown) => {
          done(errorAttributes(error), true);
          throw error;
        },
      ) as T;
    }
    m.onResult?.(out, args);
    done(resultAttributes(out), false);
    return out;
  };
  return m.tracer === undefined ? body(undefined) : m.tracer.startActiveSpan(m.name, { attributes: m.attributes }, body);
}

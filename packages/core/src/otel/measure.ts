import type { OtelAttributes as Attributes, OtelHistogram as Histogram, OtelSpan as Span, OtelTracer as Tracer } from './otel-shapes.js';
import { isS3404Error } from '../errors/s3404-error.js';
import { OTEL_ATTRIBUTES, token, type Vocabulary } from './otel-names.js';

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
export function errorAttributes(error: unknown, bound: Vocabulary = (_, v) => v): Attributes {
  if (isS3404Error(error)) {
    const code = bound(OTEL_ATTRIBUTES.errorCode, token(error.code, 'code'));
    return {
      [OTEL_ATTRIBUTES.outcome]: error.kind === 'verdict' ? 'refused' : 'failure',
      [OTEL_ATTRIBUTES.errorCode]: code,
      [OTEL_ATTRIBUTES.errorType]: code,
    };
  }
  const name = error instanceof Error ? error.name : undefined;
  return { [OTEL_ATTRIBUTES.outcome]: 'failure', [OTEL_ATTRIBUTES.errorType]: bound(OTEL_ATTRIBUTES.errorType, token(name, 'class')) };
}

/** The `status` of a result object (`consumed`, `already-consumed`, `applied`…), as an attribute, when it has one. */
function resultAttributes(result: unknown, bound: Vocabulary): Attributes {
  const status = typeof result === 'object' && result !== null ? (result as { status?: unknown }).status : undefined;
  return typeof status === 'string'
    ? { [OTEL_ATTRIBUTES.outcome]: 'success', [OTEL_ATTRIBUTES.status]: bound(OTEL_ATTRIBUTES.status, token(status, 'word')) }
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
  /** The bounded vocabulary of this instrumentation's attribute values (`boundedVocabulary`). */
  readonly vocabulary: Vocabulary;
  /** Extra attributes from the result (e.g. how many events an append wrote). */
  readonly onResult?: (result: unknown, args: readonly unknown[]) => void;
}

/**
 * Runs one call to the vendor's meter or tracer and gives its value, or
 * `undefined` when it throws: telemetry never breaks the operation it
 * observes, and one failing call never keeps the next from running (a
 * histogram that throws must not leave the span open).
 */
export function quietly<T>(call: () => T): T | undefined {
  try {
    return call();
  } catch {
    return undefined;
  }
}

/**
 * Calls `fn` inside an active span named `m.name` (when a tracer is given)
 * and records its duration in seconds (when a histogram is given), whether
 * it returns, resolves, throws or rejects; returns or throws what `fn` does.
 * `fn` runs exactly once whatever the tracer does: a tracer that throws, or
 * never calls back, leaves the call without a span, never without its
 * operation; a span that is opened is always ended.
 */
export function measured<T>(m: Measure, fn: (...args: unknown[]) => T, self: unknown, args: unknown[]): T {
  const body = (span: Span | undefined): T => {
    const start = quietly(m.timer) ?? Number.NaN;
    const done = (extra: Attributes, failed: boolean): void => {
      const seconds = ((quietly(m.timer) ?? Number.NaN) - start) / 1000;
      if (Number.isFinite(seconds)) quietly(() => m.histogram?.record(seconds, { ...m.attributes, ...extra }));
      if (span === undefined || span === null) return;
      quietly(() => span.setAttributes(extra));
      if (failed) quietly(() => span.setStatus({ code: STATUS_ERROR }));
      quietly(() => span.end());
    };
    let out: T;
    try {
      out = fn.apply(self, args);
    } catch (error) {
      done(errorAttributes(error, m.vocabulary), true);
      throw error;
    }
    if (isThenable(out)) {
      return (out as PromiseLike<unknown>).then(
        (value) => {
          quietly(() => m.onResult?.(value, args));
          done(resultAttributes(value, m.vocabulary), false);
          return value;
        },
        (error: unknown) => {
          done(errorAttributes(error, m.vocabulary), true);
          throw error;
        },
      ) as T;
    }
    quietly(() => m.onResult?.(out, args));
    done(resultAttributes(out, m.vocabulary), false);
    return out;
  };
  const tracer = m.tracer;
  if (tracer === undefined) return body(undefined);
  // What the operation did, kept apart from what the tracer returns or throws: a tracer may fail before calling back
  // (the operation then runs without a span), after it (the operation's own outcome stands), or swallow its error.
  let outcome: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown } | undefined;
  const run = (span: Span): T => {
    if (outcome !== undefined) {
      // Called back twice: the operation still runs once.
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    try {
      const value = body(span);
      outcome = { ok: true, value };
      return value;
    } catch (error) {
      outcome = { ok: false, error };
      throw error;
    }
  };
  try {
    tracer.startActiveSpan(m.name, { attributes: m.attributes }, run);
  } catch {
    // The tracer failed, or passed on the operation's own error: told apart by `outcome` below.
  }
  if (outcome === undefined) return body(undefined);
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}

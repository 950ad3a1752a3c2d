import type { OtelAttributes as Attributes } from './otel-shapes.js';
import type { TraceEvent, TraceSink } from '../trace.js';
import { checkOtel, type OtelOptions } from './instrument-operations.js';
import { quietly, STATUS_ERROR } from './measure.js';
import { boundedVocabulary, lotTransition, OTEL_ATTRIBUTES, OTEL_METRICS, token, VOCABULARY_LIMIT } from './otel-names.js';

/** Options of {@link createOtelTraceSink} (AUD-1, X-1). @public */
export interface OtelTraceSinkOptions<A extends string = string> extends Omit<OtelOptions, 'timer'> {
  /**
   * The sink every event goes on to, awaited as before (e.g.
   * `auditTraceSink(log)` of `@s3404/audit`). Default: none, the events are
   * only observed.
   */
  readonly next?: TraceSink<A> | undefined;
}

const NOOP: TraceSink = { record: () => undefined };

/**
 * A trace sink that turns the SDK's trace events into OpenTelemetry metrics
 * and spans, then passes each event on to `next` unchanged (AUD-1, X-1).
 * It plugs in where any `TraceSink` goes — `createSealer`, `createConsumer`,
 * `createLotManager`, a vendor's code — with no other change.
 *
 * Metrics (see {@link OTEL_METRICS}): `s3404.trace.events` (every event, by
 * action and outcome), `s3404.consumes` (`signature.consumed`),
 * `s3404.refusals` and `s3404.failures` (by action and `s3404.error.code`),
 * `s3404.lot.transitions` (by `s3404.lot.from`, `s3404.lot.to`) and the
 * up-down counter `s3404.lot.state` (SCOR-3). With a tracer, each event is
 * also a span `s3404.<action>` (child of the active span, status error
 * when refused or failed).
 *
 * Attributes hold closed-vocabulary tokens only (action, outcome, role, error
 * code, lot state): never the subject's identifiers, the actor's person or
 * terminal, nor the reason text — so no NIR, no personal data reaches the
 * backend even when a vendor's event carries some. A value that does not
 * look like a token becomes `other`. Telemetry errors are swallowed; the
 * `next` sink's are not (an action whose trace cannot be stored still
 * fails). Without a meter and a tracer it returns `next` itself (no cost).
 *
 * `import { createOtelTraceSink } from '@s3404/core/otel'`
 *
 * @example
 * ```ts
 * import { metrics, trace as otelTrace } from '@opentelemetry/api'
 * const trace = createOtelTraceSink({ meter: metrics.getMeter('s3404'), tracer: otelTrace.getTracer('s3404'), next: auditTraceSink(log) })
 * const sealer = await createSealer({ …, trace })
 * const consumer = createConsumer({ store, trustAnchors, trace })
 * ```
 * @throws {TypeError} when the meter, the tracer or `next` is not one.
 * @public
 */
export function createOtelTraceSink<A extends string = string>(options: OtelTraceSinkOptions<A> = {}): TraceSink<A> {
  if (options === null || typeof options !== 'object') throw new TypeError('createOtelTraceSink: options must be an object');
  checkOtel('createOtelTraceSink', options);
  const { meter, tracer, next } = options;
  if (next !== undefined && typeof next?.record !== 'function') throw new TypeError('createOtelTraceSink: next must be a TraceSink');
  if (meter === undefined && tracer === undefined) return next ?? (NOOP as TraceSink<A>);
  const events = quietly(() => meter?.createCounter(OTEL_METRICS.events, { unit: '{event}', description: 'Traced actions' }));
  const consumes = quietly(() => meter?.createCounter(OTEL_METRICS.consumes, { unit: '{record}', description: 'Signature records consumed' }));
  const refusals = quietly(() => meter?.createCounter(OTEL_METRICS.refusals, { unit: '{refusal}', description: 'Refused actions, by error code' }));
  const failures = quietly(() => meter?.createCounter(OTEL_METRICS.failures, { unit: '{failure}', description: 'Failed actions, by error code' }));
  const transitions = quietly(() => meter?.createCounter(OTEL_METRICS.lotTransitions, { unit: '{transition}', description: 'SCOR lot transitions' }));
  const lotState = quietly(() =>
    meter?.createUpDownCounter(OTEL_METRICS.lotState, { unit: '{lot}', description: 'SCOR lots per state (net change since start)' }),
  );

  /** What one kind of event adds: computed once per kind (action, outcome, code, role, transition), then reused. */
  interface Observation {
    readonly base: Attributes;
    readonly consume: Attributes | null;
    readonly refusal: Attributes | null;
    readonly transition: Attributes | null;
    readonly left: Attributes | null;
    readonly entered: Attributes | null;
    readonly span: Attributes;
    readonly failed: boolean;
  }
  const kinds = new Map<string, Observation>();
  // Values that look like tokens but keep changing (a vendor's free text, made-up codes or roles) never grow the series without bound.
  const bound = boundedVocabulary(VOCABULARY_LIMIT);
  const classify = (event: TraceEvent<A>): Observation => {
    const action = bound(OTEL_ATTRIBUTES.action, token(event.action, 'action'));
    const outcome = event.outcome === 'success' || event.outcome === 'refused' || event.outcome === 'failure' ? event.outcome : 'other';
    const role = bound(OTEL_ATTRIBUTES.role, token(event.actor?.role, 'word'));
    const base: Attributes = { [OTEL_ATTRIBUTES.action]: action, [OTEL_ATTRIBUTES.outcome]: outcome };
    const span: Attributes = { ...base, [OTEL_ATTRIBUTES.role]: role };
    let refusal: Attributes | null = null;
    if (outcome !== 'success') {
      const code = event.code === undefined ? 'none' : bound(OTEL_ATTRIBUTES.errorCode, token(event.code, 'code'));
      span[OTEL_ATTRIBUTES.errorCode] = code;
      refusal = { [OTEL_ATTRIBUTES.action]: action, [OTEL_ATTRIBUTES.errorCode]: code };
    }
    const parsed = action.startsWith('lot.') ? lotTransition(event.reason) : null;
    const lot =
      parsed === null
        ? null
        : { from: parsed.from === null ? null : bound(OTEL_ATTRIBUTES.lotState, parsed.from), to: bound(OTEL_ATTRIBUTES.lotState, parsed.to) };
    let transition: Attributes | null = null;
    if (lot !== null) {
      const from = lot.from ?? 'none';
      span[OTEL_ATTRIBUTES.lotFrom] = from;
      span[OTEL_ATTRIBUTES.lotTo] = lot.to;
      transition = { [OTEL_ATTRIBUTES.lotFrom]: from, [OTEL_ATTRIBUTES.lotTo]: lot.to };
    }
    return {
      base,
      consume: action === 'signature.consumed' && outcome === 'success' ? { [OTEL_ATTRIBUTES.role]: role } : null,
      refusal,
      transition,
      left: lot?.from == null ? null : { [OTEL_ATTRIBUTES.lotState]: lot.from },
      entered: lot === null ? null : { [OTEL_ATTRIBUTES.lotState]: lot.to },
      span,
      failed: outcome !== 'success',
    };
  };

  const observe = (event: TraceEvent<A>): void => {
    const reason = typeof event.action === 'string' && event.action.startsWith('lot.') ? event.reason : '';
    const key = `${event.action}\u0000${event.outcome}\u0000${event.code ?? ''}\u0000${event.actor?.role}\u0000${reason}`;
    let o = kinds.get(key);
    if (o === undefined) {
      o = classify(event);
      if (kinds.size < 1024) kinds.set(key, o); // bounded: a vendor's free text never grows it without limit
    }
    // Each call on its own: a counter that throws keeps neither the others nor the span from their work.
    quietly(() => events?.add(1, o.base));
    if (o.consume !== null) quietly(() => consumes?.add(1, o.consume!));
    if (o.refusal !== null) quietly(() => (event.outcome === 'refused' ? refusals : failures)?.add(1, o.refusal!));
    if (o.transition !== null) quietly(() => transitions?.add(1, o.transition!));
    if (o.left !== null) quietly(() => lotState?.add(-1, o.left!));
    if (o.entered !== null) quietly(() => lotState?.add(1, o.entered!));
    if (tracer !== undefined) {
      const span = quietly(() => tracer.startSpan(`s3404.${o.base[OTEL_ATTRIBUTES.action] as string}`, { attributes: o.span }));
      if (span === undefined || span === null) return;
      if (o.failed) quietly(() => span.setStatus({ code: STATUS_ERROR }));
      quietly(() => span.end());
    }
  };

  return {
    record(event: TraceEvent<A>): void | Promise<void> {
      try {
        observe(event);
      } catch {
        // Telemetry never breaks the action it observes.
      }
      return next?.record(event);
    },
  };
}

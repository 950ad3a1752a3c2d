/**
 * The names `@s3404/core/otel` gives its metrics (X-1, AUD-1), in the
 * OpenTelemetry semantic-conventions style: dot-separated, namespaced
 * `s3404.`, durations in seconds (`unit: 's'`).
 *
 * `import { OTEL_METRICS } from '@s3404/core/otel'`
 *
 * @example
 * ```ts
 * reader.collect().then(({ resourceMetrics }) => … find the metric named OTEL_METRICS.refusals)
 * ```
 * @public
 */
export const OTEL_METRICS = {
  /** Counter of every traced event, by `s3404.action` and `s3404.outcome`. */
  events: 's3404.trace.events',
  /** Counter of records consumed (`signature.consumed` events, SIG-5). */
  consumes: 's3404.consumes',
  /** Counter of refused actions, by `s3404.action` and `s3404.error.code`. */
  refusals: 's3404.refusals',
  /** Counter of failed actions (a store, a service), by `s3404.action` and `s3404.error.code`. */
  failures: 's3404.failures',
  /** Counter of SCOR lot transitions (SCOR-3), by `s3404.lot.from` and `s3404.lot.to`. */
  lotTransitions: 's3404.lot.transitions',
  /** Up-down counter of lots per `s3404.lot.state`: +1 on entering a state, −1 on leaving it (net change since start). */
  lotState: 's3404.lot.state',
  /** Gauge of the lots in the store per `s3404.lot.state`, as the store counts them at each collection ({@link observeLotStates}). */
  lots: 's3404.lots',
  /** Histogram (seconds) of audit store appends (AUD-2), by `s3404.audit.operation` and `s3404.outcome`. */
  auditAppendDuration: 's3404.audit.append.duration',
  /** Counter of events written by audit store appends. */
  auditAppended: 's3404.audit.appended',
} as const;

/**
 * The attribute keys `@s3404/core/otel` sets (X-1, AUD-1). Values are
 * closed-vocabulary tokens only — an action, an outcome, an error code, a
 * role, a lot state — never an identifier of a person, a bordereau or a
 * record, a NIR, a reason text or an error message.
 *
 * `import { OTEL_ATTRIBUTES } from '@s3404/core/otel'`
 *
 * @example
 * ```ts
 * point.attributes[OTEL_ATTRIBUTES.errorCode] // 'ERR_RECORD_REPLAYED'
 * ```
 * @public
 */
export const OTEL_ATTRIBUTES = {
  action: 's3404.action',
  outcome: 's3404.outcome',
  errorCode: 's3404.error.code',
  role: 's3404.actor.role',
  lotFrom: 's3404.lot.from',
  lotTo: 's3404.lot.to',
  lotState: 's3404.lot.state',
  status: 's3404.status',
  auditOperation: 's3404.audit.operation',
  /** The OpenTelemetry general attribute for the class of an error: an S3404 code, else the error's class name. */
  errorType: 'error.type',
} as const;

/** Bucket boundaries (seconds) of the duration histograms: 0.1 ms to 10 s. */
export const DURATION_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const ACTION = /^[a-z][a-z0-9-]{0,31}(\.[a-z][a-z0-9-]{0,31}){0,3}$/;
const CODE = /^ERR_[A-Z][A-Z0-9]*(_[A-Z0-9]+){0,12}$/;
/** No token of the vocabulary holds a run of digits: an identifier, a NIR, a date. */
const DIGITS = /\d{4}/;
const WORD = /^[a-z][a-z0-9-]{0,31}$/;
const CLASS = /^[A-Z][A-Za-z0-9]{0,39}$/;

/**
 * A value safe for an attribute: kept when it matches the closed vocabulary
 * pattern, `other` otherwise — so a vendor's event that puts data in the
 * wrong field never reaches the telemetry backend.
 */
export function token(value: unknown, kind: 'action' | 'code' | 'word' | 'class'): string {
  if (typeof value !== 'string') return 'other';
  const pattern = kind === 'action' ? ACTION : kind === 'code' ? CODE : kind === 'word' ? WORD : CLASS;
  return value.length <= 96 && pattern.test(value) && !DIGITS.test(value) ? value : 'other';
}

/** Keeps at most `limit` distinct values of one attribute; any later new value is `other`. */
export type Vocabulary = (key: string, value: string) => string;

/**
 * A bounded vocabulary per attribute key: the first `limit` distinct
 * values of a key are kept, any later new one becomes `other` — so values
 * that merely look like tokens (a vendor's free text, an attacker's made-up
 * error codes or roles) never make an unbounded number of metric series.
 * One per instrumentation, never shared across them.
 */
export function boundedVocabulary(limit: number): Vocabulary {
  const seen = new Map<string, Set<string>>();
  return (key, value) => {
    if (value === 'other') return value;
    const values = seen.get(key) ?? new Set<string>();
    seen.set(key, values);
    if (values.has(value)) return value;
    if (values.size >= limit) return 'other';
    values.add(value);
    return value;
  };
}

/** How many distinct values of one attribute an instrumentation keeps: far more than the codes, roles or states one deployment meets. */
export const VOCABULARY_LIMIT = 128;

/** `from → to` at the start of a lot transition's `reason` (`∅ → built` for a new lot; `ready → sent, tentative 1 (…)`), or null. */
export function lotTransition(reason: string | undefined): { readonly from: string | null; readonly to: string } | null {
  if (reason === undefined) return null;
  const m = /^(∅|[a-z][a-z0-9-]{0,31}) → ([a-z][a-z0-9-]{0,31})(?=$|[,;:( ])/.exec(reason);
  if (m === null) return null;
  return { from: m[1] === '∅' ? null : m[1]!, to: m[2]! };
}

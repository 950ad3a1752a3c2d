import { isS3404Error } from '@s3404/core';
import type { VectorTest } from '../envelope.js';
import type { HandlerAnswer, VectorHandler } from '../handler.js';
import type { ConformanceAuditRetentionSdk } from '../sdk-audit-retention.js';
import { field, Indeterminate, isInteger, isString, isStringArray } from './indeterminate.js';
import { judgeValue, judgeVerdict } from './judge.js';

/** Events a purge vector may write: a vector is a case, not a load test. */
const MAX_EVENTS = 1000;

/** The SDK's retention functions, or the vector is indeterminate. */
function retentionOf(sdk: { readonly auditRetention?: ConformanceAuditRetentionSdk }): ConformanceAuditRetentionSdk {
  if (sdk.auditRetention === undefined) throw new Indeterminate('the SDK under test provides no audit retention functions');
  return sdk.auditRetention;
}

/** An instant of the input (ISO 8601 with its offset), or the vector is indeterminate. */
function instant(input: unknown, name: string): Date {
  const d = new Date(field(input, name, isString));
  if (Number.isNaN(d.getTime())) throw new Indeterminate(`input.${name} is not an instant`);
  return d;
}

/** A coded refusal thrown by the SDK, judged as such; anything else goes up (uncoded: failed). */
function refused(test: VectorTest, e: unknown): HandlerAnswer {
  if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
  throw e;
}

/** AUD-3: the retention a setting gives (`input.setting`, absent for the default): `expected.months`, or refused with its code. */
const retentionMonths: VectorHandler = (test, { sdk }) => {
  const retention = retentionOf(sdk);
  const setting = typeof test.input === 'object' && test.input !== null ? (test.input as Record<string, unknown>)['setting'] : undefined;
  let months: number;
  try {
    months = retention.retentionMonths(setting);
  } catch (e) {
    return refused(test, e);
  }
  if (test.result === 'invalid') return judgeVerdict(test, true, undefined);
  const expected = test.expected?.['months'];
  return judgeValue(test, 'months', String(months), typeof expected === 'number' ? String(expected) : undefined);
};

/** AUD-3: the oldest instant kept at `input.at` under `input.months` (`expected.cutoff`, ISO 8601 UTC). */
const retentionCutoff: VectorHandler = (test, { sdk }) => {
  const retention = retentionOf(sdk);
  const cutoff = retention.retentionCutoff(instant(test.input, 'at'), field(test.input, 'months', isInteger));
  return judgeValue(test, 'cutoff', cutoff.toISOString(), test.expected?.['cutoff']);
};

/**
 * AUD-3: a purge of the traces before `input.before`, asked at `input.now`,
 * over events at `input.events` kept `input.retentionMonths`. Valid: done,
 * and every event at or after `before` is still there; invalid: refused
 * with `expected.code`, and nothing removed.
 */
const retentionPurge: VectorHandler = async (test, { sdk }) => {
  const retention = retentionOf(sdk);
  const events = field(test.input, 'events', isStringArray);
  if (events.length > MAX_EVENTS) throw new Indeterminate(`input.events: more than ${MAX_EVENTS}`);
  const times = events.map((t) => {
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) throw new Indeterminate(`input.events: ${t.slice(0, 40)} is not an instant`);
    return d;
  });
  if (times.some((t, i) => i > 0 && t.getTime() < (times[i - 1]?.getTime() ?? 0))) throw new Indeterminate('input.events: not in ascending order');
  const before = instant(test.input, 'before');
  let answer: Awaited<ReturnType<ConformanceAuditRetentionSdk['purge']>>;
  try {
    answer = await retention.purge({
      events: times,
      retentionMonths: field(test.input, 'retentionMonths', isInteger),
      at: instant(test.input, 'now'),
      before,
    });
  } catch (e) {
    return refused(test, e);
  }
  if (!answer.ok) return judgeVerdict(test, false, answer.code);
  const kept = new Set(answer.kept.map((t) => new Date(t).getTime()));
  const lost = times.filter((t) => t.getTime() >= before.getTime() && !kept.has(t.getTime()));
  if (lost.length > 0)
    return {
      outcome: 'failed',
      answer: 'purged',
      detail: `the purge deleted ${lost.length} event(s) not older than ${before.toISOString()}: ${lost[0]?.toISOString()}`,
    };
  return judgeVerdict(test, true, undefined);
};

/** The retention handlers, by group `type`. */
export const AUDIT_RETENTION_HANDLERS = {
  'retention-months': retentionMonths,
  'retention-cutoff': retentionCutoff,
  'retention-purge': retentionPurge,
} as const;

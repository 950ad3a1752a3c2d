import { canonicalJson, isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import { Indeterminate } from './indeterminate.js';
import { judgeVerdict } from './judge.js';

/** The value at a dotted path (`fees.0.amount`) of a read model. */
function valueAt(model: unknown, path: string): unknown {
  let o: unknown = model;
  for (const p of path.split('.')) {
    if (typeof o !== 'object' || o === null) return undefined;
    o = (o as Record<string, unknown>)[p];
  }
  return o;
}

/** The codes of a refusal: an invalid bordereau's issues, or the error's own code. */
function refusalCodes(e: unknown): string[] | undefined {
  if (!isS3404Error(e)) return undefined;
  const issues = (e as { issues?: unknown }).issues;
  const codes = Array.isArray(issues) ? issues.map((i) => (i as { code?: unknown }).code).filter((c): c is string => typeof c === 'string') : [];
  return codes.length > 0 ? codes : [e.code];
}

/**
 * FORM-5: a fillable PDF read back. Valid: the whole model (`expected.bordereau`, compared as
 * canonical JSON) or values at dotted paths (`expected.values`); invalid: refused, with
 * `expected.code` among the refusal's codes.
 */
const fillableRead: VectorHandler = async (test, context) => {
  const fillable = context.sdk.formFillable;
  if (fillable === undefined) throw new Indeterminate('the SDK under test provides no formFillable functions');
  const input = test.input as Record<string, unknown> | null;
  if (typeof input !== 'object' || input === null || !('pdf' in input)) throw new Indeterminate('input.pdf missing');
  const pdf = await context.bytes(input['pdf']);
  let model: unknown;
  try {
    model = await fillable.readBordereauFromPdf(pdf);
  } catch (e) {
    const codes = refusalCodes(e);
    if (codes === undefined) throw e;
    const want = test.expected?.['code'];
    return judgeVerdict(test, false, typeof want === 'string' && codes.includes(want) ? want : codes[0]);
  }
  if (test.result !== 'valid') return judgeVerdict(test, true, undefined);
  const expected = test.expected ?? {};
  if ('bordereau' in expected) {
    const got = canonicalJson(model);
    return got === canonicalJson(expected['bordereau'])
      ? { outcome: 'passed' }
      : { outcome: 'failed', detail: 'the model read back differs from the expected one' };
  }
  const values = expected['values'];
  if (typeof values !== 'object' || values === null) throw new Indeterminate('expected.bordereau or expected.values missing');
  for (const [path, want] of Object.entries(values)) {
    const got = valueAt(model, path);
    if (canonicalJson(got ?? null) !== canonicalJson(want))
      return { outcome: 'failed', detail: `${path}: expected ${JSON.stringify(want)}, read ${JSON.stringify(got)}` };
  }
  return { outcome: 'passed' };
};

/** The handlers of the fillable form (FORM-5), by group `type`. */
export const FORM_FILLABLE_HANDLERS: Readonly<Record<string, VectorHandler>> = {
  'fillable-read': fillableRead,
};

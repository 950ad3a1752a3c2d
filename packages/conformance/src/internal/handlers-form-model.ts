import { isS3404Error } from '@s3404/core';
import type { VectorTest } from '../envelope.js';
import type { HandlerAnswer, VectorHandler } from '../handler.js';
import { Indeterminate, isStringArray } from './indeterminate.js';
import { judgeVerdict } from './judge.js';

/**
 * An invalid vector with `expected.codes`: the SDK must report exactly that
 * set of distinct codes, in any order (every defect reported, none invented).
 */
function judgeCodes(test: VectorTest, ok: boolean, codes: readonly string[], expected: readonly string[]): HandlerAnswer {
  const first = codes[0];
  const withCode = first === undefined ? {} : { code: first };
  if (test.result !== 'invalid') return judgeVerdict(test, ok, first);
  if (ok) return { outcome: 'failed', detail: 'expected invalid, the SDK accepted' };
  const got = [...new Set(codes)].sort();
  const want = [...new Set(expected)].sort();
  if (got.length === want.length && got.every((c, i) => c === want[i])) return { outcome: 'passed', ...withCode };
  return { outcome: 'failed', ...withCode, detail: `expected the codes ${want.join(', ')}, the SDK answered ${got.join(', ') || 'no code'}` };
}

/**
 * FORM-1, FORM-2, FORM-3: a whole bordereau (`input.bordereau`) validated by
 * the SDK; `expected.code` is compared with the first issue's code,
 * `expected.codes` with the set of codes reported.
 */
const bordereauValidate: VectorHandler = (test, { sdk }) => {
  const model = sdk.formModel;
  if (model === undefined) throw new Indeterminate('the SDK under test provides no formModel functions');
  if (typeof test.input !== 'object' || test.input === null || !('bordereau' in test.input)) throw new Indeterminate('input.bordereau missing');
  const bordereau = (test.input as { bordereau: unknown }).bordereau;
  const expectedCodes = test.expected?.['codes'];
  if (expectedCodes !== undefined && !isStringArray(expectedCodes)) throw new Indeterminate('expected.codes is not a list of codes');
  let verdict: { readonly ok: boolean; readonly issues: readonly { readonly code: string }[] };
  try {
    verdict = model.validateBordereau(bordereau);
  } catch (e) {
    // A validation that throws for data breaks the verdict rule (docs/conventions.md §5): a coded refusal at best.
    if (!isS3404Error(e)) throw e;
    verdict = { ok: false, issues: [{ code: e.code }] };
  }
  const codes = verdict.issues.map((i) => i.code);
  return expectedCodes === undefined ? judgeVerdict(test, verdict.ok, codes[0]) : judgeCodes(test, verdict.ok, codes, expectedCodes);
};

/** The handlers of the bordereau model (FORM-1, FORM-2, FORM-3), by group `type`. */
export const FORM_MODEL_HANDLERS: Readonly<Record<string, VectorHandler>> = {
  'bordereau-validate': bordereauValidate,
};

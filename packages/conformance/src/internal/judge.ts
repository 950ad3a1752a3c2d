import type { VectorTest } from '../envelope.js';
import type { HandlerAnswer } from '../handler.js';

/**
 * Compares an accept / refuse answer with the vector (X-3): `valid` wants
 * `ok`, `invalid` wants a refusal (with `expected.code` as the first issue's
 * code when the vector names one), `acceptable` takes either.
 */
export function judgeVerdict(test: VectorTest, ok: boolean, code: string | undefined): HandlerAnswer {
  const withCode = code === undefined ? {} : { code };
  const answer = ok ? 'accepted' : (code ?? 'refused');
  const expectedCode = typeof test.expected?.['code'] === 'string' ? test.expected['code'] : undefined;
  if (test.result === 'acceptable') return { outcome: 'passed', ...withCode, detail: ok ? 'accepted' : 'refused', answer };
  if (test.result === 'valid')
    return ok
      ? { outcome: 'passed', answer }
      : { outcome: 'failed', ...withCode, detail: `expected valid, the SDK refused${code === undefined ? '' : ` with ${code}`}`, answer };
  if (ok) return { outcome: 'failed', detail: 'expected invalid, the SDK accepted', answer };
  if (expectedCode !== undefined && code !== expectedCode)
    return { outcome: 'failed', ...withCode, detail: `expected ${expectedCode}, the SDK answered ${code ?? 'no code'}`, answer };
  return { outcome: 'passed', ...withCode, answer };
}

/** Compares a value the SDK computed with the expected one (X-3). */
export function judgeValue(test: VectorTest, name: string, actual: string, expected: unknown): HandlerAnswer {
  if (typeof expected !== 'string') return { outcome: 'indeterminate', detail: `expected.${name} missing` };
  const same = actual === expected;
  const answer = `${name} ${actual}`.slice(0, 200);
  if (test.result === 'invalid')
    return same ? { outcome: 'failed', detail: `${name}: the SDK gave the invalid value ${actual}`, answer } : { outcome: 'passed', answer };
  return same ? { outcome: 'passed', answer } : { outcome: 'failed', detail: `${name}: expected ${expected}, the SDK gave ${actual}`, answer };
}

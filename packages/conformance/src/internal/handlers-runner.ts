import { isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import type { ConformanceFormSdk, ConformanceSdk, ConformanceVerdict } from '../sdk.js';
import type { ConformanceRunnerSdk } from '../sdk.js';
import type { ConformanceRunnerAnswer } from '../sdk-runner.js';
import { field, Indeterminate, isString } from './indeterminate.js';
import { judgeVerdict } from './judge.js';

/** The runner under test, or the vector is indeterminate (X-3). */
function runnerOf(sdk: { readonly runner?: ConformanceRunnerSdk }): ConformanceRunnerSdk {
  if (sdk.runner === undefined) throw new Indeterminate('the SDK under test provides no conformance runner');
  return sdk.runner;
}

/** Where the embedded envelope is said to be: its fixtures are read under `mini/`. */
const MINI_PATH = 'mini/vectors.json';

const isRecordOfStrings = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * The stub SDK a vector describes: each identifier check answers from
 * `answers` (`ok`, a code, or `throw` for an uncoded exception); the SCOR
 * lot functions accept everything.
 */
function stubSdk(answers: Readonly<Record<string, string>>): ConformanceSdk {
  const check = (value: unknown): ConformanceVerdict => {
    const said = typeof value === 'string' && Object.hasOwn(answers, value) ? answers[value] : undefined;
    if (said === undefined || said === 'throw') throw new Error(`stub: no answer for ${String(value).slice(0, 20)}`);
    return said === 'ok' ? { ok: true, issues: [] } : { ok: false, issues: [{ code: said }] };
  };
  const form: ConformanceFormSdk = {
    checkNir: check,
    checkFiness: check,
    checkRpps: check,
    checkUcdCode: check,
    checkCcamCode: check,
    checkLppCode: check,
    checkBordereauId: check,
  };
  return { form, scorLot: { packLot: async () => ({ ok: true, issues: [] }), verifyLot: async () => ({ ok: true, issues: [] }) } };
}

/** `tcId:outcome …` of every vector, then `requirement:verdict …` of those the vectors name, sorted. */
function summary(answer: ConformanceRunnerAnswer, named: readonly string[]): string {
  const tests = [...answer.tests].sort((a, b) => a.tcId - b.tcId).map((t) => `${t.tcId}:${t.outcome}`);
  const verdicts = [...named].sort().map((id) => `${id}:${answer.requirements[id]?.verdict ?? 'absent'}`);
  return `${tests.join(' ')} | ${verdicts.join(' ')}`;
}

/**
 * X-3: the runner judges an embedded envelope (`input.envelope`, JSON text)
 * against a stub SDK (`input.answers`), with fixtures `input.fixtures` (name
 * under `mini/` → UTF-8 text). Valid: every requirement the envelope names
 * passes, and the run gives `expected.report`; invalid: the run is refused
 * with `expected.code`, or gives `expected.report` with a requirement not
 * passed.
 */
const judgement: VectorHandler = async (test, { sdk }) => {
  const runner = runnerOf(sdk);
  let json: unknown;
  try {
    json = JSON.parse(field(test.input, 'envelope', isString));
  } catch (e) {
    if (e instanceof Indeterminate) throw e;
    throw new Indeterminate('input.envelope is not JSON text');
  }
  const answers = field(test.input, 'answers', isRecordOfStrings);
  const input = test.input as Record<string, unknown>;
  const given = input['fixtures'] ?? {};
  if (!isRecordOfStrings(given)) throw new Indeterminate('input.fixtures: names to texts expected');
  const fixtures = new Map(Object.entries(given).map(([name, text]) => [`mini/${name}`, new TextEncoder().encode(text)]));
  const readFixture = async (path: string): Promise<Uint8Array> => {
    const bytes = fixtures.get(path);
    if (bytes === undefined) throw new Error(`no fixture ${path.slice(0, 60)}`);
    return bytes;
  };
  let answer: ConformanceRunnerAnswer;
  try {
    answer = await runner.run({ sdk: stubSdk(answers), files: [{ path: MINI_PATH, json }], readFixture });
  } catch (e) {
    if (!isS3404Error(e)) throw e;
    if (typeof test.expected?.['report'] === 'string')
      return { outcome: 'failed', code: e.code, answer: e.code, detail: `expected a report, the runner refused the envelope with ${e.code}` };
    return judgeVerdict(test, false, e.code);
  }
  const named = [...new Set(namedRequirements(json))];
  const said = summary(answer, named);
  const expected = test.expected?.['report'];
  if (typeof expected !== 'string')
    return {
      outcome: 'failed',
      answer: said,
      detail: `the run was not refused${typeof test.expected?.['code'] === 'string' ? ` with ${test.expected['code']}` : ''}: ${said}`.slice(0, 300),
    };
  const allPassed = named.every((id) => answer.requirements[id]?.verdict === 'passed');
  if (said !== expected) return { outcome: 'failed', answer: said, detail: `expected ${expected}, the runner gave ${said}`.slice(0, 400) };
  if (allPassed !== (test.result === 'valid')) return { outcome: 'failed', answer: said, detail: 'the verdicts contradict the vector’s result' };
  return { outcome: 'passed', answer: said };
};

/** The requirement ids the embedded envelope's vectors name. */
function namedRequirements(json: unknown): string[] {
  const groups = (json as { testGroups?: { tests?: { requirements?: unknown }[] }[] }).testGroups ?? [];
  return groups.flatMap((g) => (g.tests ?? []).flatMap((t) => (Array.isArray(t.requirements) ? t.requirements.filter(isString) : [])));
}

/** The runner's own handlers, by group `type` (X-3). */
export const RUNNER_HANDLERS = { 'runner-judgement': judgement } as const;

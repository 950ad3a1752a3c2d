import { isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import { field, Indeterminate, isInteger, isString } from './indeterminate.js';
import { judgeVerdict } from './judge.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** AUD-1, AUD-2: a trace (fixture) verified against trust anchors (fixtures), judged by verdict, code and damage kind. */
const auditChain: VectorHandler = async (test, context) => {
  const sdk = context.sdk.auditChain;
  if (sdk === undefined) throw new Indeterminate('the SDK under test provides no auditChain functions');
  const lines = await context.bytes(field(test.input, 'trace', isObject));
  const anchors = field(test.input, 'trustAnchors', Array.isArray);
  const trustAnchors: Uint8Array[] = [];
  for (const a of anchors) trustAnchors.push(await context.bytes(a));
  const input = test.input as Record<string, unknown>;
  let at: Date | undefined;
  if (input['verifiedAt'] !== undefined) {
    at = new Date(field(input, 'verifiedAt', isString));
    if (Number.isNaN(at.getTime())) throw new Indeterminate('input.verifiedAt is not an instant');
  }
  let expect: { seq: number; hash: string } | undefined;
  if (input['expect'] !== undefined) {
    const e = field(input, 'expect', isObject);
    expect = { seq: field(e, 'seq', isInteger), hash: field(e, 'hash', isString) };
  }
  let verdict: Awaited<ReturnType<typeof sdk.verifyTrace>>;
  try {
    verdict = await sdk.verifyTrace(lines, { trustAnchors, at, expect });
  } catch (e) {
    // A verifier that throws for a damaged trace breaks the verdict rule (docs/conventions.md §5): a coded refusal at best.
    if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
    throw e;
  }
  const code = verdict.issues[0]?.code;
  const answer = judgeVerdict(test, verdict.ok, code);
  const damage = test.expected?.['damage'];
  if (answer.outcome !== 'passed' || test.result !== 'invalid' || typeof damage !== 'string' || verdict.damage === damage) return answer;
  return {
    outcome: 'failed',
    ...(code === undefined ? {} : { code }),
    detail: `expected the damage ${damage}, the SDK answered ${verdict.damage ?? 'none'}`,
  };
};

/** The audit-trace handlers of the runner, by group `type`. */
export const AUDIT_CHAIN_HANDLERS: Readonly<Record<string, VectorHandler>> = { 'audit-chain': auditChain };

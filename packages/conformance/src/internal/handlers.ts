import { fromHex as parseHex, isS3404Error, toHex } from '@s3404/core';
import type { VectorTest } from '../envelope.js';
import type { HandlerAnswer, HandlerContext, VectorHandler } from '../handler.js';
import type { ConformanceAuditSdk, ConformanceFormSdk, ConformanceScorSdk, ConformanceSdk, ConformanceVerdict } from '../sdk.js';
import { field, Indeterminate, isInteger, isString, isStringArray } from './indeterminate.js';
import { judgeValue, judgeVerdict } from './judge.js';
import { FORM_MODEL_HANDLERS } from './handlers-form-model.js';
import { FORM_FILLABLE_HANDLERS } from './handlers-form-fillable.js';
import { SEAL_HANDLERS } from './handlers-seal.js';
import { CONSUME_HANDLERS } from './handlers-consume.js';
import { PDF_HANDLERS } from './handlers-pdf.js';
import { CAPTURE_HANDLERS } from './handlers-capture.js';
import { AUDIT_CHAIN_HANDLERS } from './handlers-audit.js';
import { AUDIT_EXPORTS_HANDLERS } from './handlers-audit-exports.js';
import { SCOR_LOT_HANDLERS } from './handlers-scor-lot.js';
import { SCOR_PJ_HANDLERS } from './handlers-scor-pj.js';
import { AUDIT_RETENTION_HANDLERS } from './handlers-audit-retention.js';
import { CORE_HANDLERS } from './handlers-core.js';
import { RUNNER_HANDLERS } from './handlers-runner.js';
import { PLUGGABLE_HANDLERS } from './handlers-pluggable.js';

/** Hex of the vector's input, or the vector is indeterminate. */
function fromHex(hex: string): Uint8Array {
  const bytes = parseHex(hex);
  if (bytes === null) throw new Indeterminate(`input: ${hex.slice(0, 20)} is not hex`);
  return bytes;
}

/** A handler that needs one area of the SDK: without it, its vectors are indeterminate. */
function needs<K extends 'form' | 'audit' | 'scor'>(
  area: K,
  run: (test: VectorTest, sdk: NonNullable<ConformanceSdk[K]>, context: HandlerContext) => HandlerAnswer | Promise<HandlerAnswer>,
): VectorHandler {
  return (test, context) => {
    const part = context.sdk[area];
    if (part === undefined) throw new Indeterminate(`the SDK under test provides no ${area} functions`);
    return run(test, part as NonNullable<ConformanceSdk[K]>, context);
  };
}

/** FORM-2, FORM-3: one identifier check, judged as accept / refuse with its code. */
function identifier(call: (form: ConformanceFormSdk, input: unknown) => ConformanceVerdict): VectorHandler {
  return needs('form', (test, form) => {
    let verdict: ConformanceVerdict;
    try {
      verdict = call(form, test.input);
    } catch (e) {
      // A check that throws for data breaks the verdict rule (docs/conventions.md §5): a coded refusal at best.
      if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
      throw e;
    }
    return judgeVerdict(test, verdict.ok, verdict.issues[0]?.code);
  });
}

/** A field of the input as it is: identifier vectors also give wrong types. */
const text = (name: string) => (input: unknown) => (typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[name] : undefined);

/** The leaves' data (`{ "base64": … }` each), hashed by the SDK as RFC 9162 leaves. */
async function leafHashes(test: VectorTest, audit: ConformanceAuditSdk, context: HandlerContext): Promise<Uint8Array[]> {
  const values = typeof test.input === 'object' && test.input !== null ? (test.input as Record<string, unknown>)['leaves'] : undefined;
  if (!Array.isArray(values)) throw new Indeterminate('input.leaves missing');
  const out: Uint8Array[] = [];
  for (const value of values) out.push(audit.merkleLeafHash(await context.bytes(value)));
  return out;
}

/** AUD-2: the tree head over the leaves. */
const merkleRoot = needs('audit', async (test, audit: ConformanceAuditSdk, context) => {
  const leaves = await leafHashes(test, audit, context);
  return judgeValue(test, 'root', toHex(audit.merkleRoot(leaves)), test.expected?.['root']);
});

/** AUD-2: the audit path of leaf `index` in the tree of the first `size` leaves, and it verifies against the expected tree head. */
const merkleInclusion = needs('audit', async (test, audit: ConformanceAuditSdk, context) => {
  const all = await leafHashes(test, audit, context);
  const index = field(test.input, 'index', isInteger);
  const size = field(test.input, 'size', isInteger);
  const leaves = all.slice(0, size);
  const proof = audit.inclusionProof(leaves, index);
  const expectedProof = test.expected?.['proof'];
  const answer = judgeValue(test, 'proof', proof.map((p) => toHex(p)).join(','), isStringArray(expectedProof) ? expectedProof.join(',') : undefined);
  if (answer.outcome !== 'passed' || test.result === 'invalid') return answer;
  const root = test.expected?.['root'];
  const leafHash = leaves[index];
  if (typeof root !== 'string' || leafHash === undefined) return answer;
  return audit.verifyInclusion({ leafHash, index, size, proof, root: fromHex(root) }).ok
    ? answer
    : { outcome: 'failed', detail: "the SDK's verifyInclusion refuses the reference proof against the reference root" };
});

/** SCOR-3: the end of a lot's retry window. */
const retryDeadline = needs('scor', (test, scor: ConformanceScorSdk) => {
  const calendar = field(test.input, 'calendar', (v): v is 'metropolitan' | 'alsace-moselle' => v === 'metropolitan' || v === 'alsace-moselle');
  const first = new Date(field(test.input, 'firstAttempt', isString));
  if (Number.isNaN(first.getTime())) throw new Indeterminate('input.firstAttempt is not an instant');
  const deadline = scor.retryDeadline(first, field(test.input, 'workingDays', isInteger), calendar);
  return judgeValue(test, 'deadline', deadline.toISOString(), test.expected?.['deadline']);
});

/** The handlers of the runner, by group `type`. */
export const BUILTIN_HANDLERS: Readonly<Record<string, VectorHandler>> = {
  nir: identifier((f, i) => f.checkNir(text('nir')(i), text('key')(i))),
  finess: identifier((f, i) => f.checkFiness(text('finess')(i))),
  rpps: identifier((f, i) => f.checkRpps(text('rpps')(i))),
  ucd: identifier((f, i) => f.checkUcdCode(text('ucd')(i))),
  ccam: identifier((f, i) => f.checkCcamCode(text('ccam')(i))),
  lpp: identifier((f, i) => f.checkLppCode(text('lpp')(i))),
  'bordereau-id': identifier((f, i) => f.checkBordereauId(text('id')(i))),
  'merkle-root': merkleRoot,
  'merkle-inclusion': merkleInclusion,
  'retry-deadline': retryDeadline,
  ...FORM_MODEL_HANDLERS,
  ...FORM_FILLABLE_HANDLERS,
  ...SEAL_HANDLERS,
  ...CONSUME_HANDLERS,
  ...PDF_HANDLERS,
  ...CAPTURE_HANDLERS,
  ...AUDIT_CHAIN_HANDLERS,
  ...AUDIT_EXPORTS_HANDLERS,
  ...SCOR_LOT_HANDLERS,
  ...SCOR_PJ_HANDLERS,
  ...AUDIT_RETENTION_HANDLERS,
  ...CORE_HANDLERS,
  ...RUNNER_HANDLERS,
  ...PLUGGABLE_HANDLERS,
};

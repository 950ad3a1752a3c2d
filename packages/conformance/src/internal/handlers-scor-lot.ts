import { isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import type { ConformanceScorLotSdk, ConformanceScorLotVerdict } from '../sdk-scor-lot.js';
import { field, Indeterminate, isString } from './indeterminate.js';
import { judgeVerdict } from './judge.js';

/** The SDK's scor lot functions, or the vector is indeterminate. */
function scorLotOf(sdk: { readonly scorLot?: ConformanceScorLotSdk }): ConformanceScorLotSdk {
  if (sdk.scorLot === undefined) throw new Indeterminate('the SDK under test provides no scor lot functions');
  return sdk.scorLot;
}

/** Runs one call and judges it; a coded throw counts as a refusal (docs/conventions.md §5). */
async function judged(test: Parameters<VectorHandler>[0], call: () => Promise<ConformanceScorLotVerdict>) {
  try {
    const verdict = await call();
    return judgeVerdict(test, verdict.ok, verdict.issues[0]?.code);
  } catch (e) {
    if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
    throw e;
  }
}

/** SCOR-2: a lot description (JSON text: the envelope reserves its `file` keys) packed over the named PJ files at `now`, within `maxLotBytes` when given. */
const lotPack: VectorHandler = async (test, context) => {
  const scorLot = scorLotOf(context.sdk);
  const input = typeof test.input === 'object' && test.input !== null ? (test.input as Record<string, unknown>) : {};
  const text = field(test.input, 'description', isString);
  let description: unknown;
  try {
    description = JSON.parse(text);
  } catch {
    throw new Indeterminate('input.description is not JSON text');
  }
  const given = input['files'];
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new Indeterminate('input.files is not an object');
  const files = new Map<string, Uint8Array>();
  for (const [name, value] of Object.entries(given)) files.set(name, await context.bytes(value));
  const now = new Date(field(test.input, 'now', isString));
  if (Number.isNaN(now.getTime())) throw new Indeterminate('input.now is not an instant');
  const limit = input['maxLotBytes'];
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isSafeInteger(limit))) throw new Indeterminate('input.maxLotBytes is not an integer');
  return judged(test, () => scorLot.packLot(description, { files, at: now, ...(limit === undefined ? {} : { maxLotBytes: limit }) }));
};

/** SCOR-2: a packed container checked back. */
const lotVerify: VectorHandler = async (test, context) => {
  const scorLot = scorLotOf(context.sdk);
  const input = typeof test.input === 'object' && test.input !== null ? (test.input as Record<string, unknown>) : {};
  const container = await context.bytes(input['container']);
  return judged(test, () => scorLot.verifyLot(container));
};

/** The SCOR lot handlers, by group `type`. */
export const SCOR_LOT_HANDLERS = { 'lot-pack': lotPack, 'lot-verify': lotVerify } as const;

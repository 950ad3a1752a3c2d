import { fromBase64, isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import type { ConformanceConsumer, ConformanceConsumeSdk, ConformanceConsumeTarget, ConformanceSealerPolicy } from '../sdk-consume.js';
import { Indeterminate, isString } from './indeterminate.js';
import { judgeVerdict } from './judge.js';

const PEM = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

/** A trust anchor's bytes as DER: a PEM certificate fixture is decoded, DER is taken as it is. */
function der(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x2d) return bytes;
  const m = PEM.exec(String.fromCharCode(...bytes.subarray(0, 65_536)));
  const decoded = m?.[1] === undefined ? null : fromBase64(m[1].replace(/\s+/g, ''));
  if (decoded === null || decoded === undefined) throw new Indeterminate('input.trustAnchors: a PEM file without a certificate');
  return decoded;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function instant(value: unknown, where: string): Date {
  const d = isString(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime())) throw new Indeterminate(`${where} is not an instant`);
  return d;
}

/** The consume target of a step, checked for shape only (the SDK judges the values). */
function target(value: unknown, where: string): ConformanceConsumeTarget {
  if (!isObject(value)) throw new Indeterminate(`${where}.target missing`);
  if (Array.isArray(value['dayBordereaux'])) {
    const list = value['dayBordereaux'].map((b) => {
      if (!isObject(b) || !isString(b['bordereauId']) || !isString(b['contentHash'])) throw new Indeterminate(`${where}.target.dayBordereaux malformed`);
      return { bordereauId: b['bordereauId'], contentHash: b['contentHash'] };
    });
    if (!isString(value['day'])) throw new Indeterminate(`${where}.target.day missing`);
    return { day: value['day'], dayBordereaux: list, ...(isString(value['finess']) ? { finess: value['finess'] } : {}) };
  }
  if (!isString(value['bordereauId']) || !isString(value['contentHash'])) throw new Indeterminate(`${where}.target: bordereauId and contentHash required`);
  const line = value['line'];
  if (line !== undefined && !Number.isSafeInteger(line)) throw new Indeterminate(`${where}.target.line is not an integer`);
  return { bordereauId: value['bordereauId'], contentHash: value['contentHash'], ...(line === undefined ? {} : { line: line as number }) };
}

/** What one step answered: a status, or the code of a coded refusal. */
type StepAnswer = { readonly status: string } | { readonly code: string };

const describe = (a: StepAnswer | Record<string, unknown>): string =>
  'code' in a && isString(a['code']) ? String(a['code']) : 'status' in a && isString(a['status']) ? String(a['status']) : JSON.stringify(a);

/**
 * SIG-4, SIG-5, SIG-6, SIG-10: a scenario of deposits, uses and sweeps on a
 * fresh store, the consumer's clock set by each step (`at`, else the
 * scenario's `start`); each step's status or code compared with
 * `expected.steps` in order.
 */
const consumeScenario: VectorHandler = async (test, context) => {
  const sdk: ConformanceConsumeSdk | undefined = context.sdk.consume;
  if (sdk === undefined) throw new Indeterminate('the SDK under test provides no consume functions');
  const input = test.input;
  if (!isObject(input)) throw new Indeterminate('input is not an object');
  const anchors = input['trustAnchors'];
  if (!Array.isArray(anchors) || anchors.length === 0) throw new Indeterminate('input.trustAnchors missing');
  const trustAnchors: Uint8Array[] = [];
  for (const a of anchors) trustAnchors.push(der(await context.bytes(a)));
  const recordsIn = input['records'];
  if (!isObject(recordsIn)) throw new Indeterminate('input.records missing');
  const records = new Map<string, Uint8Array>();
  for (const [name, ref] of Object.entries(recordsIn)) records.set(name, await context.bytes(ref));
  const steps = input['steps'];
  const expectedSteps = test.expected?.['steps'];
  if (!Array.isArray(steps) || steps.length === 0) throw new Indeterminate('input.steps missing');
  if (!Array.isArray(expectedSteps) || expectedSteps.length !== steps.length) throw new Indeterminate('expected.steps must give one outcome per step');
  const clock = { now: instant(input['start'], 'input.start') };
  const ttl = input['ttlSeconds'];
  if (ttl !== undefined && !Number.isSafeInteger(ttl)) throw new Indeterminate('input.ttlSeconds is not an integer');
  const store = await sdk.createStore();
  const consumer: ConformanceConsumer = sdk.createConsumer({
    store,
    trustAnchors,
    now: () => clock.now,
    ...(ttl === undefined ? {} : { ttlSeconds: ttl as number }),
  });
  const handles = new Map<string, string>();
  const bytesOf = (name: unknown, where: string): Uint8Array => {
    const b = isString(name) ? records.get(name) : undefined;
    if (b === undefined) throw new Indeterminate(`${where}.record names no record of input.records`);
    return b;
  };
  let last: StepAnswer | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step: unknown = steps[i];
    const where = `input.steps[${i}]`;
    if (!isObject(step)) throw new Indeterminate(`${where} is not an object`);
    if (step['at'] !== undefined) clock.now = instant(step['at'], `${where}.at`);
    let answer: StepAnswer;
    try {
      if (step['op'] === 'deposit') {
        const d = await consumer.deposit({ bytes: bytesOf(step['record'], where) });
        handles.set(String(step['record']), d.handle);
        answer = { status: 'deposited' };
      } else if (step['op'] === 'consume') {
        let source: { bytes: Uint8Array } | { handle: string };
        if (step['by'] === 'handle') {
          const h = handles.get(String(step['record']));
          if (h === undefined) throw new Indeterminate(`${where}: no handle, the record was not deposited`);
          source = { handle: h };
        } else source = { bytes: bytesOf(step['record'], where) };
        if (!isString(step['requestId'])) throw new Indeterminate(`${where}.requestId missing`);
        const r = await consumer.consume(source, { target: target(step['target'], where), requestId: step['requestId'] });
        answer = { status: r.status };
      } else if (step['op'] === 'sweep') {
        await consumer.sweep();
        answer = { status: 'swept' };
      } else throw new Indeterminate(`${where}.op is not deposit, consume or sweep`);
    } catch (e) {
      if (e instanceof Indeterminate) throw e;
      // A refusal must be coded (docs/conventions.md): an uncoded error fails the step.
      if (!isS3404Error(e)) return { outcome: 'failed', detail: `step ${i + 1}: uncoded error ${e instanceof Error ? e.name : typeof e}` };
      answer = { code: e.code };
    }
    const want: unknown = expectedSteps[i];
    if (!isObject(want)) throw new Indeterminate(`expected.steps[${i}] is not an object`);
    const same = isString(want['code']) ? 'code' in answer && answer.code === want['code'] : 'status' in answer && answer.status === want['status'];
    if (!same)
      return {
        outcome: 'failed',
        ...('code' in answer ? { code: answer.code } : {}),
        detail: `step ${i + 1} (${String(step['op'])}): expected ${describe(want)}, the SDK answered ${describe(answer)}`,
      };
    last = answer;
  }
  return { outcome: 'passed', ...(last !== undefined && 'code' in last ? { code: last.code } : {}) };
};

const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

/** The sealer's policy of the input, checked for shape only (the SDK judges the values). */
function policyOf(value: unknown, now: () => Date): ConformanceSealerPolicy {
  if (!isObject(value)) throw new Indeterminate('input.policy missing');
  const { staff, mandates, proofAgreements, establishment, insuredTerminals } = value;
  if (!isArray(staff) || !staff.every(isObject)) throw new Indeterminate('input.policy.staff missing');
  if (!isArray(mandates) || !mandates.every(isObject)) throw new Indeterminate('input.policy.mandates missing');
  if (!isArray(proofAgreements) || !proofAgreements.every(isObject)) throw new Indeterminate('input.policy.proofAgreements missing');
  if (!isObject(establishment) || !isString(establishment['finess'])) throw new Indeterminate('input.policy.establishment.finess missing');
  if (insuredTerminals !== undefined && !(isArray(insuredTerminals) && insuredTerminals.every(isString)))
    throw new Indeterminate('input.policy.insuredTerminals is not a list of strings');
  return {
    staff: staff as unknown as ConformanceSealerPolicy['staff'],
    mandates: mandates as unknown as ConformanceSealerPolicy['mandates'],
    proofAgreements: proofAgreements as unknown as ConformanceSealerPolicy['proofAgreements'],
    establishment: { finess: establishment['finess'] },
    ...(insuredTerminals === undefined ? {} : { insuredTerminals }),
    now,
  };
}

/**
 * SIG-7, SIG-8, SIG-9: a sealer with the input's policy opens a context for the
 * capture described (`request`) at `at`, then seals the capture (`image`,
 * `capturedAt`); accepted, or refused with its code at either step.
 */
const sealPolicy: VectorHandler = async (test, context) => {
  const createSealer = context.sdk.consume?.createSealer;
  if (createSealer === undefined) throw new Indeterminate('the SDK under test provides no sealer for the policy vectors');
  const input = test.input;
  if (!isObject(input)) throw new Indeterminate('input is not an object');
  const clock = { now: instant(input['at'], 'input.at') };
  const capturedAt = instant(input['capturedAt'], 'input.capturedAt');
  const request = input['request'];
  if (!isObject(request) || !isObject(request['scope']) || !isString(request['role']) || !isString(request['terminalId']) || !isObject(request['signer']))
    throw new Indeterminate('input.request: scope, role, signer and terminalId required');
  const signer = request['signer'];
  if (!isString(signer['id']) || !isString(signer['name']) || (signer['rpps'] !== undefined && !isString(signer['rpps'])))
    throw new Indeterminate('input.request.signer: id and name required');
  const mandate = request['mandate'];
  if (mandate !== undefined && !(isObject(mandate) && isString(mandate['reference']))) throw new Indeterminate('input.request.mandate malformed');
  const image = await context.bytes(input['image']);
  const policy = policyOf(input['policy'], () => clock.now);
  try {
    const sealer = await createSealer(policy);
    const opened = await sealer.openContext({
      scope: request['scope'],
      role: request['role'],
      signer: { id: signer['id'], name: signer['name'], ...(isString(signer['rpps']) ? { rpps: signer['rpps'] } : {}) },
      terminalId: request['terminalId'],
      ...(mandate === undefined ? {} : { mandate: { reference: String(mandate['reference']) } }),
    });
    clock.now = capturedAt;
    await sealer.seal(opened, { image, capturedAt });
    return judgeVerdict(test, true, undefined);
  } catch (e) {
    if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
    throw e;
  }
};

/** The consume handlers, by group `type`. */
export const CONSUME_HANDLERS = { 'consume-scenario': consumeScenario, 'seal-policy': sealPolicy } as const;

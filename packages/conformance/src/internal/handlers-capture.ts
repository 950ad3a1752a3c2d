import { isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import type { ConformanceCaptureSdk } from '../sdk-capture.js';
import { field, Indeterminate, isString } from './indeterminate.js';
import { judgeVerdict } from './judge.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
/** A deep copy of JSON data (the vector's inputs are JSON): the SDK may change what it is given. */
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** An instant of the input, or the vector is indeterminate. */
function instant(input: unknown, name: string): Date {
  const d = new Date(field(input, name, isString));
  if (Number.isNaN(d.getTime())) throw new Indeterminate(`input.${name} is not an instant`);
  return d;
}

/** The numeric capture limits of the input, when given. */
function limitsOf(input: Json): Record<string, number> | undefined {
  const value = input['limits'];
  if (value === undefined) return undefined;
  if (!isObject(value) || !Object.values(value).every((v) => Number.isSafeInteger(v))) throw new Indeterminate('input.limits: integers only');
  return value as Record<string, number>;
}

/** The vector's capture message, with the token the sealer issued in place of its own when `useIssuedToken` says so. */
function messageOf(input: Json, issued: unknown): unknown {
  const message = clone(input['message']);
  if (!field(input, 'useIssuedToken', isBoolean)) return message;
  const token = isObject(issued) && isObject(issued['context']) ? issued['context']['token'] : undefined;
  if (token === undefined) throw new Indeterminate('the context message the SDK returned has no context.token');
  if (!isObject(message) || !isObject(message['context'])) throw new Indeterminate('input.message.context missing: no token to replace');
  message['context']['token'] = clone(token);
  return message;
}

/**
 * SIG-1, SIG-2, X-2: a context opened at `context.issuedAt` on a fresh sealer, the vector's capture
 * message (with the issued token when `useIssuedToken`) read for the authenticated `terminalId` and
 * sealed at `at`; with `replay`, sealed a first time (it must be accepted) and judged on the second.
 */
const captureSeal: VectorHandler = async (test, context) => {
  const capture: ConformanceCaptureSdk | undefined = context.sdk.capture;
  if (capture === undefined) throw new Indeterminate('the SDK under test provides no capture functions');
  if (!isObject(test.input)) throw new Indeterminate('input is not an object');
  const input = test.input;
  const request = input['context'];
  if (!isObject(request)) throw new Indeterminate('input.context missing');
  const clock = { now: instant(request, 'issuedAt') };
  const at = instant(input, 'at');
  const terminalId = field(input, 'terminalId', isString);
  const replay = input['replay'] === undefined ? false : field(input, 'replay', isBoolean);
  const limits = limitsOf(input);
  const session = await capture.openSession({
    now: () => clock.now,
    ...(limits === undefined ? {} : { limits }),
    ...(input['policy'] === undefined ? {} : { policy: clone(input['policy']) }),
  });
  const { issuedAt: _issuedAt, ...openRequest } = request;
  let issued: unknown;
  try {
    issued = await session.openContext(clone(openRequest));
  } catch (e) {
    if (isS3404Error(e)) return { outcome: 'failed', code: e.code, detail: `the SDK refused to open the vector's context (${e.code})` };
    throw e;
  }
  const message = messageOf(input, issued);
  clock.now = at;
  try {
    if (replay) {
      const first = await session.seal(clone(message), { terminalId });
      const refused = first.issues[0]?.code;
      if (!first.ok)
        return {
          outcome: 'failed',
          ...(refused === undefined ? {} : { code: refused }),
          detail: `the first capture, before its replay, was refused (${refused ?? 'no code'})`,
        };
    }
    const verdict = await session.seal(message, { terminalId });
    return judgeVerdict(test, verdict.ok, verdict.issues[0]?.code);
  } catch (e) {
    // A sealer that throws for a bad capture is a coded refusal (docs/capture.md, « Errors »).
    if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
    throw e;
  }
};

/** The capture handlers, by group `type`. */
export const CAPTURE_HANDLERS = { 'capture-seal': captureSeal } as const;

import { fromBase64, isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import type { ConformanceSealSdk } from '../sdk-seal.js';
import { field, Indeterminate, isString } from './indeterminate.js';
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

/** The `expect` of the input: bordereau identifier and content hash, strings when present. */
function expectOf(input: unknown): { bordereauId?: string; contentHash?: string } | undefined {
  const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)['expect'] : undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new Indeterminate('input.expect is not an object');
  const { bordereauId, contentHash } = value as Record<string, unknown>;
  if ((bordereauId !== undefined && !isString(bordereauId)) || (contentHash !== undefined && !isString(contentHash)))
    throw new Indeterminate('input.expect: bordereauId and contentHash must be strings');
  return { ...(bordereauId === undefined ? {} : { bordereauId }), ...(contentHash === undefined ? {} : { contentHash }) };
}

/** SIG-2, SIG-3, SIG-4: a sealed record verified against the trust anchors at `at`, bound to `expect` when given. */
const recordVerify: VectorHandler = async (test, context) => {
  const seal: ConformanceSealSdk | undefined = context.sdk.seal;
  if (seal === undefined) throw new Indeterminate('the SDK under test provides no seal functions');
  const input = test.input as Record<string, unknown> | null;
  const anchors = typeof input === 'object' && input !== null ? input['trustAnchors'] : undefined;
  if (!Array.isArray(anchors) || anchors.length === 0) throw new Indeterminate('input.trustAnchors missing');
  const trustAnchors: Uint8Array[] = [];
  for (const a of anchors) trustAnchors.push(der(await context.bytes(a)));
  const at = new Date(field(test.input, 'at', isString));
  if (Number.isNaN(at.getTime())) throw new Indeterminate('input.at is not an instant');
  const bytes = await context.bytes(input?.['record']);
  const expect = expectOf(test.input);
  try {
    const verdict = await seal.verifyRecord(bytes, { trustAnchors, at, ...(expect === undefined ? {} : { expect }) });
    return judgeVerdict(test, verdict.ok, verdict.issues[0]?.code);
  } catch (e) {
    // A verifier that throws for a bad record breaks the verdict rule (docs/seal.md): a coded refusal at best.
    if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
    throw e;
  }
};

/** The seal handlers, by group `type`. */
export const SEAL_HANDLERS = { 'record-verify': recordVerify } as const;

import { isS3404Error } from '@s3404/core';
import type { VectorHandler } from '../handler.js';
import { Indeterminate } from './indeterminate.js';
import { judgeVerdict } from './judge.js';

/**
 * AUD-4: an export (manifest, detached signature, data files) verified against trust anchors;
 * valid wants `ok`, invalid a refusal with `expected.code` among the issues' codes when given.
 */
const exportVerify: VectorHandler = async (test, context) => {
  const exportsSdk = context.sdk.auditExports;
  if (exportsSdk === undefined) throw new Indeterminate('the SDK under test provides no auditExports functions');
  const input = test.input as Record<string, unknown> | null;
  if (typeof input !== 'object' || input === null) throw new Indeterminate('input missing');
  const anchors = input['trustAnchors'];
  const files = input['files'];
  if (!Array.isArray(anchors) || anchors.length === 0) throw new Indeterminate('input.trustAnchors missing');
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw new Indeterminate('input.files missing');
  const trustAnchors: Uint8Array[] = [];
  for (const a of anchors) trustAnchors.push(await context.bytes(a));
  const data: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(files)) data[name] = await context.bytes(value);
  const manifestBytes = await context.bytes(input['manifest']);
  const signature = input['signature'] === undefined ? undefined : await context.bytes(input['signature']);
  let verdict: { readonly ok: boolean; readonly issues: readonly { readonly code: string }[] };
  try {
    verdict = await exportsSdk.verifyExport({ manifestBytes, signature, files: data, trustAnchors });
  } catch (e) {
    if (!isS3404Error(e)) throw e;
    verdict = { ok: false, issues: [{ code: e.code }] };
  }
  const codes = verdict.issues.map((i) => i.code);
  const want = test.expected?.['code'];
  return judgeVerdict(test, verdict.ok, typeof want === 'string' && codes.includes(want) ? want : codes[0]);
};

/** The handlers of the trace exports (AUD-4), by group `type`. */
export const AUDIT_EXPORTS_HANDLERS: Readonly<Record<string, VectorHandler>> = {
  'export-verify': exportVerify,
};

import { fromBase64, isS3404Error } from '@s3404/core';
import type { VectorTest } from '../envelope.js';
import type { HandlerAnswer, VectorHandler } from '../handler.js';
import type { ConformancePdfSdk } from '../sdk-pdf.js';
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

function pdfSdk(sdk: { readonly pdf?: ConformancePdfSdk }): ConformancePdfSdk {
  if (sdk.pdf === undefined) throw new Indeterminate('the SDK under test provides no PDF functions');
  return sdk.pdf;
}

const STATUSES = new Set(['passed', 'failed', 'indeterminate']);

/**
 * Compares `verifyPdfSeal`'s verdict with the vector's (SIG-3, SIG-4): the status first, then the
 * sub-indication of the first signature that did not pass, then the expected code among the issues'.
 */
function judgeSeal(test: VectorTest, verdict: { status: string; codes: readonly string[]; subIndication?: string | undefined }): HandlerAnswer {
  const expected = test.expected ?? {};
  const status = expected['status'];
  if (typeof status !== 'string' || !STATUSES.has(status)) return { outcome: 'indeterminate', detail: 'expected.status missing' };
  const code = typeof expected['code'] === 'string' && verdict.codes.includes(expected['code']) ? expected['code'] : verdict.codes[0];
  const withCode = code === undefined ? {} : { code };
  if (verdict.status !== status) return { outcome: 'failed', ...withCode, detail: `expected ${status}, the SDK answered ${verdict.status}` };
  const sub = expected['subIndication'];
  if (typeof sub === 'string' && verdict.subIndication !== sub)
    return { outcome: 'failed', ...withCode, detail: `expected the sub-indication ${sub}, the SDK answered ${verdict.subIndication ?? 'none'}` };
  return judgeVerdict(test, status === 'passed', code);
}

/** SIG-3, SIG-4: a PAdES-sealed bordereau verified against the trust anchors at `at`. */
const pdfSealVerify: VectorHandler = async (test, context) => {
  const pdf = pdfSdk(context.sdk);
  const input = test.input as Record<string, unknown> | null;
  const anchors = typeof input === 'object' && input !== null ? input['trustAnchors'] : undefined;
  if (!Array.isArray(anchors) || anchors.length === 0) throw new Indeterminate('input.trustAnchors missing');
  const trustAnchors: Uint8Array[] = [];
  for (const a of anchors) trustAnchors.push(der(await context.bytes(a)));
  const at = new Date(field(test.input, 'at', isString));
  if (Number.isNaN(at.getTime())) throw new Indeterminate('input.at is not an instant');
  const bytes = await context.bytes(input?.['pdf']);
  try {
    const v = await pdf.verifyPdfSeal(bytes, { trustAnchors, now: () => at });
    return judgeSeal(test, {
      status: v.status,
      codes: v.issues.map((i) => i.code),
      subIndication: v.signatures.find((s) => s.status !== 'passed')?.subIndication,
    });
  } catch (e) {
    // A verifier that throws for a bad PDF breaks the verdict rule (docs/pades.md): a coded failure at best.
    if (isS3404Error(e)) return judgeSeal(test, { status: 'failed', codes: [e.code] });
    throw e;
  }
};

/** FORM-4, FORM-6, FORM-7: a bordereau PDF is what the SDK renders and signs, bound to `contentHash` when given. */
const bordereauPdfVerify: VectorHandler = async (test, context) => {
  const pdf = pdfSdk(context.sdk);
  const input = test.input as Record<string, unknown> | null;
  const contentHash = typeof input === 'object' && input !== null ? input['contentHash'] : undefined;
  if (contentHash !== undefined && !isString(contentHash)) throw new Indeterminate('input.contentHash is not a string');
  const bytes = await context.bytes(input?.['pdf']);
  const expectedCode = typeof test.expected?.['code'] === 'string' ? test.expected['code'] : undefined;
  try {
    const v = await pdf.verifyBordereauPdf(bytes, contentHash === undefined ? {} : { contentHash });
    const codes = v.issues.map((i) => i.code);
    return judgeVerdict(test, v.ok, expectedCode !== undefined && codes.includes(expectedCode) ? expectedCode : codes[0]);
  } catch (e) {
    if (isS3404Error(e)) return judgeVerdict(test, false, e.code);
    throw e;
  }
};

/** The PDF handlers, by group `type`. */
export const PDF_HANDLERS = { 'pdf-seal-verify': pdfSealVerify, 'bordereau-pdf-verify': bordereauPdfVerify } as const;

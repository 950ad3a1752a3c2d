import { isS3404Error } from '@s3404/core';
import type { ConformanceSdk } from '../sdk.js';
import type { TestOutcome } from '../report.js';

/** What one check of an artifact answered (X-3). */
export interface CheckAnswer {
  readonly outcome: TestOutcome;
  readonly code?: string | undefined;
  readonly detail?: string | undefined;
  /** The requirements the answer is about, when narrower than the check's (a failure names the one it breaks). */
  readonly requirements?: readonly string[];
  /** The file the failure is in, when it is not the artifact checked (an export's data file, a trace's witness). */
  readonly blame?: string | undefined;
}

/** One check to run on an artifact (X-3). */
export interface ArtifactCheck {
  /** The check's name in the report (`type`). */
  readonly type: string;
  readonly requirements: readonly string[];
  /** What it checks, for a reader of the report. */
  readonly comment: string;
  readonly run: () => Promise<CheckAnswer>;
}

/** What every check is given: the SDK, the trust anchors (DER) and the checking time. */
export interface CheckContext {
  readonly sdk: ConformanceSdk;
  readonly trustAnchors: readonly Uint8Array[];
  readonly at: Date;
}

const indeterminate = (detail: string): CheckAnswer => ({ outcome: 'indeterminate', detail });
const NO_ANCHOR = 'no trust anchor given (--trust CA.pem)';

/** A verifier that throws: a coded error is a refusal with its code, anything else an uncoded failure (X-3). */
export async function guarded(run: () => Promise<CheckAnswer>): Promise<CheckAnswer> {
  try {
    return await run();
  } catch (e) {
    if (isS3404Error(e)) return { outcome: 'failed', code: e.code, detail: e.message.slice(0, 300) };
    return { outcome: 'failed', detail: `uncoded exception: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 300) };
  }
}

/** Codes of `verifyBordereauPdf` about the revisions that follow the rendering: judged under SIG-5, not FORM. */
const REVISION_CODES = new Set(['ERR_PDF_MODIFIED']);
/** Codes about revision 1 and its content: judged under FORM, not SIG-5 (a bad structure fails both). */
const RENDERING_CODES = new Set(['ERR_PDF_NOT_AUTHENTIC', 'ERR_PDF_CONTENT_MISMATCH']);

/**
 * A bordereau PDF (FORM-4, FORM-6, FORM-7, SIG-5, SIG-3): revision 1 is the
 * SDK's rendering and its signature revisions are the SDK's (as
 * `verifyBordereauPdf` judges); the revisions that follow are PAdES seals
 * only (`checkBordereauRevisions`); the PAdES seal, when it carries one,
 * verifies against the trust anchors.
 */
export function bordereauPdfChecks(pdf: Uint8Array, context: CheckContext): ArtifactCheck[] {
  const { sdk, trustAnchors, at } = context;
  return [
    {
      type: 'bordereau-pdf',
      requirements: ['FORM-4', 'FORM-6', 'FORM-7'],
      comment: 'revision 1 renders again to the same bytes from the content it declares; every signature revision is the SDK’s',
      run: async () => {
        if (sdk.pdf === undefined) return indeterminate('the SDK under test provides no PDF functions');
        const v = await sdk.pdf.verifyBordereauPdf(pdf, {});
        const codes = v.issues.map((i) => i.code).filter((c) => !REVISION_CODES.has(c));
        return codes.length === 0 ? { outcome: 'passed' } : { outcome: 'failed', code: codes[0], detail: `verifyBordereauPdf: ${codes.join(', ')}` };
      },
    },
    {
      type: 'bordereau-revisions',
      requirements: ['SIG-5'],
      comment: 'after the rendering and the SDK’s signature revisions, PAdES seals and their validation data only',
      run: async () => {
        const check = sdk.pdf?.checkBordereauRevisions;
        if (check === undefined) return indeterminate('the SDK under test provides no checkBordereauRevisions');
        const problems = (await check(pdf)).issues.filter((p) => !RENDERING_CODES.has(p.code));
        if (problems.length === 0) return { outcome: 'passed' };
        return { outcome: 'failed', code: problems[0]?.code, detail: (problems[0]?.message ?? problems.map((p) => p.code).join(', ')).slice(0, 300) };
      },
    },
    {
      type: 'pades-seal',
      requirements: ['SIG-3'],
      comment: 'the PAdES seal verifies against the trust anchors, covering the whole file',
      run: async () => {
        if (sdk.pdf === undefined) return indeterminate('the SDK under test provides no PDF functions');
        if (trustAnchors.length === 0) return indeterminate(NO_ANCHOR);
        const v = await sdk.pdf.verifyPdfSeal(pdf, { trustAnchors, now: () => at });
        if (v.status === 'passed' && v.ok) return { outcome: 'passed' };
        const sub = v.signatures.find((s) => s.status !== 'passed');
        const code = v.issues[0]?.code ?? sub?.code ?? sub?.subIndication;
        return {
          outcome: v.status === 'indeterminate' ? 'indeterminate' : 'failed',
          code,
          detail: `verifyPdfSeal: ${v.status}${sub?.subIndication === undefined ? '' : ` (${sub.subIndication})`}`,
        };
      },
    },
  ];
}

/** Whether a PDF carries a PDF signature dictionary: the PAdES check applies only then. */
export function carriesPdfSignature(pdf: Uint8Array): boolean {
  const needle = [0x2f, 0x42, 0x79, 0x74, 0x65, 0x52, 0x61, 0x6e, 0x67, 0x65]; // "/ByteRange"
  outer: for (let i = 0; i + needle.length <= pdf.length; i++) {
    if (pdf[i] !== 0x2f) continue;
    for (let j = 1; j < needle.length; j++) if (pdf[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Codes of the record verifier about the record's content (SIG-2); every other refusal is about its seal (SIG-3). */
const CONTENT_CODES = new Set(['ERR_RECORD_INVALID', 'ERR_IMAGE_NOT_PNG', 'ERR_IMAGE_DIMENSIONS', 'ERR_STROKES_INVALID']);

/** A sealed signature record (SIG-2, SIG-3): the CMS seal verifies against the trust anchors and the record inside is well formed. */
export function sealedRecordChecks(bytes: Uint8Array, context: CheckContext): ArtifactCheck[] {
  const { sdk, trustAnchors, at } = context;
  return [
    {
      type: 'sealed-record',
      requirements: ['SIG-2', 'SIG-3'],
      comment: 'the CMS SignedData verifies against the trust anchors; the record it seals is complete',
      run: async () => {
        if (sdk.seal === undefined) return indeterminate('the SDK under test provides no seal functions');
        if (trustAnchors.length === 0) return indeterminate(NO_ANCHOR);
        const v = await sdk.seal.verifyRecord(bytes, { trustAnchors, at });
        if (v.ok) return { outcome: 'passed' };
        const code = v.issues[0]?.code;
        const requirement = code !== undefined && CONTENT_CODES.has(code) ? 'SIG-2' : 'SIG-3';
        return { outcome: 'failed', code, requirements: [requirement], detail: `verifyRecord refused it${code === undefined ? '' : ` (${code})`}` };
      },
    },
  ];
}

/** A SCOR lot (SCOR-2): the container, its manifest and checksums check back. */
export function scorLotChecks(bytes: Uint8Array, context: CheckContext): ArtifactCheck[] {
  const { sdk } = context;
  return [
    {
      type: 'scor-lot',
      requirements: ['SCOR-2'],
      comment:
        'the lot’s manifest and SHA256SUMS match every PJ; each invoice has its PJ, the signed S3404 first; the manifest’s signature verifies against the trust anchors',
      run: async () => {
        if (sdk.scorLot === undefined) return indeterminate('the SDK under test provides no scor lot functions');
        const v = await sdk.scorLot.verifyLot(bytes, { trustAnchors: context.trustAnchors, at: context.at });
        const code = v.issues[0]?.code;
        if (!v.ok || v.signature === 'invalid')
          return {
            outcome: 'failed',
            code,
            detail: `verifyLot refused it${code === undefined ? '' : ` (${code})`}${v.signature === 'invalid' ? ', its manifest’s signature does not verify' : ''}`,
          };
        // A signed manifest that could not be checked is not a pass.
        if (v.signature === 'unchecked') return indeterminate(NO_ANCHOR);
        return { outcome: 'passed' };
      },
    },
  ];
}

/** The witness `<trace>.checkpoint`: its checkpoint's sequence number and hash, or null when it is not one checkpoint line. */
export function readWitness(bytes: Uint8Array): { readonly seq: number; readonly hash: string } | null {
  if (bytes.length > 1 << 20) return null;
  let event: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!text.endsWith('\n') || text.indexOf('\n') !== text.length - 1) return null;
    event = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof event !== 'object' || event === null) return null;
  const { action, seq, hash } = event as Record<string, unknown>;
  if (action !== 'audit.checkpoint' || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return null;
  return { seq, hash };
}

/**
 * An audit trace (AUD-1, AUD-2): every event complete (author, time,
 * subject, outcome: the strict schema), the chain unbroken, the checkpoints'
 * signatures verified against the trust anchors, and — with its witness
 * `<trace>.checkpoint` — no truncation before the last checkpoint. A
 * failure names AUD-1 for an event that breaks the schema alone, AUD-2
 * otherwise; a witness that is no checkpoint line is blamed on itself.
 */
export function auditTraceChecks(
  lines: Uint8Array,
  witness: { readonly path: string; readonly bytes: Uint8Array } | undefined,
  context: CheckContext,
): ArtifactCheck[] {
  const { sdk, trustAnchors, at } = context;
  return [
    {
      type: 'audit-trace',
      requirements: ['AUD-1', 'AUD-2'],
      comment: 'every event complete, the hash chain unbroken, the checkpoints sealed by a trusted key, no truncation before the witness',
      run: async () => {
        if (sdk.auditChain === undefined) return indeterminate('the SDK under test provides no trace verifier');
        if (trustAnchors.length === 0) return indeterminate(NO_ANCHOR);
        const expect = witness === undefined ? undefined : readWitness(witness.bytes);
        if (witness !== undefined && expect === null)
          return {
            outcome: 'failed',
            code: 'ERR_AUDIT_WITNESS_INVALID',
            requirements: ['AUD-2'],
            blame: witness.path,
            detail: 'the witness is not one checkpoint line',
          };
        const v = await sdk.auditChain.verifyTrace(lines, { trustAnchors, at, ...(expect === undefined || expect === null ? {} : { expect }) });
        if (v.ok) return { outcome: 'passed' };
        const code = v.issues[0]?.code;
        const schemaOnly = code === 'ERR_AUDIT_LINE_INVALID' && v.damage === undefined;
        return {
          outcome: 'failed',
          code,
          requirements: [schemaOnly ? 'AUD-1' : 'AUD-2'],
          detail: `verifyTrace: ${code ?? 'refused'}${v.damage === undefined ? '' : ` (${v.damage})`}`,
        };
      },
    },
  ];
}

/**
 * An audit export (AUD-4): the manifest, its detached signature against the
 * trust anchors and every data file it lists. A failure is blamed on the
 * file the verifier names (a data file, the signature, the manifest).
 */
export function auditExportChecks(
  manifest: { readonly path: string; readonly bytes: Uint8Array },
  signature: { readonly path: string; readonly bytes: Uint8Array } | undefined,
  data: ReadonlyMap<string, { readonly path: string; readonly bytes: Uint8Array }>,
  context: CheckContext,
): ArtifactCheck[] {
  const { sdk, trustAnchors } = context;
  return [
    {
      type: 'audit-export',
      requirements: ['AUD-4'],
      comment: 'the export manifest is sealed by a trusted key and every data file it lists has its size and SHA-256',
      run: async () => {
        if (sdk.auditExports === undefined) return indeterminate('the SDK under test provides no export verifier');
        if (trustAnchors.length === 0) return indeterminate(NO_ANCHOR);
        const files: Record<string, Uint8Array> = {};
        for (const [name, f] of data) files[name] = f.bytes;
        const v = await sdk.auditExports.verifyExport({ manifestBytes: manifest.bytes, signature: signature?.bytes, files, trustAnchors });
        if (v.ok) return { outcome: 'passed' };
        const first = v.issues[0];
        const where = first?.path;
        const blame =
          where?.[0] === 'files' && typeof where[1] === 'string'
            ? data.get(where[1])?.path
            : where?.[0] === 'signature' && signature !== undefined
              ? signature.path
              : undefined;
        return { outcome: 'failed', code: first?.code, blame, detail: `verifyExport: ${v.issues.map((i) => i.code).join(', ')}`.slice(0, 300) };
      },
    },
  ];
}

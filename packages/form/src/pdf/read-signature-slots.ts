import { resolveLocale, type Locale } from '@s3404/core';
import { FormError } from '../errors/form-error.js';
import type { SlotId } from '../signature-slots.js';
import { assertPdfBytes } from './internal/load-pdf.js';
import { readBordereauRevisions, type BordereauRevisions } from './internal/bordereau-revisions.js';
import { openPdfFile, pdfReadFailure } from './revisions.js';

/** One signature slot of a bordereau PDF and whether it is signed yet (FORM-6). @public */
export interface SlotStatus {
  readonly id: SlotId;
  /** The line is signed « pour mandat » (SIG-8). */
  readonly mandate: boolean;
  readonly signed: boolean;
}

/** The signature state of a bordereau PDF (FORM-6, SIG-5). @public */
export interface SignatureSlotsState {
  readonly bordereauId: string;
  /**
   * The content hash the PDF was rendered for (its /PieceInfo `ContentHash`,
   * the one printed on every page): SHA-256 of the bordereau's canonical JSON,
   * 64 lowercase hex digits, as `contentHash()` of `@s3404/form` gives it
   * (FORM-4, SIG-4). Read from the first revision (the rendering), never
   * from a later update; `verifyBordereauPdf` proves that revision is the
   * rendering of that content.
   */
  readonly contentHash: string;
  /** FINESS of the establishment that bills, when the PDF records it (SIG-10). */
  readonly finess?: string;
  readonly slots: readonly SlotStatus[];
  /** Slots still waiting for a signature. */
  readonly missing: readonly SlotId[];
  /** Every required slot (insured, director, each fee line) is signed. */
  readonly complete: boolean;
  /** The SDK's signature revisions, in order: which slot each signed, with which record (SIG-5). */
  readonly signatures: readonly { readonly revision: number; readonly slot: SlotId; readonly recordId?: string; readonly capturedAt: string }[];
  /**
   * Revisions that are not signature revisions of this SDK (a PAdES seal,
   * or an edit made elsewhere), in order. `placeSignature` refuses a PDF
   * that has any (`ERR_PDF_MODIFIED`).
   */
  readonly otherRevisions: readonly { readonly revision: number; readonly detail: string }[];
}

/**
 * Reads which signature slots of an S3404 PDF produced by this package are
 * signed, so a caller can check a slot before using a signature record and
 * know when the whole bordereau is signed (FORM-6); with the bordereau's
 * identifier, content hash and FINESS the PDF was rendered for, which a
 * signature record must be bound to (SIG-4).
 *
 * `import { readSignatureSlots } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const { complete, missing, bordereauId, contentHash } = await readSignatureSlots(pdf)
 * ```
 * @throws FormError `ERR_PDF_UNREADABLE` (kind `input`); `ERR_NOT_S3404_PDF` (kind `verdict`), also when the
 * PDF's content hash is not 64 lowercase hex digits.
 * @public
 */
export async function readSignatureSlots(pdf: Uint8Array, options: { readonly locale?: Locale } = {}): Promise<SignatureSlotsState> {
  const locale = resolveLocale(options.locale);
  assertPdfBytes(pdf, 'readSignatureSlots');
  let state: BordereauRevisions | null;
  try {
    state = readBordereauRevisions(openPdfFile(pdf, locale));
  } catch (e) {
    throw pdfReadFailure(e, locale);
  }
  if (state === null || !/^[0-9a-f]{64}$/.test(state.contentHash)) throw new FormError('ERR_NOT_S3404_PDF', { locale });
  const slots = state.slots.map((s) => ({ id: s.id, mandate: s.mandate, signed: s.signed }));
  const missing = slots.filter((s) => !s.signed).map((s) => s.id);
  return {
    bordereauId: state.bordereauId,
    contentHash: state.contentHash,
    ...(state.finess === undefined ? {} : { finess: state.finess }),
    slots,
    missing,
    complete: missing.length === 0,
    signatures: state.signatures.map((g) => ({
      revision: g.revision,
      slot: g.slot,
      ...(g.recordId === undefined ? {} : { recordId: g.recordId }),
      capturedAt: g.capturedAt.toISOString(),
    })),
    otherRevisions: state.foreign,
  };
}

import { resolveLocale, type Locale } from '@s3404/core';
import type { SlotId } from '../signature-slots.js';
import { assertPdfBytes, loadPdf } from './internal/load-pdf.js';
import { guardPdf } from './internal/guard.js';
import { readPieceInfo } from './internal/slot-data.js';

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
  readonly slots: readonly SlotStatus[];
  /** Slots still waiting for a signature. */
  readonly missing: readonly SlotId[];
  /** Every required slot (insured, director, each fee line) is signed. */
  readonly complete: boolean;
}

/**
 * Reads which signature slots of an S3404 PDF produced by this package are
 * signed, so a caller can check a slot before using a signature record and
 * know when the whole bordereau is signed (FORM-6).
 *
 * `import { readSignatureSlots } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const { complete, missing } = await readSignatureSlots(pdf)
 * ```
 * @throws FormError `ERR_PDF_UNREADABLE` (kind `input`); `ERR_NOT_S3404_PDF` (kind `verdict`).
 * @public
 */
export async function readSignatureSlots(pdf: Uint8Array, options: { readonly locale?: Locale } = {}): Promise<SignatureSlotsState> {
  const locale = resolveLocale(options.locale);
  assertPdfBytes(pdf, 'readSignatureSlots');
  return guardPdf(locale, async () => {
    const info = readPieceInfo(await loadPdf(pdf, locale), locale);
    const slots = info.slots.map((s) => ({ id: s.id, mandate: s.mandate, signed: s.signed }));
    const missing = slots.filter((s) => !s.signed).map((s) => s.id);
    return { bordereauId: info.bordereauId, slots, missing, complete: missing.length === 0 };
  });
}

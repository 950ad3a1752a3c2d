import { bytesEqual } from '@s3404/core';
import { extractPdfRevision, placeSignature, type SignatureSlotsState } from '@s3404/form/pdf';

/**
 * The revision of `signatures` that signs `slot` naming `recordId`, if any:
 * where a use resumed on the PDF its first try saved (a failure after `save`
 * or `commit`: the trace, the store's `complete`) finds its own drawing.
 * Only a candidate: {@link sameDrawing} decides.
 */
export function drawingOf(signatures: SignatureSlotsState['signatures'], slot: string, recordId: string): number | undefined {
  return signatures.find((s) => s.slot === slot && s.recordId === recordId)?.revision;
}

/**
 * Whether revision `revision` of `pdf` is exactly this placement (SIG-5,
 * FORM-6): the bytes that placing it again on the revision before it gives.
 * The placement is deterministic (image, caption, capture time,
 * descriptor): a descriptor naming the record is no proof, and a drawing of
 * another image under its id is not this placement.
 */
export async function sameDrawing(pdf: Uint8Array, revision: number, placement: Parameters<typeof placeSignature>[1]): Promise<boolean> {
  const again = await placeSignature(extractPdfRevision(pdf, revision - 1), placement);
  return bytesEqual(again, extractPdfRevision(pdf, revision));
}

import { resolveLocale, type Locale } from '@s3404/core';
import { placeSignature } from '@s3404/form/pdf';
import type { AlreadyConsumed, ConsumeActor, ConsumeInput, Consumer } from '../consume.js';
import { signaturePlacement, type SignaturePlacement } from '../signature-placement.js';
import { checkSlot } from '../internal/check-slot.js';
import { drawingOf, sameDrawing } from '../internal/drawn-by.js';
import { readPdfBinding } from './pdf-binding.js';

/** Options of {@link applySignature} (SIG-4…SIG-6, FORM-6). @public */
export interface ApplySignatureOptions {
  /** The sealed record: its bytes, or its id in the consumer's pending store. */
  readonly input: ConsumeInput;
  /** The bordereau PDF rendered by `@s3404/form/pdf`, signed or not yet. */
  readonly pdf: Uint8Array;
  /** The caller's idempotency key (see `Consumer.consume`). */
  readonly requestId: string;
  /** The fee line the record must sign, when the caller expects a practitioner's line. */
  readonly line?: number;
  /**
   * Persists the signed PDF before the record is marked used and its pending
   * bytes deleted. A crash before `save` returns leaves the record claimed by
   * this request id, so a retry finishes the job; a `save` that throws gives
   * `ERR_CONSUME_INCOMPLETE`. Give it whenever the PDF must not be lost.
   */
  readonly save?: (pdf: Uint8Array) => void | Promise<void>;
  /** Who applies it, for the trace. Default: the consumer service. */
  readonly actor?: ConsumeActor;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** A signature applied by this call (SIG-5, FORM-6). @public */
export interface AppliedSignature {
  readonly status: 'applied';
  readonly recordId: string;
  readonly bordereauId: string;
  /** The content hash of the PDF the record was bound to and drawn on (SIG-4). */
  readonly contentHash: string;
  readonly slot: SignaturePlacement['slot'];
  /** The PDF with the signature drawn in its slot. */
  readonly pdf: Uint8Array;
  /** Every required slot (insured, director, each fee line) is now signed. */
  readonly complete: boolean;
  /** Slots still waiting for a signature. */
  readonly missing: readonly string[];
  /** True when this call finished what an earlier call with the same request id had claimed. */
  readonly resumed: boolean;
}

/** The result of {@link applySignature}. @public */
export type ApplySignatureResult = AppliedSignature | AlreadyConsumed;

/**
 * Consumes a sealed record and draws it on its bordereau PDF, once (SIG-4,
 * SIG-5, SIG-6, FORM-6). Before anything is consumed it verifies the record
 * (its image decoded completely), checks that it names this PDF's bordereau
 * (and line) with this PDF's content hash — a record signed for other content
 * of the same bordereau is refused with `ERR_RECORD_WRONG_CONTENT`, traced —,
 * that its slot exists and is not signed yet, and places the
 * signature in memory (the slot's page and rectangle checked against the
 * PDF); then it claims the record, saves the PDF (`save`), and only then
 * marks the record used and deletes its pending bytes. A retry with the same
 * request id after completion returns the `already-consumed` outcome.
 *
 * Every error but `ERR_CONSUME_INCOMPLETE` means nothing was consumed. That
 * one (kind `unavailable`) means the claim's answer was lost, or `save`, the
 * trace or the store failed after the claim: call `applySignature` again
 * with the same `requestId` and the same unsigned PDF — or the PDF `save`
 * kept, whose slot then holds exactly this record's drawing, checked byte
 * for byte, and is not drawn again — to finish (within the consumer's
 * `claimGraceSeconds`); any other request id gets `ERR_RECORD_REPLAYED`.
 *
 * `import { applySignature } from '@s3404/seal/apply'`
 *
 * @example
 * ```ts
 * const r = await applySignature(consumer, { input: { recordId }, pdf, requestId, save: (b) => writeFile(path, b) })
 * if (r.status === 'applied' && r.complete) console.log('bordereau signé')
 * ```
 * @throws {@link SealError} `ERR_RECORD_WRONG_CONTENT` (the record was signed for other content of this bordereau),
 * `ERR_RECORD_WRONG_BORDEREAU`, `ERR_SLOT_NOT_AVAILABLE`, every code of `Consumer.consume` (`ERR_IMAGE_UNDECODABLE`…), and
 * `ERR_CONSUME_INCOMPLETE` (`params.requestId`, `params.recordId`) after the claim.
 * @throws `FormError` of `@s3404/form`, before the claim: `ERR_PDF_UNREADABLE`, `ERR_NOT_S3404_PDF`, `ERR_SLOT_INVALID`
 * (the slot's page or rectangle is not in the PDF), `ERR_SIGNATURE_IMAGE_INVALID`.
 * @throws TypeError for malformed options.
 * @public
 */
export async function applySignature(consumer: Consumer, options: ApplySignatureOptions): Promise<ApplySignatureResult> {
  if (options === null || typeof options !== 'object' || !(options.pdf instanceof Uint8Array))
    throw new TypeError('applySignature: options.pdf must be a Uint8Array');
  if (options.save !== undefined && typeof options.save !== 'function') throw new TypeError('applySignature: options.save must be a function');
  const locale = resolveLocale(options.locale);
  const binding = await readPdfBinding(options.pdf, locale);
  const state = binding.slots;
  let placement: SignaturePlacement | undefined;
  let signed: Uint8Array | undefined;
  const result = await consumer.consume(options.input, {
    target: { bordereauId: binding.bordereauId, contentHash: binding.contentHash, ...(options.line === undefined ? {} : { line: options.line }) },
    requestId: options.requestId,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
    // Before the claim, everything that can fail on the data (issue 14 #5): the slot is known and
    // free, and the signature is placed in memory — the image decoded again, the slot's page and
    // rectangle checked against this PDF, the PDF drawn and saved. After the claim only `save` runs.
    check: async (v) => {
      placement = signaturePlacement(v.record, { bordereauId: state.bordereauId, locale });
      try {
        // A use resumed on the PDF its first try saved: the slot holds this record's own drawing, exactly what
        // placing it gives (a descriptor naming the record is no proof). Nothing more is drawn.
        const drawn = drawingOf(state.signatures, placement.slot, v.record.id);
        if (drawn !== undefined && (await sameDrawing(options.pdf, drawn, { ...placement, recordId: v.record.id, locale }))) {
          signed = options.pdf;
          return;
        }
        checkSlot(state, placement.slot, locale);
        signed = await placeSignature(options.pdf, { ...placement, recordId: v.record.id, locale });
      } finally {
        placement.image.fill(0); // drawn (or refused): the decoded image is wiped (SIG-6)
      }
    },
    apply: async () => {
      await options.save?.(signed!);
      return signed!;
    },
  });
  if (result.status === 'already-consumed') return result;
  const slot = placement!.slot;
  const missing = state.missing.filter((s) => s !== slot);
  return {
    status: 'applied',
    recordId: result.recordId,
    bordereauId: state.bordereauId,
    contentHash: binding.contentHash,
    slot,
    pdf: result.applied!,
    complete: missing.length === 0,
    missing,
    resumed: result.resumed,
  };
}

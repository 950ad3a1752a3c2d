import { resolveLocale, type Locale } from '@s3404/core';
import { placeSignature, type SignatureSlotsState } from '@s3404/form/pdf';
import type { AlreadyConsumed, ConsumeActor, ConsumeInput, Consumer } from '../consume.js';
import { signaturePlacement } from '../signature-placement.js';
import { checkSlot } from '../internal/check-slot.js';
import { drawingOf, sameDrawing } from '../internal/drawn-by.js';
import { readPdfBinding, type PdfBinding } from './pdf-binding.js';

/** Options of {@link applyAccountingDay} (SIG-10). @public */
export interface ApplyAccountingDayOptions {
  /** The director's journée comptable record: bytes or pending record id. */
  readonly input: ConsumeInput;
  /** Every bordereau PDF of the day — exactly the set the record was signed for. */
  readonly pdfs: readonly Uint8Array[];
  /** The accounting day `AAAA-MM-JJ` and the establishment's FINESS. */
  readonly day: string;
  readonly finess: string;
  readonly requestId: string;
  /**
   * Persists all the signed PDFs at once, before the record is marked used.
   * If it throws (`ERR_CONSUME_INCOMPLETE`) or the process dies, the record is
   * claimed but not marked used: retry with the same request id.
   */
  readonly save?: (pdfs: readonly Uint8Array[]) => void | Promise<void>;
  /** Who applies it, for the trace. Default: the consumer service. */
  readonly actor?: ConsumeActor;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** The day applied to every bordereau of its set (SIG-10). @public */
export interface AppliedAccountingDay {
  readonly status: 'applied';
  readonly recordId: string;
  /** The signed PDFs, in the order given. */
  readonly pdfs: readonly Uint8Array[];
  readonly bordereaux: readonly {
    readonly bordereauId: string;
    /** The content hash of that PDF, bound by the record (SIG-4). */
    readonly contentHash: string;
    readonly complete: boolean;
    readonly missing: readonly string[];
  }[];
  readonly resumed: boolean;
}

/** The result of {@link applyAccountingDay}. @public */
export type ApplyAccountingDayResult = AppliedAccountingDay | AlreadyConsumed;

/**
 * Applies one journée comptable signature to every bordereau of its day, in
 * one operation (SIG-10): all or nothing, and resumable.
 *
 * - Before the claim: the record verifies (its image decoded completely),
 *   the PDFs are exactly the signed set (same identifiers with the same
 *   content hashes, none missing, none added, none altered — the record's
 *   digest decides: `ERR_RECORD_DAY_SET_MISMATCH`), each director slot is free, and
 *   every PDF is signed in memory (each slot's page and rectangle checked).
 *   Otherwise nothing is consumed.
 * - After the claim, `save` receives all the signed PDFs; only then is the
 *   record marked used and its bytes deleted. If `save` or the store fails,
 *   `ERR_CONSUME_INCOMPLETE` says so (or the process dies): the record stays
 *   claimed by this request id, and the same call with the same request id
 *   finishes the day, on the same unsigned PDFs or on those `save` kept,
 *   whole or in part (a PDF whose director's slot holds exactly this
 *   record's drawing, checked byte for byte, is kept as it is); any other
 *   request id is refused (`ERR_RECORD_REPLAYED`).
 *
 * `import { applyAccountingDay } from '@s3404/seal/apply'`
 *
 * @example
 * ```ts
 * const r = await applyAccountingDay(consumer, { input: { recordId }, pdfs, day: '2026-03-20', finess, requestId, save })
 * ```
 * @throws {@link SealError} `ERR_RECORD_DAY_SET_MISMATCH`, `ERR_RECORD_WRONG_DAY`, `ERR_SLOT_NOT_AVAILABLE`, and the codes of `Consumer.consume`
 * (`ERR_CONSUME_INCOMPLETE` after the claim, with `params.requestId`).
 * @throws `FormError` of `@s3404/form`, before the claim: `ERR_PDF_UNREADABLE`, `ERR_NOT_S3404_PDF`, `ERR_SLOT_INVALID`.
 * @public
 */
export async function applyAccountingDay(consumer: Consumer, options: ApplyAccountingDayOptions): Promise<ApplyAccountingDayResult> {
  if (
    options === null ||
    typeof options !== 'object' ||
    !Array.isArray(options.pdfs) ||
    options.pdfs.length === 0 ||
    !options.pdfs.every((p) => p instanceof Uint8Array)
  ) {
    throw new TypeError('applyAccountingDay: options.pdfs must be a non-empty array of Uint8Array');
  }
  if (options.save !== undefined && typeof options.save !== 'function') throw new TypeError('applyAccountingDay: options.save must be a function');
  const locale = resolveLocale(options.locale);
  const bindings: PdfBinding[] = [];
  for (const pdf of options.pdfs) bindings.push(await readPdfBinding(pdf, locale));
  const states: SignatureSlotsState[] = bindings.map((b) => b.slots);
  let signed: Uint8Array[] = [];
  const result = await consumer.consume(options.input, {
    target: {
      day: options.day,
      finess: options.finess,
      dayBordereaux: bindings.map((b) => ({ bordereauId: b.bordereauId, contentHash: b.contentHash })),
    },
    requestId: options.requestId,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
    // Before the claim, every bordereau of the day is signed in memory (issue 14 #5): a slot off
    // its page or an image that does not decode refuses the day with nothing consumed.
    check: async (v) => {
      // A bordereau whose director's slot already holds this record's own drawing (a use resumed on the PDFs its
      // first try saved) stays as it is; any other signed slot refuses the day.
      const done: boolean[] = [];
      for (const [i, s] of states.entries()) {
        const drawn = drawingOf(s.signatures, 'director', v.record.id);
        let same = false;
        if (drawn !== undefined) {
          const placement = signaturePlacement(v.record, { bordereauId: s.bordereauId, locale });
          try {
            same = await sameDrawing(options.pdfs[i]!, drawn, { ...placement, recordId: v.record.id, locale });
          } finally {
            placement.image.fill(0);
          }
        }
        if (!same) checkSlot(s, 'director', locale);
        done.push(same);
      }
      signed = [];
      for (const [i, pdf] of options.pdfs.entries()) {
        if (done[i]) {
          signed.push(pdf);
          continue;
        }
        const placement = signaturePlacement(v.record, { bordereauId: states[i]!.bordereauId, locale });
        try {
          signed.push(await placeSignature(pdf, { ...placement, recordId: v.record.id, locale }));
        } finally {
          placement.image.fill(0); // drawn (or refused): the decoded image is wiped (SIG-6)
        }
      }
    },
    apply: async () => {
      await options.save?.(signed);
      return signed;
    },
  });
  if (result.status === 'already-consumed') return result;
  return {
    status: 'applied',
    recordId: result.recordId,
    pdfs: result.applied!,
    bordereaux: states.map((s) => {
      const missing = s.missing.filter((m) => m !== 'director');
      return { bordereauId: s.bordereauId, contentHash: s.contentHash, complete: missing.length === 0, missing };
    }),
    resumed: result.resumed,
  };
}

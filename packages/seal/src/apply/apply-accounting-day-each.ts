import { sha256 as pureSha256 } from '@noble/hashes/sha2.js';
import { resolveLocale, type Locale, builtinSha256 } from '@s3404/core';
import { placeSignature, type SignatureSlotsState } from '@s3404/form/pdf';
import type { ConsumeActor, ConsumeInput, Consumer } from '../consume.js';
import { signaturePlacement } from '../signature-placement.js';
import { checkSlot } from '../internal/check-slot.js';
import { drawingOf, sameDrawing } from '../internal/drawn-by.js';
import { readPdfBinding } from './pdf-binding.js';
import type { ApplyAccountingDayResult, AppliedAccountingDay } from './apply-accounting-day.js';
import { sameBytesConstantTime } from '../internal/same-bytes-constant-time.js';

/** The runtime's native SHA-256 where it has one, else the pure one: the same digests (issue 19). */
const sha256 = builtinSha256() ?? pureSha256;

/** Options of {@link applyAccountingDayEach} (SIG-10, SIG-4…SIG-6, FORM-6). @public */
export interface ApplyAccountingDayEachOptions {
  /** The director's journée comptable record: bytes or pending record id. */
  readonly input: ConsumeInput;
  /** How many bordereaux the day has — exactly the set the record was signed for. */
  readonly count: number;
  /** Reads the `index`-th bordereau PDF of the day (0-based); called twice per PDF, the same bytes each time. */
  readonly read: (index: number) => Uint8Array | Promise<Uint8Array>;
  /**
   * Keeps the `index`-th signed PDF aside (a temporary file, a staging row), before the record is
   * claimed; it must not replace the PDF `read` gives yet. A `stage` that throws refuses the day with
   * nothing consumed.
   */
  readonly stage: (index: number, signed: Uint8Array) => void | Promise<void>;
  /**
   * After the claim: makes every staged PDF the saved one (renames the temporary files…), before the
   * record is marked used. If it throws (`ERR_CONSUME_INCOMPLETE`) or the process dies, the record
   * is claimed but not marked used: retry with the same request id, on the same unsigned PDFs or on
   * those `commit` made the saved ones, whole or in part (a PDF whose director's slot holds exactly
   * this record's drawing, checked byte for byte, is staged as it is).
   */
  readonly commit?: () => void | Promise<void>;
  /** The accounting day `AAAA-MM-JJ` and the establishment's FINESS. */
  readonly day: string;
  readonly finess: string;
  readonly requestId: string;
  /** Who applies it, for the trace. Default: the consumer service. */
  readonly actor?: ConsumeActor;
  /** Language of error messages. Default French; anything but English is French. */
  readonly locale?: Locale;
}

/** What {@link applyAccountingDayEach} applied: as `applyAccountingDay`, without the PDFs (they went to `stage`). @public */
export type AppliedAccountingDayEach = Omit<AppliedAccountingDay, 'pdfs'> & { readonly count: number };

/**
 * `applyAccountingDay` for a day too large to hold in memory (SIG-10,
 * issue 19): the same checks, the same single use and the same resumption,
 * with a few PDFs in memory at a time instead of every PDF of the day twice
 * (the next one is read, and the one before kept aside, while one is signed).
 * Each PDF is read and verified (`read`) to learn the set the record must
 * be bound to; then, before the claim, each is read again, signed and kept
 * aside (`stage`) — a slot off its page or an image that does not decode
 * refuses the day with nothing consumed —; after the claim, `commit` makes
 * the staged PDFs the saved ones, and only then is the record marked used.
 *
 * `import { applyAccountingDayEach } from '@s3404/seal/apply'`
 *
 * @example
 * ```ts
 * const r = await applyAccountingDayEach(consumer, {
 *   input: { recordId }, count: files.length, day: '2026-03-20', finess, requestId,
 *   read: (i) => readFile(files[i]), stage: (i, pdf) => writeFile(`${files[i]}.day`, pdf),
 *   commit: async () => { for (const f of files) await rename(`${f}.day`, f) },
 * })
 * ```
 * @throws the errors of `applyAccountingDay` (`ERR_RECORD_DAY_SET_MISMATCH`, `ERR_SLOT_ALREADY_SIGNED`,
 * `ERR_CONSUME_INCOMPLETE`…), and what `read` or `stage` throw, before the claim.
 * @throws TypeError for malformed options, and when `read` gives other bytes the second time than the first (before anything is consumed).
 * @public
 */
export async function applyAccountingDayEach(
  consumer: Consumer,
  options: ApplyAccountingDayEachOptions,
): Promise<Exclude<ApplyAccountingDayResult, AppliedAccountingDay> | (AppliedAccountingDayEach & { readonly status: 'applied' })> {
  if (options === null || typeof options !== 'object' || !Number.isInteger(options.count) || options.count < 1)
    throw new TypeError('applyAccountingDayEach: options.count must be a whole number of at least 1');
  if (typeof options.read !== 'function' || typeof options.stage !== 'function')
    throw new TypeError('applyAccountingDayEach: options.read and options.stage must be functions');
  if (options.commit !== undefined && typeof options.commit !== 'function') throw new TypeError('applyAccountingDayEach: options.commit must be a function');
  const locale = resolveLocale(options.locale);
  const read = async (i: number): Promise<Uint8Array> => {
    const pdf = await options.read(i);
    if (!(pdf instanceof Uint8Array)) throw new TypeError(`applyAccountingDayEach: read(${i}) must give a Uint8Array`);
    return pdf;
  };
  // What each PDF is (verified: rendered again, its revisions the SDK's), one at a time, and the
  // SHA-256 of the bytes verified: the second read must give exactly them.
  // Only what the day needs of each state is kept (issue 19: a day of 10,000 bordereaux held every slot of every one).
  const states: DayState[] = [];
  const digests: Uint8Array[] = [];
  const first = readAhead(options.count, read);
  for (let i = 0; i < options.count; i++) {
    const pdf = await first.next(i);
    const { bordereauId, contentHash, slots, missing, signatures } = (await readPdfBinding(pdf, locale)).slots;
    states.push({
      bordereauId,
      contentHash,
      slots: slots.filter((s) => s.id === 'director'),
      missing,
      signatures: signatures.filter((s) => s.slot === 'director'),
    });
    digests.push(sha256(pdf));
  }
  const result = await consumer.consume(options.input, {
    target: {
      day: options.day,
      finess: options.finess,
      dayBordereaux: states.map((s) => ({ bordereauId: s.bordereauId, contentHash: s.contentHash })),
    },
    requestId: options.requestId,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
    check: async (v) => {
      // A slot naming this record is checked against its drawing below (a use resumed on the PDFs its first try
      // committed); any other signed slot refuses the day before anything is staged.
      for (const s of states) if (drawingOf(s.signatures, 'director', v.record.id) === undefined) checkSlot(s, 'director', locale);
      const again = readAhead(options.count, read);
      // The PDF before is kept aside while this one is signed (issue 19: the day waits on no file one at a time).
      let staging: Promise<void> = Promise.resolve();
      try {
        for (let i = 0; i < options.count; i++) {
          const pdf = await again.next(i);
          // The bytes read now must be those verified above, byte for byte (a `read` giving other bytes is
          // refused, even of the same bordereau): no second verification, the digest decides.
          if (!sameBytesConstantTime(sha256(pdf), digests[i]!)) throw new TypeError(`applyAccountingDayEach: read(${i}) gave other bytes the second time`);
          const placement = signaturePlacement(v.record, { bordereauId: states[i]!.bordereauId, locale });
          const drawn = drawingOf(states[i]!.signatures, 'director', v.record.id);
          let signed: Uint8Array;
          try {
            // Already this record's own drawing: staged as it is. Else the slot must be free.
            if (drawn !== undefined && (await sameDrawing(pdf, drawn, { ...placement, recordId: v.record.id, locale }))) signed = pdf;
            else {
              checkSlot(states[i]!, 'director', locale);
              signed = await placeSignature(pdf, { ...placement, recordId: v.record.id, locale });
            }
          } finally {
            placement.image.fill(0); // drawn (or refused): the decoded image is wiped (SIG-6)
          }
          await staging;
          staging = (async () => options.stage(i, signed))();
        }
      } catch (e) {
        // Whatever refused the day, no `stage` is left running behind it; the error is the first one met.
        await staging.catch(() => undefined);
        throw e;
      } finally {
        again.stop();
      }
      await staging;
    },
    apply: async () => {
      await options.commit?.();
      return options.count;
    },
  });
  if (result.status === 'already-consumed') return result;
  return {
    status: 'applied',
    recordId: result.recordId,
    count: options.count,
    bordereaux: states.map((s) => {
      const missing = s.missing.filter((m) => m !== 'director');
      return { bordereauId: s.bordereauId, contentHash: s.contentHash, complete: missing.length === 0, missing };
    }),
    resumed: result.resumed,
  };
}

/** What the accounting day keeps of each bordereau's state: its identity, its director's slot and any signature of it, what is missing. */
type DayState = Pick<SignatureSlotsState, 'bordereauId' | 'contentHash' | 'slots' | 'missing' | 'signatures'>;

/**
 * Reads the PDFs of a day in order, the next one read while this one is worked on (issue 19): `next(i)` gives
 * `read(i)`, then starts `read(i + 1)`. A read started ahead whose PDF is never asked for (`stop`, or a failure
 * before it) has its failure ignored. `read` is called once per index, in order, at most one call ahead.
 */
function readAhead(count: number, read: (i: number) => Promise<Uint8Array>): { next(i: number): Promise<Uint8Array>; stop(): void } {
  let ahead: { readonly i: number; readonly pdf: Promise<Uint8Array> } | undefined;
  let stopped = false;
  const start = (i: number): Promise<Uint8Array> => {
    const pdf = read(i);
    pdf.catch(() => undefined); // awaited by `next` when asked for; otherwise dropped without an unhandled rejection
    return pdf;
  };
  return {
    async next(i) {
      const pdf = ahead !== undefined && ahead.i === i ? ahead.pdf : start(i);
      ahead = undefined;
      const bytes = await pdf;
      if (!stopped && i + 1 < count) ahead = { i: i + 1, pdf: start(i + 1) };
      return bytes;
    },
    stop() {
      stopped = true;
      ahead = undefined;
    },
  };
}

import { fromBase64, resolveLocale, type Locale } from '@s3404/core';
import { SealError } from './errors/seal-error.js';
import type { SignatureRecord } from './record-schema.js';

/**
 * How a verified record is drawn on its bordereau (FORM-6, SIG-8, SIG-10):
 * exactly the options of `placeSignature` from `@s3404/form/pdf`.
 *
 * @public
 */
export interface SignaturePlacement {
  readonly slot: 'insured' | 'director' | `line:${number}`;
  readonly image: Uint8Array;
  readonly capturedAt: Date;
  readonly bordereauId: string;
  /** A journée comptable record: caption "jj/mm/aaaa hh:mm journée comptable". */
  readonly accountingDay?: boolean;
  /** A line signed under a mandate: caption « Mandat ». */
  readonly mandate?: boolean;
}

/**
 * The placement of a verified record on one bordereau (FORM-6, SIG-8,
 * SIG-10). For an accounting day, call it once per bordereau of the day.
 * Verify the record first ({@link verifyRecord} with the expected binding):
 * this function only maps a record to a slot.
 *
 * `import { signaturePlacement } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const verdict = await verifier.verify(p7m, { expect: { bordereauId } })
 * if (verdict.ok) pdf = await placeSignature(pdf, signaturePlacement(verdict.record, { bordereauId }))
 * ```
 * @throws {@link SealError} `ERR_RECORD_WRONG_BORDEREAU` when a bordereau or line record names another bordereau.
 * @public
 */
export function signaturePlacement(record: SignatureRecord, options: { readonly bordereauId: string; readonly locale?: Locale }): SignaturePlacement {
  const locale = resolveLocale(options.locale);
  const image = fromBase64(record.image.data);
  if (image === null) throw new SealError('ERR_IMAGE_NOT_PNG', { locale });
  const capturedAt = new Date(record.capturedAt);
  const scope = record.scope;
  if (scope.kind === 'accounting-day') {
    return { slot: 'director', image, capturedAt, bordereauId: options.bordereauId, accountingDay: true };
  }
  if (scope.bordereauId !== options.bordereauId) throw new SealError('ERR_RECORD_WRONG_BORDEREAU', { locale });
  if (scope.kind === 'line') {
    return { slot: `line:${scope.line}`, image, capturedAt, bordereauId: scope.bordereauId, ...(record.mandate === undefined ? {} : { mandate: true }) };
  }
  return { slot: record.role === 'insured' ? 'insured' : 'director', image, capturedAt, bordereauId: scope.bordereauId };
}

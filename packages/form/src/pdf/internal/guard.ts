import { isS3404Error, type Locale } from '@s3404/core';
import { FormError } from '../../errors/form-error.js';

/** The detail of a PDF the engine could not walk (FORM-4, X-2). */
export const BROKEN_STRUCTURE = { fr: 'structure incorrecte', en: 'broken structure' } as const;

/**
 * Runs work on a PDF that came from outside. The engine may fail deep inside
 * on a damaged file (a TypeError, a RangeError from a cyclic structure…):
 * those become `ERR_PDF_UNREADABLE`; the SDK's own coded errors pass
 * through. Callers check their options before, so that a programmer's
 * mistake is never reported as a damaged PDF.
 */
export async function guardPdf<T>(locale: Locale, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    if (isS3404Error(cause)) throw cause;
    throw new FormError('ERR_PDF_UNREADABLE', { params: { detail: BROKEN_STRUCTURE }, locale, cause });
  }
}

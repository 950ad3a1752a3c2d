import { InputError, S3404Error } from '../../errors/s3404-error.js';
import { messageFor } from '../../errors/messages.js';
import type { Locale } from '../../errors/locale.js';

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
    if (cause instanceof S3404Error) throw cause;
    throw new InputError('ERR_PDF_UNREADABLE', messageFor('ERR_PDF_UNREADABLE', { detail: 'structure incorrecte' }, locale), { cause });
  }
}

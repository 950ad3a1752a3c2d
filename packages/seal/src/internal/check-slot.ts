import type { Locale } from '@s3404/core';
import type { SignatureSlotsState } from '@s3404/form/pdf';
import { SealError } from '../errors/seal-error.js';

/** Refuses, before any claim, a slot that is absent or already signed (SIG-5, FORM-6). */
export function checkSlot(state: Pick<SignatureSlotsState, 'bordereauId' | 'slots'>, slot: string, locale: Locale): void {
  const found = state.slots.find((s) => s.id === slot);
  if (found === undefined || found.signed) {
    const detail =
      found === undefined
        ? { fr: `emplacement ${slot} absent`, en: `no slot ${slot}` }
        : { fr: `emplacement ${slot} déjà signé`, en: `slot ${slot} already signed` };
    throw new SealError('ERR_SLOT_NOT_AVAILABLE', { locale, params: { bordereau: state.bordereauId, detail } });
  }
}

import type { Bordereau } from './model/bordereau.js';

/**
 * A signature slot of a bordereau (FORM-1, FORM-6): the insured person's,
 * the director's, or one practitioner fee line's (1-based line number as
 * printed in the « N° » column of the fees table).
 *
 * String form: `insured`, `director`, `line:3`.
 *
 * @public
 */
export type SlotId = 'insured' | 'director' | `line:${number}`;

/** A slot with what the form must show next to it (FORM-1, FORM-6). @public */
export interface SignatureSlot {
  readonly id: SlotId;
  /** Role expected to sign (SIG-2 roles). */
  readonly role: 'assure' | 'directeur' | 'praticien';
  /** The line is signed « pour mandat » (SIG-8). */
  readonly mandate: boolean;
  /** Human label, French. */
  readonly label: string;
}

/**
 * Lists every signature slot a bordereau requires: the insured person, the
 * director, and one per practitioner fee line (FORM-1, FORM-6). A bordereau
 * is complete when each of them carries a signature (or, for the director,
 * when the accounting day is validated).
 *
 * `import { listSignatureSlots } from '@s3404/form'`
 *
 * @public
 */
export function listSignatureSlots(bordereau: Bordereau): SignatureSlot[] {
  const slots: SignatureSlot[] = [
    { id: 'insured', role: 'assure', mandate: false, label: 'Signature de l’assuré(e) ou du bénéficiaire' },
    { id: 'director', role: 'directeur', mandate: false, label: 'Signature du directeur ou de son délégataire' },
  ];
  bordereau.fees.forEach((fee, i) => {
    slots.push({
      id: `line:${i + 1}`,
      role: 'praticien',
      mandate: fee.signature.mandate,
      label: `Signature du praticien, ligne ${i + 1}${fee.signature.mandate ? ' (Mandat)' : ''}`,
    });
  });
  return slots;
}

/** Parses a slot id such as `line:3`; returns `null` when malformed (FORM-6). @public */
export function parseSlotId(text: string): SlotId | null {
  if (text === 'insured' || text === 'director') return text;
  const m = /^line:([1-9]\d{0,3})$/.exec(text);
  return m === null ? null : (`line:${Number(m[1])}` as SlotId);
}

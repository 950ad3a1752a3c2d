import type { RecordSigner, Role } from '@s3404/seal';

/** A signature slot of a served bordereau: `insured`, `director` or `line:N` (FORM-6). @public */
export type ServedSlotId = 'insured' | 'director' | `line:${number}`;

/**
 * Who signs one slot of a served bordereau, and as what (SIG-2, SIG-7,
 * SIG-8): the role, the signer (with the RPPS of a practitioner), and the
 * mandate reference when the line is signed « pour mandat ».
 *
 * @public
 */
export interface ServedSlot {
  readonly id: ServedSlotId;
  readonly role: Role;
  readonly signer: RecordSigner;
  readonly mandate?: { readonly reference: string };
  /** The RPPS of the line's practitioner (line slots). */
  readonly practitionerRpps?: string;
}

/** One bordereau the signing service serves: its current PDF and who signs each slot. @public */
export interface ServedBordereau {
  /** The bordereau identifier (FORM-3). */
  readonly id: string;
  /** The PDF as rendered by `@s3404/form/pdf`, with the signatures already applied. */
  readonly pdf: Uint8Array;
  readonly slots: readonly ServedSlot[];
}

/**
 * Where the signing service finds the bordereaux it offers to sign and keeps
 * their signed PDFs (FORM-6, SIG-5): the vendor's billing system. `save` is
 * awaited before a record is marked used, so a signed PDF is never lost
 * (`applySignature`'s `save`); when several processes write the same PDFs,
 * `exclusive` makes each read-sign-save of one bordereau whole.
 *
 * `import type { BordereauSource } from '@s3404/cli/serve'`
 *
 * @public
 */
export interface BordereauSource {
  /** The identifiers of the bordereaux to offer, in display order. */
  list(): Promise<readonly string[]>;
  /** One bordereau, or `null` when unknown. */
  get(id: string): Promise<ServedBordereau | null>;
  /** Stores the PDF with one more signature. */
  save(id: string, pdf: Uint8Array): Promise<void>;
  /**
   * Runs `fn` — which reads the bordereau (`get`), applies one signature to
   * its PDF and stores it (`save`) — alone among every process that shares
   * this source's PDFs (SIG-5, SIG-6), and returns what `fn` returns.
   * Without it, two processes using two records of one bordereau at once
   * both start from the same PDF and the last `save` drops the other
   * signature, although its record is used. Optional: a source whose PDFs
   * only this process writes needs none (the service already applies one
   * signature at a time per bordereau within a process).
   */
  exclusive?<T>(id: string, fn: () => Promise<T>): Promise<T>;
}

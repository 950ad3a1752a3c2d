import type { LocalizedText } from '@s3404/core';

/**
 * A mandate (SIG-8, CSS R.161-43-1): a practitioner (the mandator) lets
 * another person — the director or a colleague — sign their fee lines. The
 * mandate itself is not transmitted; its reference goes into the record so it
 * can be produced on request.
 *
 * @public
 */
export interface Mandate {
  /** The establishment's reference of the signed mandate, e.g. `MDT-2026-014`. */
  readonly reference: string;
  /** RPPS of the practitioner who delegates. */
  readonly mandatorRpps: string;
  /** Person id (as in `signer.id`) of the person allowed to sign. */
  readonly delegateId: string;
  /** First and last valid days, `AAAA-MM-JJ`, in French time, inclusive. */
  readonly validFrom: string;
  readonly validUntil?: string;
  /** Day of revocation, `AAAA-MM-JJ`; the mandate is void from that day. */
  readonly revokedOn?: string;
}

/**
 * Where mandates are looked up (SIG-8). A vendor plugs in its own store.
 *
 * `import type { MandateRegistry } from '@s3404/seal'`
 *
 * @public
 */
export interface MandateRegistry {
  /** The mandate with this reference, or `null` when there is none. */
  get(reference: string): Mandate | null | Promise<Mandate | null>;
}

/**
 * An in-memory {@link MandateRegistry} (SIG-8).
 *
 * `import { MemoryMandateRegistry } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const mandates = new MemoryMandateRegistry([{ reference: 'MDT-1', mandatorRpps: '10003456786', delegateId: 'dir-1', validFrom: '2026-01-01' }])
 * ```
 * @public
 */
export class MemoryMandateRegistry implements MandateRegistry {
  readonly #byReference = new Map<string, Mandate>();

  constructor(mandates: readonly Mandate[] = []) {
    for (const m of mandates) this.add(m);
  }

  /** Adds or replaces a mandate. */
  add(mandate: Mandate): void {
    if (typeof mandate?.reference !== 'string' || mandate.reference === '') throw new TypeError('mandate.reference is required');
    this.#byReference.set(mandate.reference, { ...mandate });
  }

  /** Revokes a mandate from a day on. */
  revoke(reference: string, day: string): void {
    const m = this.#byReference.get(reference);
    if (m !== undefined) this.#byReference.set(reference, { ...m, revokedOn: day });
  }

  get(reference: string): Mandate | null {
    return this.#byReference.get(reference) ?? null;
  }
}

/** Why a mandate cannot be used on `day` by `delegateId` for `mandatorRpps`, in both languages, or null (SIG-8). */
export function mandateProblem(m: Mandate | null | undefined, q: { delegateId: string; mandatorRpps: string; day: string }): LocalizedText | null {
  if (m === null || m === undefined) return { fr: 'inconnu', en: 'unknown' };
  if (m.mandatorRpps !== q.mandatorRpps) return { fr: 'autre praticien mandant', en: 'another mandator' };
  if (m.delegateId !== q.delegateId) return { fr: 'autre mandataire', en: 'another delegate' };
  if (q.day < m.validFrom) return { fr: 'pas encore valide', en: 'not yet valid' };
  if (m.validUntil !== undefined && q.day > m.validUntil) return { fr: 'expiré', en: 'expired' };
  if (m.revokedOn !== undefined && q.day >= m.revokedOn) return { fr: 'révoqué', en: 'revoked' };
  return null;
}

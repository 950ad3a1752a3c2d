/**
 * A convention de preuve (SIG-9, DMPR §2.7): the agreement between a
 * practitioner and the establishment that a handwritten signature captured
 * on a terminal is evidence of their consent. Template: `docs/convention-de-preuve.md`.
 *
 * @public
 */
export interface ProofAgreement {
  /** The establishment's reference of the signed agreement, e.g. `CDP-2026-003`. */
  readonly reference: string;
  /** RPPS of the practitioner. */
  readonly rpps: string;
  /** FINESS of the establishment. */
  readonly finess: string;
  /** First and last valid days, `AAAA-MM-JJ`, in French time, inclusive. */
  readonly validFrom: string;
  readonly validUntil?: string;
  /** Day the agreement was terminated; void from that day. */
  readonly terminatedOn?: string;
}

/**
 * Where proof agreements are looked up (SIG-9). A vendor plugs in its own store.
 *
 * `import type { ProofAgreementRegistry } from '@s3404/seal'`
 *
 * @public
 */
export interface ProofAgreementRegistry {
  /** The agreements on record for a practitioner, any validity. */
  list(rpps: string): readonly ProofAgreement[] | Promise<readonly ProofAgreement[]>;
}

/**
 * An in-memory {@link ProofAgreementRegistry} (SIG-9).
 *
 * `import { MemoryProofAgreementRegistry } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const proofAgreements = new MemoryProofAgreementRegistry([{ reference: 'CDP-2026-003', rpps: '10003456786', finess: '750300360', validFrom: '2026-01-01' }])
 * ```
 * @public
 */
export class MemoryProofAgreementRegistry implements ProofAgreementRegistry {
  readonly #byRpps = new Map<string, ProofAgreement[]>();

  constructor(agreements: readonly ProofAgreement[] = []) {
    for (const a of agreements) this.add(a);
  }

  /** Records an agreement. */
  add(agreement: ProofAgreement): void {
    if (typeof agreement?.rpps !== 'string' || typeof agreement.reference !== 'string')
      throw new TypeError('agreement.rpps and agreement.reference are required');
    const list = this.#byRpps.get(agreement.rpps) ?? [];
    list.push({ ...agreement });
    this.#byRpps.set(agreement.rpps, list);
  }

  /** Terminates an agreement from a day on. */
  terminate(reference: string, day: string): void {
    for (const list of this.#byRpps.values()) {
      const i = list.findIndex((a) => a.reference === reference);
      if (i >= 0) list[i] = { ...list[i]!, terminatedOn: day };
    }
  }

  list(rpps: string): readonly ProofAgreement[] {
    return this.#byRpps.get(rpps) ?? [];
  }
}

/**
 * The agreement valid on `day` (`AAAA-MM-JJ`, French time) for a
 * practitioner at an establishment, or `null` when there is none (SIG-9).
 *
 * `import { findValidAgreement } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * findValidAgreement(await registry.list(rpps), { rpps, finess: '750300360', day: '2026-03-20' })?.reference
 * ```
 * @public
 */
export function findValidAgreement(
  agreements: readonly ProofAgreement[],
  q: { rpps: string; finess?: string | undefined; day: string },
): ProofAgreement | null {
  const valid = (a: ProofAgreement): boolean =>
    a.rpps === q.rpps &&
    (q.finess === undefined || a.finess === q.finess) &&
    q.day >= a.validFrom &&
    (a.validUntil === undefined || q.day <= a.validUntil) &&
    (a.terminatedOn === undefined || q.day < a.terminatedOn);
  return agreements.find(valid) ?? null;
}

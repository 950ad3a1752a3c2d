/**
 * What a sealed-record verification of the SDK answers (SIG-2, SIG-3, SIG-4, X-3): a verdict
 * (docs/conventions.md §5), accepted, or refused with its issues — the first issue's stable code
 * is compared with the vector's.
 *
 * `import type { ConformanceSealVerdict } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceSealVerdict {
  readonly ok: boolean;
  readonly issues: readonly { readonly code: string }[];
  /** When accepted: the record's id — with {@link ConformanceSealVerdict.scope}, what `judgeArtifacts` matches with the bordereaux it was drawn on (SIG-4, SIG-6). Optional. */
  readonly recordId?: string;
  /** When accepted: what the record signs (its `scope`: `kind`, and for a bordereau or line its `bordereauId` and `contentHash`). Optional. */
  readonly scope?: { readonly kind: string; readonly bordereauId?: string; readonly contentHash?: string };
}

/**
 * The sealed-record verifier under test (SIG-2, SIG-3, SIG-4, X-3): `createVerifier` of
 * `@s3404/seal` (its `now` the vector's checking time `at`) or a vendor's own. `trustAnchors`
 * are DER certificates; `expect` binds the record to a bordereau and its content hash.
 *
 * `import type { ConformanceSealSdk } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceSealSdk {
  readonly verifyRecord: (
    bytes: Uint8Array,
    options: {
      readonly trustAnchors: readonly Uint8Array[];
      readonly at: Date;
      readonly expect?: { readonly bordereauId?: string; readonly contentHash?: string };
    },
  ) => Promise<ConformanceSealVerdict>;
}

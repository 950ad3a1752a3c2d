/**
 * What a SCOR lot function of the SDK answers (SCOR-2, X-3): a verdict (docs/conventions.md §5),
 * packed / verified, or refused with its issues — the first issue's code is compared.
 *
 * `import type { ConformanceScorLotVerdict } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceScorLotVerdict {
  readonly ok: boolean;
  readonly issues: readonly { readonly code: string }[];
  /**
   * Of `verifyLot`: the manifest's signature — `none` (not signed),
   * `unchecked` (no trust anchor given), `valid` or `invalid`. Omitted: not
   * reported (a signature present is then not judged).
   */
  readonly signature?: 'none' | 'unchecked' | 'valid' | 'invalid' | undefined;
}

/**
 * The SCOR lot functions under test (SCOR-2, X-3): `safePackLot` and `verifyLot` of
 * `@s3404/scor` or a vendor's own. `packLot` packs a lot description over the PJ files given
 * by name, at the creation time `at` (the vector's `now`), within `maxLotBytes` when given; `verifyLot` checks a
 * packed container back (manifest, SHA-256 of every file, no unlisted file) and, given trust anchors
 * (`--artifacts`), the manifest's signature `manifest.json.p7s` at the instant `at`: a signature that does
 * not verify makes the verdict not ok.
 *
 * `import type { ConformanceScorLotSdk } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceScorLotSdk {
  readonly packLot: (
    description: unknown,
    options: { readonly files: ReadonlyMap<string, Uint8Array>; readonly at: Date; readonly maxLotBytes?: number },
  ) => Promise<ConformanceScorLotVerdict>;
  readonly verifyLot: (
    container: Uint8Array,
    options?: { readonly trustAnchors?: readonly Uint8Array[] | undefined; readonly at?: Date | undefined },
  ) => Promise<ConformanceScorLotVerdict>;
}

/**
 * What a trace verification of the SDK answers (AUD-2, X-3): the verdict
 * (docs/conventions.md §5), its issues — the first one's code (`ERR_AUDIT_…`
 * for `@s3404/audit`) is compared — and the first damage's kind
 * (`modified`, `deleted`, `inserted`, `reordered`, `truncated`,
 * `truncated-head`, `backdated`).
 *
 * `import type { ConformanceTraceVerdict } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceTraceVerdict {
  readonly ok: boolean;
  readonly issues: readonly { readonly code: string }[];
  readonly damage?: string | undefined;
}

/**
 * The hash-chained trace verifier under test (AUD-1, AUD-2, X-3): `verifyLog`
 * of `@s3404/audit` with `createContentVerifier` of `@s3404/seal`, or a
 * vendor's own. `lines` are the trace's bytes (JSON Lines), `trustAnchors`
 * the certificates (PEM or DER) the checkpoints' signatures must chain to,
 * `at` the verification instant and `expect` a head witnessed elsewhere.
 * Every event is checked against the schema (strict).
 *
 * `import type { ConformanceAuditChainSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * const auditChain: ConformanceAuditChainSdk = {
 *   verifyTrace: async (lines, { trustAnchors, at, expect }) => {
 *     const report = await verifyLog(lines, { verifier: createContentVerifier({ trustAnchors: … }), strict: true, … })
 *     return { ok: report.ok, issues: report.issues, damage: report.damage?.kind }
 *   },
 * }
 * ```
 * @public
 */
export interface ConformanceAuditChainSdk {
  readonly verifyTrace: (
    lines: Uint8Array,
    options: {
      readonly trustAnchors: readonly Uint8Array[];
      readonly at?: Date | undefined;
      readonly expect?: { readonly seq: number; readonly hash: string } | undefined;
    },
  ) => Promise<ConformanceTraceVerdict>;
}

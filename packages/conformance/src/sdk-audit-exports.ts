/**
 * The export verification under test (AUD-4, X-3): `verifyExport` of
 * `@s3404/audit` with `createContentVerifier` of `@s3404/seal`, or a vendor's
 * own. `manifestBytes` is `<file>.manifest.json`, `signature` the detached
 * `<file>.manifest.p7s` (absent when not given), `files` the data files by the
 * name the manifest gives, `trustAnchors` DER certificates the manifest's
 * signature must chain to. It answers the verdict with every issue's code.
 *
 * `import type { ConformanceAuditExportsSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * const auditExports: ConformanceAuditExportsSdk = {
 *   verifyExport: ({ trustAnchors, ...input }) => verifyExport({ ...input, verifier: createContentVerifier({ trustAnchors }) }),
 * }
 * ```
 * @public
 */
export interface ConformanceAuditExportsSdk {
  readonly verifyExport: (input: {
    readonly manifestBytes: Uint8Array;
    readonly signature?: Uint8Array | undefined;
    readonly files: Readonly<Record<string, Uint8Array>>;
    readonly trustAnchors: readonly Uint8Array[];
  }) => Promise<{
    readonly ok: boolean;
    /** `path`, when given, names what is wrong: `['files', name, …]`, `['signature']` or `['manifestBytes']` (the artifact judge blames that file). */
    readonly issues: readonly { readonly code: string; readonly path?: readonly (string | number)[] }[];
  }>;
}

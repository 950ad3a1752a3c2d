import type { Issue } from '@s3404/core';

/**
 * What an identifier check of the SDK answers (FORM-2, X-3): a verdict with
 * its issues; the first issue's code is compared with the vector's.
 *
 * `import type { ConformanceVerdict } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceVerdict {
  readonly ok: boolean;
  readonly issues: readonly Pick<Issue, 'code'>[];
}

/**
 * The identifier checks under test (FORM-2, FORM-3, X-3): the functions of
 * `@s3404/form` (`checkNir`, `checkFiness`…) or a vendor's own. They take
 * `unknown`: vectors also give them numbers, `null` and other wrong types.
 *
 * `import type { ConformanceFormSdk } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceFormSdk {
  readonly checkNir: (nir: unknown, key: unknown) => ConformanceVerdict;
  readonly checkFiness: (finess: unknown) => ConformanceVerdict;
  readonly checkRpps: (rpps: unknown) => ConformanceVerdict;
  readonly checkUcdCode: (ucd: unknown) => ConformanceVerdict;
  readonly checkCcamCode: (ccam: unknown) => ConformanceVerdict;
  readonly checkLppCode: (lpp: unknown) => ConformanceVerdict;
  readonly checkBordereauId: (id: unknown) => ConformanceVerdict;
}

/**
 * The RFC 9162 Merkle tree functions under test (AUD-2, X-3): those of
 * `@s3404/audit` or a vendor's own. Leaf and node hashes are 32 bytes.
 *
 * `import type { ConformanceAuditSdk } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceAuditSdk {
  /** `SHA-256(0x00 ‖ data)`. */
  readonly merkleLeafHash: (data: Uint8Array) => Uint8Array;
  /** The tree head over leaf hashes. */
  readonly merkleRoot: (leafHashes: readonly Uint8Array[]) => Uint8Array;
  /** The audit path of leaf `index`; throws for an index out of the tree. */
  readonly inclusionProof: (leafHashes: readonly Uint8Array[], index: number) => readonly Uint8Array[];
  /** Whether `proof` proves leaf `index` of a tree of `size` leaves under `root`. */
  readonly verifyInclusion: (input: {
    readonly leafHash: Uint8Array;
    readonly index: number;
    readonly size: number;
    readonly proof: readonly Uint8Array[];
    readonly root: Uint8Array;
  }) => { readonly ok: boolean; readonly issues: readonly { readonly code: string }[] };
}

/**
 * The SCOR functions under test (SCOR-3, X-3): the end of a lot's retry
 * window, in working days after the day of the first attempt, Paris time.
 *
 * `import type { ConformanceScorSdk } from '@s3404/conformance'`
 *
 * @public
 */
export interface ConformanceScorSdk {
  readonly retryDeadline: (firstAttempt: Date, workingDays: number, calendar: 'metropolitan' | 'alsace-moselle') => Date;
}

/**
 * What the conformance runner needs from the SDK under test, passed in
 * so that the same runner judges the SDK in Node, a browser, Deno or Bun, or
 * a vendor's own implementation. Each area is optional: the vectors of an
 * area the SDK does not provide are `indeterminate`, never passed.
 *
 * `import type { ConformanceSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { checkFiness, checkNir } from '@s3404/form'
 * const sdk: ConformanceSdk = { version: '0.1.0', form: { checkNir, checkFiness, … } }
 * ```
 * @public
 */
export interface ConformanceSdk {
  /** The version judged, written in the report. */
  readonly version?: string;
  readonly form?: ConformanceFormSdk;
  readonly audit?: ConformanceAuditSdk;
  readonly scor?: ConformanceScorSdk;
  /** The single-use primitives: store factory and consumer (SIG-4, SIG-5, SIG-6, SIG-10). */
  readonly consume?: import('./sdk-consume.js').ConformanceConsumeSdk;
  /** The sealed-record verifier (SIG-2, SIG-3, SIG-4). */
  readonly seal?: import('./sdk-seal.js').ConformanceSealSdk;
  /** The bordereau PDF checks and the PAdES seal verifier (FORM-4, FORM-6, FORM-7, SIG-3, SIG-4). */
  readonly pdf?: import('./sdk-pdf.js').ConformancePdfSdk;
  /** The capture service: contexts opened and captures sealed (SIG-1, SIG-2). */
  readonly capture?: import('./sdk-capture.js').ConformanceCaptureSdk;
  /** The bordereau validation (FORM-1, FORM-2, FORM-3). */
  readonly formModel?: import('./sdk-form-model.js').ConformanceFormModelSdk;
  /** The fillable form read back (FORM-5). */
  readonly formFillable?: import('./sdk-form-fillable.js').ConformanceFormFillableSdk;
  /** The hash-chained trace verifier (AUD-1, AUD-2). */
  readonly auditChain?: import('./sdk-audit-chain.js').ConformanceAuditChainSdk;
  /** The trace export verification (AUD-4). */
  readonly auditExports?: import('./sdk-audit-exports.js').ConformanceAuditExportsSdk;
  /** The SCOR lot: packed and checked back (SCOR-2). */
  readonly scorLot?: import('./sdk-scor-lot.js').ConformanceScorLotSdk;
  /** The PJ check: page size, resolution, colour, active content, limits (SCOR-1). */
  readonly scorPj?: import('./sdk-scor-pj.js').ConformanceScorPjSdk;
  /** The trace retention: setting, limit and purge (AUD-3). */
  readonly auditRetention?: import('./sdk-audit-retention.js').ConformanceAuditRetentionSdk;
  /** The runtime-neutral core primitives: canonical JSON, base64, hex, SHA-256. */
  readonly core?: import('./sdk-core.js').ConformanceCoreSdk;
  /** The conformance runner itself: envelope checks and verdicts. */
  readonly runner?: ConformanceRunnerSdk;
  /** The plug points of the unpublished parts: SCOR-CP codec, ARL parser, CERFA layout. */
  readonly pluggable?: import('./sdk-pluggable.js').ConformancePluggableSdk;
}

/**
 * The conformance runner itself under test: `runConformance` of
 * `@s3404/conformance`, or a vendor's own runner. `run` judges the vector
 * files given against the SDK given (a stub the vector describes), reading
 * fixtures with `readFixture`; it throws a coded error for a file that is no
 * valid envelope (`ERR_VECTORS_INVALID`).
 *
 * `import type { ConformanceRunnerSdk } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * import { runConformance } from '@s3404/conformance'
 * const runner: ConformanceRunnerSdk = { run: (options) => runConformance(options) }
 * ```
 * @public
 */
export interface ConformanceRunnerSdk {
  readonly run: (options: {
    readonly sdk: ConformanceSdk;
    readonly files: readonly import('./envelope.js').VectorSource[];
    readonly readFixture: (path: string) => Promise<Uint8Array>;
  }) => Promise<import('./sdk-runner.js').ConformanceRunnerAnswer>;
}

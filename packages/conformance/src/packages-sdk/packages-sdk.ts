import type { Sha256 } from '@s3404/core';
import { inclusionProof, merkleLeafHash, merkleRoot, verifyInclusion } from '@s3404/audit';
import { checkBordereauId, checkCcamCode, checkFiness, checkLppCode, checkNir, checkRpps, checkUcdCode, validateBordereau } from '@s3404/form';
import { readBordereauFromPdf, verifyBordereauPdf } from '@s3404/form/pdf';
import { checkPj, frenchCalendar, safePackLot, verifyLot } from '@s3404/scor';
import { createContentVerifier, createVerifier } from '@s3404/seal';
import { checkBordereauRevisions, verifyPdfSeal } from '@s3404/seal/pdf';
import { runConformance } from '../run.js';
import type { ConformanceSdk } from '../sdk.js';
import { auditChainSdk } from './audit-chain.js';
import { certificates } from './certificates.js';
import { auditExportsSdk } from './audit-exports.js';
import { auditRetentionSdk } from './audit-retention.js';
import { coreSdk } from './core.js';
import { pluggableSdk } from './pluggable.js';
import { captureSdk } from './capture.js';
import { consumeSdk } from './consume.js';

/**
 * Options of {@link createPackagesSdk}.
 *
 * `import type { CreatePackagesSdkOptions } from '@s3404/conformance/sdk'`
 *
 * @public
 */
export interface CreatePackagesSdkOptions {
  /** The version written in the report (the CLI gives its own). */
  readonly version?: string | undefined;
  /** SHA-256 for the trace, export, Merkle and lot checks (Node: `nodeSha256` of `@s3404/core/node`). Default: each package's own. */
  readonly sha256?: Sha256 | undefined;
}

/**
 * The SDK's own packages wired into the runner's interface: the
 * identifier checks and bordereau model of `@s3404/form`, the Merkle tree,
 * trace and export verifiers of `@s3404/audit`, the sealer, verifier and
 * single-use consumer of `@s3404/seal` (memory stores, a development PKI
 * made once per SDK), the PAdES verifier, the SCOR calendar and lot packer.
 * Runtime-neutral: the same object judges the SDK in Node, a browser, Deno
 * and Bun, and `s3404 conformance` uses it.
 *
 * `import { createPackagesSdk } from '@s3404/conformance/sdk'`
 *
 * @example
 * ```ts
 * import { runConformance } from '@s3404/conformance'
 * import { createPackagesSdk } from '@s3404/conformance/sdk'
 * const report = await runConformance({ sdk: createPackagesSdk(), files, readFixture })
 * ```
 * @public
 */
export function createPackagesSdk(options: CreatePackagesSdkOptions = {}): ConformanceSdk {
  const { sha256, version } = options;
  const digest = sha256 === undefined ? {} : { sha256 };
  return {
    ...(version === undefined ? {} : { version }),
    form: { checkNir, checkFiness, checkRpps, checkUcdCode, checkCcamCode, checkLppCode, checkBordereauId },
    formModel: { validateBordereau: (json) => validateBordereau(json) },
    formFillable: { readBordereauFromPdf: (pdf) => readBordereauFromPdf(pdf) },
    audit: {
      merkleLeafHash: (data) => merkleLeafHash(data, sha256),
      merkleRoot: (leaves) => merkleRoot(leaves, sha256),
      inclusionProof: (leaves, index) => inclusionProof(leaves, index, sha256),
      verifyInclusion: (input) => verifyInclusion(input),
    },
    auditChain: auditChainSdk(sha256),
    auditExports: auditExportsSdk(sha256),
    auditRetention: auditRetentionSdk(sha256),
    core: coreSdk(sha256),
    runner: { run: (o) => runConformance({ ...o, ...digest }) },
    pluggable: pluggableSdk(sha256),
    capture: captureSdk(),
    consume: consumeSdk(),
    pdf: { verifyPdfSeal, verifyBordereauPdf, checkBordereauRevisions: (pdf) => checkBordereauRevisions(pdf, { locale: 'en' }) },
    scor: { retryDeadline: (first, n, calendar) => frenchCalendar({ alsaceMoselle: calendar === 'alsace-moselle' }).workingDaysDeadline(first, n) },
    scorLot: {
      packLot: async (description, { files, at, maxLotBytes }) => {
        const r = await safePackLot(description, {
          files,
          now: () => at,
          ...digest,
          inspectS3404: async (pdf) => (await checkBordereauRevisions(pdf, { locale: 'en' })).issues,
          ...(maxLotBytes === undefined ? {} : { maxLotBytes }),
        });
        return r.ok ? { ok: true, issues: [] } : { ok: false, issues: r.issues.length > 0 ? r.issues : [{ code: 'ERR_LOT_REFUSED' }] };
      },
      verifyLot: async (container, options = {}) => {
        const { trustAnchors, at } = options;
        const verifier =
          trustAnchors === undefined || trustAnchors.length === 0
            ? undefined
            : createContentVerifier({ trustAnchors: trustAnchors.flatMap(certificates), ...(at === undefined ? {} : { now: () => at }) });
        const r = await verifyLot(container, { ...digest, ...(verifier === undefined ? {} : { verifier }) });
        return r.ok
          ? { ok: true, issues: [], signature: r.signature.status }
          : { ok: false, issues: r.issues.length > 0 ? r.issues : [{ code: 'ERR_LOT_CONTAINER_INVALID' }], signature: r.signature.status };
      },
    },
    scorPj: {
      checkPj: (bytes, { policy }) => checkPj(bytes, policy),
    },
    seal: {
      verifyRecord: async (bytes, { trustAnchors, at, expect }) => {
        const verdict = await createVerifier({ trustAnchors, now: () => at }).verify(bytes, expect === undefined ? {} : { expect });
        if (!verdict.ok) return { ok: false, issues: [{ code: verdict.code }] };
        const scope = verdict.record.scope;
        return {
          ok: true,
          issues: [],
          recordId: verdict.recordId,
          scope: scope.kind === 'accounting-day' ? { kind: scope.kind } : { kind: scope.kind, bordereauId: scope.bordereauId, contentHash: scope.contentHash },
        };
      },
    },
  };
}

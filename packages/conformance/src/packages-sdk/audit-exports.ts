import type { Sha256 } from '@s3404/core';
import { verifyExport } from '@s3404/audit';
import type { ConformanceAuditExportsSdk } from '../sdk-audit-exports.js';
import { createContentVerifier } from '@s3404/seal';

/**
 * `verifyExport` of `@s3404/audit` with `createContentVerifier` of
 * `@s3404/seal`, wired into the runner's export interface (AUD-4, X-3).
 */
export function auditExportsSdk(sha256: Sha256 | undefined): ConformanceAuditExportsSdk {
  return {
    verifyExport: ({ manifestBytes, signature, files, trustAnchors }) =>
      verifyExport({
        manifestBytes,
        ...(signature === undefined ? {} : { signature }),
        files,
        verifier: createContentVerifier({ trustAnchors: [...trustAnchors] }),
        ...(sha256 === undefined ? {} : { sha256 }),
      }),
  };
}

import type { Sha256 } from '@s3404/core';
import { verifyLog } from '@s3404/audit';
import type { ConformanceAuditChainSdk } from '../sdk-audit-chain.js';
import { createContentVerifier } from '@s3404/seal';
import { certificates } from './certificates.js';

/**
 * `verifyLog` of `@s3404/audit` (strict: every event against the schema)
 * with `createContentVerifier` of `@s3404/seal`, wired into the runner's
 * trace interface (AUD-1, AUD-2, X-3).
 */
export function auditChainSdk(sha256: Sha256 | undefined): ConformanceAuditChainSdk {
  return {
    verifyTrace: async (lines, { trustAnchors, at, expect }) => {
      const clock = at === undefined ? undefined : () => at;
      const verifier = createContentVerifier({ trustAnchors: trustAnchors.flatMap(certificates), ...(clock === undefined ? {} : { now: clock }) });
      const report = await verifyLog(lines, {
        verifier,
        strict: true,
        ...(sha256 === undefined ? {} : { sha256 }),
        ...(clock === undefined ? {} : { now: clock }),
        ...(expect === undefined ? {} : { expect }),
      });
      return { ok: report.ok, issues: report.issues, damage: report.damage?.kind };
    },
  };
}
